import Foundation

/// What a recogniser's per-step outputs are.
///
/// PaddleOCR's recognition heads apply softmax in inference mode, so exported models usually
/// give probabilities; training-mode outputs are logits.
public enum CTCScores: String, Sendable, Codable {
    /// Unnormalised scores; softmax is applied per time step.
    case logits
    /// Softmax probabilities (each step sums to 1).
    case probabilities
}

/// Why a CTC output could not be decoded.
public enum CTCDecodingError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The flat buffer does not hold `expected` values.
    case shapeMismatch(count: Int, expected: Int, shape: [Int])
    /// The model's class axis does not match the charset (blank + characters).
    case classCountMismatch(modelClasses: Int, charsetClasses: Int)
    /// A NaN or infinite score, e.g. from a diverged model.
    case nonFiniteScore(batch: Int, step: Int, classIndex: Int)
    /// Beam width below 1.
    case invalidBeamWidth(Int)

    public var description: String {
        switch self {
        case .shapeMismatch(let count, let expected, let shape):
            return "CTC scores hold \(count) values, expected \(expected) for shape \(shape)"
        case .classCountMismatch(let model, let charset):
            return "model outputs \(model) classes but the charset has \(charset) (blank + characters); wrong dictionary or use_space_char?"
        case .nonFiniteScore(let b, let t, let c):
            return "non-finite CTC score at batch \(b), step \(t), class \(c)"
        case .invalidBeamWidth(let w):
            return "beam width must be at least 1, got \(w)"
        }
    }
    public var errorDescription: String? { description }
}

/// Shape checks shared by the decoders: flat (B, T, C) buffers, C matching the charset.
enum CTCShape {
    static func check(count: Int, batch: Int, steps: Int, classes: Int, charset: Charset) throws {
        let shape = batch == 1 ? [steps, classes] : [batch, steps, classes]
        guard batch >= 0, steps >= 0, classes >= 1 else {
            throw CTCDecodingError.shapeMismatch(count: count, expected: -1, shape: shape)
        }
        guard count == batch * steps * classes else {
            throw CTCDecodingError.shapeMismatch(count: count, expected: batch * steps * classes, shape: shape)
        }
        guard classes == charset.classCount else {
            throw CTCDecodingError.classCountMismatch(modelClasses: classes, charsetClasses: charset.classCount)
        }
    }
}
