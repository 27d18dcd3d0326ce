/// A synthetic-data setup that cannot work (an unreadable corpus, nothing left to render, an
/// output that would be overwritten); the message says what to change.
public struct SyntheticError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public var description: String { message }

    public init(_ message: String) { self.message = message }
}
