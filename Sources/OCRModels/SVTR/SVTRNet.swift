import NN
import Torch

/// PaddleOCR's SVTRNet (`ppocr/modeling/backbones/rec_svtrnet.py`): overlapping patch embedding
/// to an (H/4) x (W/4) token grid, an absolute position embedding (which fixes the input size),
/// three stages of mixing blocks with patch merging that halves the grid height between them,
/// then - `last_stage` - average pooling to 1 x `out_char_num`, a 1x1 conv to `out_channels`,
/// hardswish and dropout: B x 3 x H x W -> B x out_channels x 1 x out_char_num.
///
/// Paths (PaddleOCR's names, `.` -> `/`): `pos_embed`, `patch_embed/proj/<i>/{conv,norm}/...`,
/// `blocks1/<i>/{norm1,mixer/qkv,mixer/proj,norm2,mlp/fc1,mlp/fc2}/...`, `sub_sample1/{conv,norm}/...`,
/// `blocks2/...`, `sub_sample2/...`, `blocks3/...`, `norm/...` (prenorm false), `last_conv/weight`.
///
/// The final dropout is PyTorch-style (scaled while training, identity in eval); PaddleOCR's is
/// `downscale_in_infer` (unscaled while training, x(1-p) in eval). Both are the same function in
/// expectation; importing PaddleOCR weights means multiplying the head's weight (not its bias)
/// by 1 - `last_drop`.
public final class SVTRNet: Module, RecognitionBackbone {
    public let config: SVTRNetConfig
    public let imageSize: (h: Int, w: Int)
    /// The token grid after the patch embedding.
    public let grid: (h: Int, w: Int)
    public let outChannels: Int

    public private(set) var posEmbed: Tensor
    public let patchEmbed: PatchEmbed
    public let posDrop: Dropout
    public let blocks1: [SVTRBlock]
    public let subSample1: SubSample?
    public let blocks2: [SVTRBlock]
    public let subSample2: SubSample?
    public let blocks3: [SVTRBlock]
    public let norm: LayerNorm?
    public let avgPool: AdaptiveAvgPool2d
    public let lastConv: Conv2d
    public let hardswish: Activation
    public let dropout: Dropout

    /// `imageSize`: the only input size this instance accepts (the position embedding has one
    /// entry per token). `config.imgSize`, when set, must agree.
    public init(_ p: Path, config c: SVTRNetConfig, inChannels: Int, imageSize: (h: Int, w: Int)) throws {
        try c.validate()
        let sub = 1 << c.subNum
        // Two (2, 1) patch mergings follow, so the grid height must halve evenly twice.
        guard imageSize.h % (sub * 4) == 0, imageSize.w % sub == 0 else {
            throw ModelError(.invalidConfig, "SVTRNet needs an image height divisible by \(sub * 4) and a width divisible by \(sub) "
                             + "(sub_num \(c.subNum)), got \(imageSize.h) x \(imageSize.w)")
        }
        self.config = c
        self.imageSize = imageSize
        grid = (imageSize.h / sub, imageSize.w / sub)
        outChannels = c.outChannels
        let dims = c.embedDim, merging = c.patchMerging.flatMap(SubSample.Kind.init(rawValue:))
        let mixers = try c.mixer.map { name in
            guard let m = SVTRAttention.Mixer(rawValue: name) else {
                throw ModelError.unknown("SVTRNet mixer", name, known: SVTRAttention.Mixer.allCases.map(\.rawValue))
            }
            return m
        }
        let total = c.depth.reduce(0, +)
        // np.linspace(0, drop_path_rate, sum(depth))
        let dpr = (0..<total).map { total > 1 ? c.dropPathRate * Double($0) / Double(total - 1) : 0 }
        let act = try c.activation()

        patchEmbed = try PatchEmbed(p / "patch_embed", inChannels: inChannels, embedDim: dims[0], subNum: c.subNum)
        posEmbed = try Tensor.zeros([1, grid.h * grid.w, dims[0]])
        posDrop = Dropout(p / "pos_drop", p: c.dropRate)

        func stage(_ s: Int, _ name: String, grid g: (h: Int, w: Int)) throws -> [SVTRBlock] {
            let offset = c.depth[..<s].reduce(0, +)
            return try (0..<c.depth[s]).map { i in
                try SVTRBlock(p / name / i, dim: dims[s], heads: c.numHeads[s], mixer: mixers[offset + i], grid: g,
                              localKernel: (c.localMixer[s][0], c.localMixer[s][1]), mlpRatio: c.mlpRatio,
                              qkvBias: c.qkvBias, qkScale: c.qkScale, drop: c.dropRate, attnDrop: c.attnDropRate,
                              dropPath: dpr[offset + i], act: act, epsilon: c.epsilon, prenorm: c.prenorm)
            }
        }
        blocks1 = try stage(0, "blocks1", grid: grid)
        subSample1 = try merging.map { try SubSample(p / "sub_sample1", in: dims[0], out: dims[1], type: $0) }
        let grid2 = merging == nil ? grid : (grid.h / 2, grid.w)
        blocks2 = try stage(1, "blocks2", grid: grid2)
        subSample2 = try merging.map { try SubSample(p / "sub_sample2", in: dims[1], out: dims[2], type: $0) }
        let grid3 = merging == nil ? grid : (grid.h / 4, grid.w)
        blocks3 = try stage(2, "blocks3", grid: grid3)
        norm = c.prenorm ? nil : try LayerNorm(p / "norm", dims[2], eps: c.epsilon)
        avgPool = AdaptiveAvgPool2d(p / "avg_pool", outputSize: (1, c.outCharNum))
        lastConv = try Conv2d(p / "last_conv", dims[2], c.outChannels, kernel: 1, bias: false)
        hardswish = Activation(p / "hardswish", .hardSwish)
        dropout = Dropout(p / "dropout", p: c.lastDrop)
        super.init(p)
        posEmbed = try registerParameter("pos_embed", posEmbed)

        // SVTRNet._init_weights: every Linear N(0, 0.02) with zero bias; pos_embed N(0, 0.02).
        for case let l as Linear in modules() { try SVTRInit.linear(l) }
        try SVTRInit.truncNormal(posEmbed)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard x.rank == 4, x.size(2) == imageSize.h, x.size(3) == imageSize.w else {
            throw ModelError(.invalidInput, "SVTRNet was built for \(imageSize.h) x \(imageSize.w) images "
                             + "(its position embedding fixes the size), got input \(x.shape)")
        }
        let b = x.size(0), dims = config.embedDim
        var t = try posDrop(patchEmbed(x) + posEmbed)                             // B x N x D0
        t = try blocks1.reduce(t) { try $1($0) }
        if let subSample1 {
            // B x N x D0 -> B x D0 x h x w
            t = try subSample1(t.transpose(1, 2).reshape([b, dims[0], grid.h, grid.w]))
        }
        t = try blocks2.reduce(t) { try $1($0) }
        if let subSample2 {
            t = try subSample2(t.transpose(1, 2).reshape([b, dims[1], grid.h / 2, grid.w]))
        }
        t = try blocks3.reduce(t) { try $1($0) }
        if let norm { t = try norm(t) }
        let h = subSample1 == nil ? grid.h : grid.h / 4
        let map = try t.transpose(1, 2).reshape([b, dims[2], h, grid.w])           // B x N x D2 -> B x D2 x h x w
        return try dropout(hardswish(lastConv(avgPool(map))))                       // B x outChannels x 1 x T
    }

    public var prefersChannelsLast: Bool { false }

    public func outputSize(forInput size: (h: Int, w: Int)) -> (h: Int, w: Int) { (1, config.outCharNum) }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("img_size", .ints([imageSize.h, imageSize.w])), ("out_char_num", .int(config.outCharNum)),
         ("out_channels", .int(outChannels))]
    }
}
