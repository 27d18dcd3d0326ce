import Foundation

/// A config problem, with where it came from: "config.yml:12: Optimizer.lr: expected a number,
/// got string 'abc'".
public struct ConfigError: Error, Hashable, CustomStringConvertible, LocalizedError {
    public enum Kind: String, Sendable, Hashable {
        case fileNotFound, unreadable, syntax, duplicateKey, notAMap
        case unknownKey, missingKey, typeMismatch, indexOutOfRange, invalidOverride, invalidValue
    }

    public var kind: Kind
    /// Where: "file:line", "override 'A.b=1'", or nil.
    public var location: String?
    /// The full dotted key path involved, if any.
    public var path: String?
    public var message: String

    public init(_ kind: Kind, location: String? = nil, path: String? = nil, _ message: String) {
        self.kind = kind
        self.location = location
        self.path = path
        self.message = message
    }

    public var description: String {
        var s = ""
        if let location { s += location + ": " }
        if let path, !message.contains("'\(path)'") { s += path + ": " }
        return s + message
    }
    public var errorDescription: String? { description }
}
