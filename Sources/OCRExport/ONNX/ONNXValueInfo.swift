/// One dimension of a graph input or output: a fixed size or a named symbolic one (`batch`).
public enum ONNXDimension: Sendable, Equatable, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, CustomStringConvertible {
    case value(Int)
    case param(String)

    public init(integerLiteral v: Int) { self = .value(v) }
    public init(stringLiteral s: String) { self = .param(s) }

    public var description: String {
        switch self {
        case .value(let v): "\(v)"
        case .param(let s): s
        }
    }
}

/// An ONNX `ValueInfoProto` for a tensor: name, element type and shape.
public struct ONNXValueInfo: Sendable, Equatable {
    public var name: String
    public var elementType: ONNXDataType
    public var dims: [ONNXDimension]
    public var docString: String?
    /// False writes the element type only (rank unknown): extra outputs added for calibration.
    public var hasShape = true

    public init(name: String, elementType: ONNXDataType = .float, dims: [ONNXDimension], docString: String? = nil) {
        self.name = name
        self.elementType = elementType
        self.dims = dims
        self.docString = docString
    }

    /// ValueInfoProto: name = 1, type = 2 (TypeProto: tensor_type = 1 (elem_type = 1,
    /// shape = 2 (TensorShapeProto: dim = 1 (dim_value = 1 | dim_param = 2)))), doc_string = 3.
    public func encoded() -> ProtobufWriter {
        var shape = ProtobufWriter()
        for d in dims {
            var dim = ProtobufWriter()
            switch d {
            case .value(let v): dim.int(1, v)
            case .param(let p): dim.string(2, p)
            }
            shape.message(1, dim)
        }
        var tensorType = ProtobufWriter()
        tensorType.int(1, elementType.rawValue)
        if hasShape { tensorType.message(2, shape) }
        var type = ProtobufWriter()
        type.message(1, tensorType)

        var w = ProtobufWriter()
        w.string(1, name)
        w.message(2, type)
        if let docString { w.string(3, docString) }
        return w
    }
}
