internal import CVision

/// A failed imaging operation. `message` is the C++ side's sentence, naming the operation and the
/// sizes involved, e.g. `resize (4x4 3ch -> 0x0): target size must be positive`.
public struct ImagingError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Bad sizes, counts or values from the caller.
        case invalidArgument
        /// The bytes are not an image OpenCV reads (a server answers 400, not 500).
        case decode
        /// A file could not be read.
        case io
        /// OpenCV rejected the call.
        case opencv
        case outOfMemory
        case `internal`
    }

    public let kind: Kind
    public let message: String
    public var description: String { message }

    init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// Turns a CVision status into a thrown error, taking (and freeing) the C message.
    static func check(_ status: Int32, _ err: inout cv_error) throws {
        guard status != Int32(CVI_OK.rawValue) else { return }
        defer { cv_error_free(&err) }
        let message = err.message.map { String(cString: $0) } ?? "CVision status \(status) (no message)"
        throw ImagingError(Kind(status: status), message)
    }
}

extension ImagingError.Kind {
    init(status: Int32) {
        switch UInt32(bitPattern: status) {
        case CVI_E_ARGUMENT.rawValue: self = .invalidArgument
        case CVI_E_DECODE.rawValue: self = .decode
        case CVI_E_IO.rawValue: self = .io
        case CVI_E_OPENCV.rawValue: self = .opencv
        case CVI_E_MEMORY.rawValue: self = .outOfMemory
        default: self = .internal
        }
    }
}
