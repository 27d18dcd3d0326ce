import Torch

/// ONNX `TensorProto.DataType`: the element types OCRKit writes.
public enum ONNXDataType: Int, Sendable, CaseIterable {
    case float = 1, uint8 = 2, int8 = 3, int32 = 6, int64 = 7

    public var byteWidth: Int {
        switch self {
        case .float, .int32: 4
        case .uint8, .int8: 1
        case .int64: 8
        }
    }
}

/// An ONNX `TensorProto`: a named, typed, shaped block of values (an initializer or a tensor
/// attribute). Values are kept as `raw_data` - little-endian, row-major - for every type, which
/// is how ONNX stores large tensors and what every reader accepts.
public struct ONNXTensor: Sendable, Equatable {
    public var name: String
    public var dataType: ONNXDataType
    public var dims: [Int]
    public var rawData: [UInt8]
    /// Where a derived tensor came from (e.g. "BatchNorm folded into the conv").
    public var docString: String?

    /// `rawData` must hold `dims`' element count times the type's width; `ONNXGraphBuilder`
    /// refuses a tensor where it does not (`isWellFormed`).
    public init(name: String, dataType: ONNXDataType, dims: [Int], rawData: [UInt8], docString: String? = nil) {
        self.name = name
        self.dataType = dataType
        self.dims = dims
        self.rawData = rawData
        self.docString = docString
    }

    public init(name: String, floats: [Float], dims: [Int], docString: String? = nil) {
        self.init(name: name, dataType: .float, dims: dims, rawData: littleEndianBytes(floats.map(\.bitPattern)), docString: docString)
    }

    public init(name: String, int64s: [Int64], dims: [Int], docString: String? = nil) {
        self.init(name: name, dataType: .int64, dims: dims, rawData: littleEndianBytes(int64s), docString: docString)
    }

    public init(name: String, int32s: [Int32], dims: [Int], docString: String? = nil) {
        self.init(name: name, dataType: .int32, dims: dims, rawData: littleEndianBytes(int32s), docString: docString)
    }

    public init(name: String, int8s: [Int8], dims: [Int], docString: String? = nil) {
        self.init(name: name, dataType: .int8, dims: dims, rawData: littleEndianBytes(int8s), docString: docString)
    }

    public init(name: String, uint8s: [UInt8], dims: [Int], docString: String? = nil) {
        self.init(name: name, dataType: .uint8, dims: dims, rawData: uint8s, docString: docString)
    }

    /// The values of a LibTorch tensor (float32, int64, int32, int8 or uint8; float64 is narrowed
    /// to float32, the precision ONNX models run in). Host sync.
    public init(name: String, tensor: Tensor, docString: String? = nil) throws {
        let dims = tensor.shape
        switch tensor.dtype {
        case .float32, .float64: self.init(name: name, floats: try tensor.toArray(Float.self), dims: dims, docString: docString)
        case .int64: self.init(name: name, int64s: try tensor.toArray(Int64.self), dims: dims, docString: docString)
        case .int32: self.init(name: name, int32s: try tensor.toArray(Int32.self), dims: dims, docString: docString)
        case .int8: self.init(name: name, int8s: try tensor.toArray(Int8.self), dims: dims, docString: docString)
        case .uint8: self.init(name: name, uint8s: try tensor.toArray(UInt8.self), dims: dims, docString: docString)
        default: throw ExportError.unsupportedDType(name: name, dtype: "\(tensor.dtype)")
        }
    }

    /// Whether `rawData` holds exactly the values `dims` and `dataType` call for.
    public var isWellFormed: Bool {
        dims.allSatisfy { $0 >= 0 } && rawData.count == dims.reduce(1, *) * dataType.byteWidth
    }

    /// The values as floats (float tensors only), for tests and folding checks.
    public var floats: [Float]? {
        guard dataType == .float else { return nil }
        return stride(from: 0, to: rawData.count, by: 4).map { i in
            Float(bitPattern: UInt32(rawData[i]) | UInt32(rawData[i + 1]) << 8 | UInt32(rawData[i + 2]) << 16 | UInt32(rawData[i + 3]) << 24)
        }
    }

    /// TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9, doc_string = 12.
    public func encoded() -> ProtobufWriter {
        var w = ProtobufWriter()
        w.repeatedInts(1, dims.map(Int64.init))
        w.int(2, dataType.rawValue)
        w.string(8, name)
        w.lengthDelimited(9, rawData)
        if let docString { w.string(12, docString) }
        return w
    }
}

/// Fixed-width integers as little-endian bytes, whatever the host's byte order.
func littleEndianBytes<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
    #if _endian(little)
    return values.withUnsafeBytes { Array($0) }
    #else
    return values.flatMap { v in withUnsafeBytes(of: v.littleEndian) { Array($0) } }
    #endif
}
