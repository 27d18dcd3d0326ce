import Foundation

/// A failed inference operation. `message` starts with the model or image file it concerns, e.g.
/// `models/x.onnx: not an ONNX model (ONNX Runtime: ...)`.
public struct InferenceError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    public enum Kind: Sendable, Equatable {
        /// The model file does not exist or cannot be read.
        case fileNotFound
        /// The file is not an ONNX model (ONNX Runtime could not parse it).
        case notONNX
        /// An ONNX model ONNX Runtime cannot load (invalid graph, unsupported operator or opset).
        case unsupportedModel
        /// The model's metadata does not describe a model OCRKit can run.
        case metadata
        /// Inputs that do not fit the model (names, shapes, value counts), or bad options.
        case invalidInput
        /// An image that could not be read or decoded.
        case image
        /// Any other ONNX Runtime failure.
        case runtime
    }

    public let kind: Kind
    public let message: String
    public var description: String { message }
    public var errorDescription: String? { message }

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }
}
