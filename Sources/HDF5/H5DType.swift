import CHDF5

/// The element types this module reads and writes. Anything else a file may hold (uint16, float16,
/// compound, ...) shows up as `.unsupported` and is reported, never converted.
public enum H5DType: String, Sendable, CustomStringConvertible {
    case float32, float64, int32, int64, uint8, string, unsupported

    public var description: String { rawValue }

    init(_ c: h5_dtype) {
        switch c {
        case H5DTYPE_FLOAT32: self = .float32
        case H5DTYPE_FLOAT64: self = .float64
        case H5DTYPE_INT32: self = .int32
        case H5DTYPE_INT64: self = .int64
        case H5DTYPE_UINT8: self = .uint8
        case H5DTYPE_STRING: self = .string
        default: self = .unsupported
        }
    }

    var c: h5_dtype {
        switch self {
        case .float32: H5DTYPE_FLOAT32
        case .float64: H5DTYPE_FLOAT64
        case .int32: H5DTYPE_INT32
        case .int64: H5DTYPE_INT64
        case .uint8: H5DTYPE_UINT8
        case .string: H5DTYPE_STRING
        case .unsupported: H5DTYPE_UNSUPPORTED
        }
    }

    /// Bytes per element in memory (strings: one pointer-sized heap reference, used for chunk sizing).
    var byteSize: Int {
        switch self {
        case .float32, .int32: 4
        case .float64, .int64: 8
        case .uint8: 1
        case .string, .unsupported: 16
        }
    }
}
