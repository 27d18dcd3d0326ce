import NN
import Torch

/// PaddleOCR's `EncoderWithLightSVTR` (PP-OCRv6's CTC neck, `encoder_type: lightsvtr`): a 1 x 1
/// skip conv of the input; a 1 x 1 reduction to `dims`, plus a depthwise 1 x `localKernel` conv
/// of it (local context before attention); `depth` global SVTR blocks over the H*W tokens;
/// LayerNorm; back to the map and added to the skip. Every conv is conv (no bias) + BatchNorm +
/// swish, as the inference file keeps them. B x C x H x W -> B x `dims` x H x W.
///
/// Declared in forward order (skip first), which the importer relies on.
/// Paths: `<p>/skip_conv`, `<p>/conv_reduce`, `<p>/local_conv`, `<p>/svtr_block/<i>/...`, `<p>/norm`.
public final class EncoderWithLightSVTR: Module, UnaryLayer {
    public let skipConv: ConvBNLayer, convReduce: ConvBNLayer, localConv: ConvBNLayer
    public let svtrBlock: [SVTRBlock]
    public let norm: LayerNorm
    public let useGuide: Bool
    public let outChannels: Int

    public init(_ p: Path, inChannels c: Int, dims: Int = 120, depth: Int = 2, heads: Int = 8, mlpRatio: Double = 2,
                localKernel: Int = 7, drop: Double = 0.1, attnDrop: Double = 0.1, useGuide: Bool = false) throws {
        skipConv = try ConvBNLayer(p / "skip_conv", in: c, out: dims, kernel: (1, 1), padding: (0, 0), normName: "norm", act: .swish)
        convReduce = try ConvBNLayer(p / "conv_reduce", in: c, out: dims, kernel: (1, 1), padding: (0, 0), normName: "norm", act: .swish)
        localConv = try ConvBNLayer(p / "local_conv", in: dims, out: dims, kernel: (1, localKernel), padding: (0, localKernel / 2),
                                    groups: dims, normName: "norm", act: .swish)
        svtrBlock = try (0..<depth).map { i in
            try SVTRBlock(p / "svtr_block" / i, dim: dims, heads: heads, mixer: .global, grid: (1, 1), localKernel: (7, 11),
                          mlpRatio: mlpRatio, qkvBias: true, qkScale: nil, drop: drop, attnDrop: attnDrop, dropPath: 0,
                          act: .swish, epsilon: 1e-5, prenorm: false)
        }
        norm = try LayerNorm(p / "norm", dims, eps: 1e-6)
        self.useGuide = useGuide
        outChannels = dims
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let x = useGuide ? try x.detach() : x
        let skip = try skipConv(x)
        var z = try convReduce(x)
        z = try z + localConv(z)
        let (b, c, height, width) = (z.size(0), z.size(1), z.size(2), z.size(3))
        z = try z.flatten(2).transpose(1, 2)                            // B x C x H x W -> B x HW x C
        for blk in svtrBlock { z = try blk(z) }
        z = try norm(z).reshape([b, height, width, c]).permute([0, 3, 1, 2])   // -> B x C x H x W
        return try z + skip
    }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("dims", .int(outChannels)), ("use_guide", .bool(useGuide))]
    }
}
