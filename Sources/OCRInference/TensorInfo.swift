internal import COnnxRuntime

/// A graph input or output as the model declares it.
public struct TensorInfo: Sendable, Equatable, CustomStringConvertible {
    /// The element types of ONNX tensors (ONNX's `TensorProto.DataType`).
    public enum ElementType: Sendable, Equatable, CustomStringConvertible {
        case float, uint8, int8, uint16, int16, int32, int64, string, bool, float16, double, uint32, uint64, bfloat16
        /// Not a tensor (a sequence or map), or a type this list does not name (its ONNX number).
        case other(Int)

        init(_ t: ox_element_type) {
            switch t {
            case OX_ELEMENT_FLOAT: self = .float
            case OX_ELEMENT_UINT8: self = .uint8
            case OX_ELEMENT_INT8: self = .int8
            case OX_ELEMENT_UINT16: self = .uint16
            case OX_ELEMENT_INT16: self = .int16
            case OX_ELEMENT_INT32: self = .int32
            case OX_ELEMENT_INT64: self = .int64
            case OX_ELEMENT_STRING: self = .string
            case OX_ELEMENT_BOOL: self = .bool
            case OX_ELEMENT_FLOAT16: self = .float16
            case OX_ELEMENT_DOUBLE: self = .double
            case OX_ELEMENT_UINT32: self = .uint32
            case OX_ELEMENT_UINT64: self = .uint64
            case OX_ELEMENT_BFLOAT16: self = .bfloat16
            default: self = .other(Int(t.rawValue))
            }
        }

        public var description: String {
            switch self {
            case .float: "float"
            case .uint8: "uint8"
            case .int8: "int8"
            case .uint16: "uint16"
            case .int16: "int16"
            case .int32: "int32"
            case .int64: "int64"
            case .string: "string"
            case .bool: "bool"
            case .float16: "float16"
            case .double: "double"
            case .uint32: "uint32"
            case .uint64: "uint64"
            case .bfloat16: "bfloat16"
            case .other(let n): "ONNX type \(n)"
            }
        }
    }

    public var name: String
    public var elementType: ElementType
    /// One entry per dimension: its size, or nil where it is dynamic (`-1` in ONNX Runtime's terms).
    public var shape: [Int?]
    /// The dynamic dimensions' names as the graph gives them ("B", "W"); "" where none.
    public var dimensionNames: [String]
    /// False for sequences and maps (their shape is empty).
    public var isTensor: Bool

    public init(name: String, elementType: ElementType, shape: [Int?], dimensionNames: [String]? = nil, isTensor: Bool = true) {
        self.name = name
        self.elementType = elementType
        self.shape = shape
        self.dimensionNames = dimensionNames ?? shape.map { _ in "" }
        self.isTensor = isTensor
    }

    /// The shape with -1 for dynamic dimensions, as ONNX Runtime prints it.
    public var shapeWithMinusOne: [Int] { shape.map { $0 ?? -1 } }

    /// Whether `shape` (a concrete input's) fits: same rank, equal where the model fixes a size.
    public func accepts(shape concrete: [Int]) -> Bool {
        concrete.count == shape.count && zip(concrete, shape).allSatisfy { c, d in d == nil || d == c }
    }

    /// `x: float [B, 3, 48, W]`.
    public var description: String {
        let dims = zip(shape, dimensionNames).map { d, n in d.map(String.init) ?? (n.isEmpty ? "?" : n) }
        return "\(name): \(elementType) [\(dims.joined(separator: ", "))]"
    }
}
