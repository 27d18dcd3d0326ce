/// A Swift number type stored as one HDF5 element type. Reads are strict: a dataset holding
/// float32 reads only as `Float`, so a checkpoint with the wrong dtype fails loudly.
public protocol H5Element: BitwiseCopyable {
    static var h5DType: H5DType { get }
}

extension Float: H5Element { public static var h5DType: H5DType { .float32 } }
extension Double: H5Element { public static var h5DType: H5DType { .float64 } }
extension Int32: H5Element { public static var h5DType: H5DType { .int32 } }
extension Int64: H5Element { public static var h5DType: H5DType { .int64 } }
extension UInt8: H5Element { public static var h5DType: H5DType { .uint8 } }
