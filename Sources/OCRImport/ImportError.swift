/// An ONNX file could not be read or does not fit the architecture it is imported into. The
/// message names the file and what was wrong: the byte offset and field of a broken message, or
/// the first graph node that differs from what the model expects.
public struct ImportError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
