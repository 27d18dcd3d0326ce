import NN
import Torch

/// PaddleOCR's `LearnableAffineBlock` (PPLCNetV3): `scale * x + bias` with one learnable scalar
/// each (shape [1]), initialised 1 and 0. Paths: `<p>/scale`, `<p>/bias`.
public final class LearnableAffineBlock: Module, UnaryLayer {
    public private(set) var scale: Tensor, bias: Tensor

    public init(_ p: Path, scale scaleValue: Double = 1, bias biasValue: Double = 0) throws {
        scale = try Tensor.full([1], value: scaleValue)
        bias = try Tensor.full([1], value: biasValue)
        super.init(p)
        scale = try registerParameter("scale", scale)
        bias = try registerParameter("bias", bias)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try x * scale + bias }
}

/// PPLCNetV3's `Act`: hard-swish (or ReLU) followed by a learnable affine block.
/// Paths: `<p>/act`, `<p>/lab/{scale,bias}`.
public final class AffineActivation: Module, UnaryLayer {
    public let act: Activation
    public let lab: LearnableAffineBlock

    public init(_ p: Path, _ function: Activation.Function = .hardSwish) throws {
        act = Activation(p / "act", function)
        lab = try LearnableAffineBlock(p / "lab")
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try lab(act(x)) }
}
