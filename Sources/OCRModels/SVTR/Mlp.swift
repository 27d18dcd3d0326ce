import NN
import Torch

/// Linear -> GELU -> dropout -> Linear -> dropout (PaddleOCR `Mlp`). Paths: `<p>/fc1`, `<p>/fc2`.
public final class Mlp: Module, UnaryLayer {
    public let fc1: Linear, act: Activation, fc2: Linear, drop: Dropout

    public init(_ p: Path, in inFeatures: Int, hidden: Int, act: Activation.Function = .gelu, drop: Double = 0) throws {
        fc1 = try Linear(p / "fc1", inFeatures, hidden)
        self.act = Activation(p / "act", act)
        fc2 = try Linear(p / "fc2", hidden, inFeatures)
        self.drop = Dropout(p / "drop", p: drop)
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try drop(fc2(drop(act(fc1(x)))))
    }
}
