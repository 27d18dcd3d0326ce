/// An error with a message meant for the user (it names the file, key or step), raised by
/// training, evaluation and export alike.
public struct TrainError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
