import Torch

/// Zeroes entries with probability `p` while training (scaling the rest by 1/(1-p)); identity in eval.
public final class Dropout: Module, UnaryLayer {
    public let p: Double

    public init(_ path: Path, p: Double = 0.5) {
        self.p = p
        super.init(path)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        p == 0 || !isTraining ? x : try F.dropout(x, p: p, training: true)
    }

    public override var attributes: [(name: String, value: LayerAttribute)] { [("p", .double(p))] }
}
