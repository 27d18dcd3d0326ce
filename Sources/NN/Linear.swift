import Torch

/// y = x W^T + b over the last dimension. Weight out x in.
public final class Linear: Module, UnaryLayer {
    public let inFeatures: Int, outFeatures: Int
    public private(set) var weight: Tensor
    public private(set) var bias: Tensor?

    public init(_ path: Path, _ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) throws {
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = try Init.kaimingUniformDefault([outFeatures, inFeatures], fanIn: inFeatures)
        self.bias = bias ? try Init.uniform([outFeatures], bound: 1 / Double(inFeatures).squareRoot()) : nil
        super.init(path)
        weight = try registerParameter("weight", weight)
        if let b = self.bias { self.bias = try registerParameter("bias", b) }
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try F.linear(x, weight: weight, bias: bias) }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("in", .int(inFeatures)), ("out", .int(outFeatures)), ("bias", .bool(bias != nil))]
    }
}
