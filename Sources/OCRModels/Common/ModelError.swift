/// A recogniser could not be built or run: an unknown name in the config, an invalid setting, or
/// an input of the wrong shape. The message says what was wrong and what would be accepted.
public struct ModelError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A `name`, `encoder_type`, `model_name`, ... that OCRKit does not implement.
        case unknownName
        /// A setting out of range or inconsistent with another (e.g. `img_size` vs the input shape).
        case invalidConfig
        /// A tensor handed to a model has the wrong rank or size.
        case invalidInput
    }

    public let kind: Kind
    public let message: String
    public var description: String { message }

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// `unknown Backbone name 'ResNet' (known: MobileNetV3, SVTRNet)`.
    static func unknown(_ what: String, _ name: String, known: [String]) -> ModelError {
        let list = known.isEmpty ? "none is implemented" : "known: " + known.joined(separator: ", ")
        return ModelError(.unknownName, "unknown \(what) '\(name)' (\(list))")
    }
}
