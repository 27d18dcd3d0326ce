import NN
import Torch

/// Stochastic depth: while training, drops a residual branch for a whole sample with probability
/// `p` and scales kept samples by 1/(1-p) (PaddleOCR's `DropPath`); identity in eval.
public final class DropPath: Module, UnaryLayer {
    public let p: Double

    public init(_ path: Path, p: Double) {
        self.p = p
        super.init(path)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard p > 0, isTraining else { return x }
        let keep = 1 - p
        // One Bernoulli(keep) draw per sample, broadcast over the other dimensions: B x 1 x ... x 1.
        let shape = [x.size(0)] + Array(repeating: 1, count: x.rank - 1)
        let mask = try (Tensor.rand(shape).to(x.device) + keep).apply(.floor)   // B values: drawn on the host
        return try x / keep * mask
    }

    public override var attributes: [(name: String, value: LayerAttribute)] { [("p", .double(p))] }
}
