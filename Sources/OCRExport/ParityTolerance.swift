/// How far ONNX Runtime's output may be from LibTorch's in the export parity check:
/// `max |a - b| <= absolute + relative * max |reference|`, per measured input, where `reference`
/// is LibTorch's output on that input.
///
/// Why a relative part: float32 drift through a deep network grows with the values it carries.
/// A fine-tuned PP-OCRv4 recogniser (about 45 layers, 6,625 classes, logits up to ~45) differs
/// from its ONNX Runtime export by 1e-4 to 5e-4 on random inputs and 1.9e-3 on real lines in its
/// logits - a few 1e-6 of the largest value, as the imported original file does against
/// PaddleOCR's own export - so a fixed 1e-4 rejects a correct model. A broken export (a wrong
/// weight, layout or op) is wrong by a sizeable fraction of the output, far above either part.
public struct ParityTolerance: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The absolute part.
    public var absolute: Double
    /// The part proportional to the largest |value| of the reference output.
    public var relative: Double

    public init(absolute: Double, relative: Double = 0) {
        self.absolute = absolute
        self.relative = relative
    }

    /// `ocr-export`'s default. The outputs compared are probabilities (rec: the softmax of the
    /// logits; cls: probs; det: the probability map), at most 1, so the limit is at most 1.1e-3.
    /// Measured: a PP-OCRv4 recogniser fine-tuned from PaddleOCR's file stays within 9.3e-5 of
    /// its export (random inputs and real lines; `RecRoundTripTests`); the same export checked
    /// against the model with one neck conv scaled by 1.05 is 3.8e-2 to 1.6e-1 off, and another
    /// model's weights 1e-2 or more. The relative part is headroom for the logit drift that grows
    /// with training (1.9e-3 in a longer fine-tune's logits), far below a broken export's error.
    public static let `default` = ParityTolerance(absolute: 1e-4, relative: 1e-3)

    /// The limit for an output whose largest |value| is `scale`.
    public func limit(scale: Double) -> Double { absolute + relative * scale }

    public var description: String {
        relative == 0 ? "\(absolute)" : "\(absolute) + \(relative) x max |reference|"
    }
}
