import NN
import Torch

/// PaddleOCR's `EncoderWithSVTR` (the SVTR neck of PP-OCRv4's CTC branch): reduce the backbone's
/// C channels to C/8 (conv `kernel`) and to `hiddenDims` (1 x 1), `depth` global SVTR blocks over
/// the H*W tokens, LayerNorm, back to C channels (1 x 1), concatenate with the input, reduce to
/// C/8 (conv `kernel`) and to `dims` (1 x 1). Every conv is conv (no bias) + BatchNorm + swish.
/// B x C x H x W -> B x `dims` x H x W.
///
/// `useGuide` (PaddleOCR's `use_guide`) detaches the input, so this branch's loss does not reach
/// the backbone - PaddleOCR trains the backbone through its NRTR branch then. OCRKit has no NRTR
/// branch, so fine-tuning configs leave it false.
/// Paths: `<p>/conv1`, `<p>/conv2`, `<p>/svtr_block/<i>/...`, `<p>/norm`, `<p>/conv3`, `<p>/conv4`, `<p>/conv1x1`.
public final class EncoderWithSVTR: Module, UnaryLayer {
    public let conv1: ConvBNLayer, conv2: ConvBNLayer
    public let svtrBlock: [SVTRBlock]
    public let norm: LayerNorm
    public let conv3: ConvBNLayer, conv4: ConvBNLayer, conv1x1: ConvBNLayer
    public let useGuide: Bool
    public let outChannels: Int

    public init(_ p: Path, inChannels c: Int, dims: Int = 64, depth: Int = 2, hiddenDims: Int = 120, heads: Int = 8,
                kernel: (Int, Int) = (3, 3), mlpRatio: Double = 2, drop: Double = 0.1, attnDrop: Double = 0.1,
                useGuide: Bool = false) throws {
        let pad = (kernel.0 / 2, kernel.1 / 2)
        func convBN(_ name: String, _ i: Int, _ o: Int, _ k: (Int, Int), _ pad: (Int, Int)) throws -> ConvBNLayer {
            try ConvBNLayer(p / name, in: i, out: o, kernel: k, padding: pad, normName: "norm", act: .swish)
        }
        conv1 = try convBN("conv1", c, c / 8, kernel, pad)
        conv2 = try convBN("conv2", c / 8, hiddenDims, (1, 1), (0, 0))
        // The Global mixer does not use the token grid (it is for Local masks and Conv mixers).
        svtrBlock = try (0..<depth).map { i in
            try SVTRBlock(p / "svtr_block" / i, dim: hiddenDims, heads: heads, mixer: .global, grid: (1, 1),
                          localKernel: (7, 11), mlpRatio: mlpRatio, qkvBias: true, qkScale: nil, drop: drop,
                          attnDrop: attnDrop, dropPath: 0, act: .swish, epsilon: 1e-5, prenorm: false)
        }
        norm = try LayerNorm(p / "norm", hiddenDims, eps: 1e-6)
        conv3 = try convBN("conv3", hiddenDims, c, (1, 1), (0, 0))
        conv4 = try convBN("conv4", 2 * c, c / 8, kernel, pad)
        conv1x1 = try convBN("conv1x1", c / 8, dims, (1, 1), (0, 0))
        self.useGuide = useGuide
        outChannels = dims
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let h = useGuide ? try x.detach() : x                           // the shortcut
        var z = try conv2(conv1(h))
        let (b, c, height, width) = (z.size(0), z.size(1), z.size(2), z.size(3))
        z = try z.flatten(2).transpose(1, 2)                            // B x C x H x W -> B x HW x C
        for blk in svtrBlock { z = try blk(z) }
        z = try norm(z).reshape([b, height, width, c]).permute([0, 3, 1, 2])   // -> B x C x H x W
        z = try Tensor.cat([h, conv3(z)], dim: 1)                       // B x 2C' x H x W
        return try conv1x1(conv4(z))
    }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("dims", .int(outChannels)), ("use_guide", .bool(useGuide))]
    }
}
