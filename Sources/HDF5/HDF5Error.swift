import CHDF5

/// A failed HDF5 operation. The message names the operation, the object path and the file, then
/// HDF5's own explanation (outermost first, root cause last), e.g.
/// `read dataset '/backbone/w' in 'ckpt.h5': dataset holds float32, not int64`.
public struct HDF5Error: Error, CustomStringConvertible, Sendable {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}

extension HDF5Error {
    /// Runs one shim call and turns a non-zero status into a thrown `HDF5Error`.
    /// Every wrapper in this module goes through here, so no C error is ever dropped.
    static func check(_ body: (UnsafeMutablePointer<h5_error>) -> Int32) throws {
        var err = h5_error(message: nil)
        let status = withUnsafeMutablePointer(to: &err) { body($0) }
        guard status != 0 else { return }
        defer { h5_error_free(&err) }
        throw HDF5Error(err.message.map { String(cString: $0) } ?? "unknown HDF5 error (status \(status))")
    }
}
