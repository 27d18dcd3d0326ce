import NN
import Torch

/// PaddleOCR's `CTCHead`: B x T x C -> B x T x classes logits, by one Linear (`<p>/fc`) or, with
/// `midChannels`, two (`<p>/fc1`, `<p>/fc2`, no activation between, as in PaddleOCR).
/// Unlike PaddleOCR it never applies the softmax: it returns logits in both modes (the trainer
/// takes log_softmax for CTC; ONNX exports output them too, `ocrkit.output = logits`). Weights
/// and biases start U(+-1/sqrt(fan_in)), which is PaddleOCR's initialiser and NN's default alike.
public final class CTCHead: Module, UnaryLayer {
    public let fc: Linear?
    public let fc1: Linear?, fc2: Linear?
    public let classes: Int
    /// L2 factor PaddleOCR applies to this head's parameters (`fc_decay`), for the trainer.
    public let fcDecay: Double

    public init(_ p: Path, inChannels: Int, classes: Int, midChannels: Int? = nil, fcDecay: Double = 0.0004) throws {
        self.classes = classes
        self.fcDecay = fcDecay
        if let mid = midChannels {
            fc = nil
            fc1 = try Linear(p / "fc1", inChannels, mid)
            fc2 = try Linear(p / "fc2", mid, classes)
        } else {
            fc = try Linear(p / "fc", inChannels, classes)
            fc1 = nil
            fc2 = nil
        }
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        if let fc { return try fc(x) }
        guard let fc1, let fc2 else { throw ModelError(.invalidConfig, "CTCHead \(path): no layers") }
        return try fc2(fc1(x))
    }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("classes", .int(classes)), ("fc_decay", .double(fcDecay))]
    }
}
