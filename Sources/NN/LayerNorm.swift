import Torch

/// Layer normalisation over the last dimensions (`normalizedShape`), with affine weight and bias.
public final class LayerNorm: Module, UnaryLayer {
    public let normalizedShape: [Int], eps: Double
    public private(set) var weight: Tensor, bias: Tensor

    public init(_ path: Path, _ normalizedShape: [Int], eps: Double = 1e-5) throws {
        self.normalizedShape = normalizedShape
        self.eps = eps
        weight = try Tensor.ones(normalizedShape)
        bias = try Tensor.zeros(normalizedShape)
        super.init(path)
        weight = try registerParameter("weight", weight)
        bias = try registerParameter("bias", bias)
    }

    public convenience init(_ path: Path, _ features: Int, eps: Double = 1e-5) throws {
        try self.init(path, [features], eps: eps)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try F.layerNorm(x, normalizedShape: normalizedShape, weight: weight, bias: bias, eps: eps)
    }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("normalized_shape", .ints(normalizedShape)), ("eps", .double(eps))]
    }
}
