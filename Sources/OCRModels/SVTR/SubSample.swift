import NN
import Torch

/// SVTR's patch merging between stages (PaddleOCR `SubSample`): halves the token grid's height,
/// keeps its width, widens the channels; then LayerNorm. Input B x C x H x W, output B x (H/2*W) x C'.
/// Conv: 3x3 stride (2, 1) conv (`<p>/conv`). Pool: mean of 3x5 avg- and max-pool, stride (2, 1),
/// then a Linear (`<p>/proj`). Norm: `<p>/norm` (Paddle's default LayerNorm epsilon, 1e-5).
public final class SubSample: Module, UnaryLayer {
    public enum Kind: String, Sendable, CaseIterable { case conv = "Conv", pool = "Pool" }

    public let type: Kind
    public let conv: Conv2d?
    public let avgPool: AvgPool2d?, maxPool: MaxPool2d?, proj: Linear?
    public let norm: LayerNorm

    public init(_ p: Path, in inChannels: Int, out outChannels: Int, type: Kind) throws {
        self.type = type
        switch type {
        case .conv:
            let c = try Conv2d(p / "conv", inChannels, outChannels, kernel: (3, 3), stride: (2, 1), padding: (1, 1))
            try SVTRInit.kaimingNormal(c)
            conv = c
            avgPool = nil; maxPool = nil; proj = nil
        case .pool:
            conv = nil
            // Paddle's AvgPool2D defaults to exclusive=True: padding does not count.
            avgPool = AvgPool2d(p / "avgpool", kernel: (3, 5), stride: (2, 1), padding: (1, 2), countIncludePad: false)
            maxPool = MaxPool2d(p / "maxpool", kernel: (3, 5), stride: (2, 1), padding: (1, 2))
            let l = try Linear(p / "proj", inChannels, outChannels)
            try SVTRInit.linear(l)
            proj = l
        }
        norm = try LayerNorm(p / "norm", outChannels, eps: 1e-5)
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let tokens: Tensor
        if let conv {
            tokens = try conv(x).flatten(2).transpose(1, 2)                       // B x C' x H/2 x W -> B x N x C'
        } else if let avgPool, let maxPool, let proj {
            let pooled = try (avgPool(x) + maxPool(x)) * 0.5
            tokens = try proj(pooled.flatten(2).transpose(1, 2))                  // B x C x H/2 x W -> B x N x C -> B x N x C'
        } else {
            throw ModelError(.invalidConfig, "SubSample \(path): no layers")
        }
        return try norm(tokens)
    }

    public override var attributes: [(name: String, value: LayerAttribute)] { [("types", .string(type.rawValue))] }
}
