import NN
import Torch

/// PaddleOCR's `ClsHead` (`ppocr/modeling/heads/cls_head.py`): global average pool, flatten,
/// one Linear to the classes: B x C x h x w -> B x classes. Paths `<p>/pool`, `<p>/fc/{weight,bias}`.
///
/// Unlike PaddleOCR it returns logits in eval mode too (PaddleOCR applies the softmax there):
/// training takes cross-entropy of the logits, and the ONNX export appends the Softmax
/// (`probs`). The weight starts U(+-1/sqrt(in)) - PaddleOCR's initialiser and NN's default - and
/// the bias at 0, Paddle's default for a bias without an initialiser.
public final class ClsHead: Module, UnaryLayer {
    public let pool: AdaptiveAvgPool2d
    public let fc: Linear
    public let classes: Int

    public init(_ p: Path, inChannels: Int, classes: Int) throws {
        pool = AdaptiveAvgPool2d(p / "pool", outputSize: (1, 1))
        let fc = try Linear(p / "fc", inChannels, classes)
        try noGrad { try fc.bias?.fill(0) }
        self.fc = fc
        self.classes = classes
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try fc(pool(x).flatten(1))                            // B x C x 1 x 1 -> B x C -> B x classes
    }

    public override var attributes: [(name: String, value: LayerAttribute)] { [("classes", .int(classes))] }
}
