/// Post-processing input that cannot work (a map whose size does not match its values, a
/// non-positive source size): the message names the argument and the value.
public struct PostprocessError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
