/// A preprocessing setting that cannot work (an image shape, a width multiple, a zero std):
/// the message names the setting and the value.
public struct PreprocessError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
