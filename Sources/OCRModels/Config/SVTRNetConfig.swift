import NN

/// `Architecture.Backbone` with `name: SVTRNet` (PaddleOCR `rec_svtrnet.SVTRNet`). Every key is
/// optional; the defaults are PaddleOCR's (SVTR-Tiny's stages, `prenorm: true`; `rec_svtrnet.yml`
/// sets `prenorm: false`, see `ArchitectureConfig.svtrTiny`).
///
/// ```yaml
/// Backbone:
///   name: SVTRNet
///   img_size: [32, 320]     # must equal the input's H, W (default: taken from the input shape)
///   out_char_num: 80        # output sequence length T
///   out_channels: 192
///   patch_merging: Conv     # Conv | Pool | None
///   embed_dim: [64, 128, 256]
///   depth: [3, 6, 3]
///   num_heads: [2, 4, 8]
///   mixer: [Local, Local, Local, Local, Local, Local, Global, Global, Global, Global, Global, Global]
///   local_mixer: [[7, 11], [7, 11], [7, 11]]
///   last_stage: true
///   prenorm: false
/// ```
/// Also read: `in_channels`, `mlp_ratio` (4), `qkv_bias` (true), `qk_scale` (null: head_dim^-0.5),
/// `drop_rate` (0), `last_drop` (0.1), `attn_drop_rate` (0), `drop_path_rate` (0.1),
/// `norm_layer`/`sub_norm` (nn.LayerNorm only), `epsilon` (1e-6), `block_unit` (Block only),
/// `act` (nn.GELU only), `sub_num` (2 or 3), `use_lenhead` (false only).
public struct SVTRNetConfig: Codable, Sendable, Equatable {
    /// `img_size`: [H, W] the position embedding is built for. Default: the input shape's (PaddleOCR's is [32, 100]).
    public var imgSize: [Int]?
    /// `in_channels`: image channels; when given it must match the input shape.
    public var inChannels: Int?
    /// `embed_dim`: token width of the three stages.
    public var embedDim: [Int] = [64, 128, 256]
    /// `depth`: blocks per stage.
    public var depth: [Int] = [3, 6, 3]
    /// `num_heads`: attention heads per stage.
    public var numHeads: [Int] = [2, 4, 8]
    /// `mixer`: one of Local, Global, Conv per block (sum(depth) entries).
    public var mixer: [String] = Array(repeating: "Local", count: 6) + Array(repeating: "Global", count: 6)
    /// `local_mixer`: [kh, kw] window of the Local mixer (and kernel of the Conv mixer) per stage.
    public var localMixer: [[Int]] = [[7, 11], [7, 11], [7, 11]]
    /// `patch_merging`: Conv, Pool, or None/null (no merging: all stages must then have the same width).
    public var patchMerging: String? = "Conv"
    /// `mlp_ratio`: MLP hidden width / token width.
    public var mlpRatio: Double = 4
    /// `qkv_bias`: bias on the fused q/k/v projection.
    public var qkvBias: Bool = true
    /// `qk_scale`: attention logit scale; null means head_dim^-0.5.
    public var qkScale: Double?
    /// `drop_rate`: dropout after the position embedding, attention projection and MLP layers.
    public var dropRate: Double = 0
    /// `last_drop`: dropout after the last conv.
    public var lastDrop: Double = 0.1
    /// `attn_drop_rate`: dropout on attention weights.
    public var attnDropRate: Double = 0
    /// `drop_path_rate`: stochastic depth, rising linearly from 0 to this over the blocks.
    public var dropPathRate: Double = 0.1
    /// `norm_layer`: block norm; only nn.LayerNorm.
    public var normLayer: String = "nn.LayerNorm"
    /// `sub_norm`: patch-merging norm; only nn.LayerNorm.
    public var subNorm: String = "nn.LayerNorm"
    /// `epsilon`: LayerNorm epsilon inside blocks and of the final norm.
    public var epsilon: Double = 1e-6
    /// `out_channels`: channels of the last 1x1 conv (the head's input width).
    public var outChannels: Int = 192
    /// `out_char_num`: output sequence length T (width of the final average pool).
    public var outCharNum: Int = 25
    /// `block_unit`: only Block.
    public var blockUnit: String = "Block"
    /// `act`: MLP activation; only nn.GELU.
    public var act: String = "nn.GELU"
    /// `last_stage`: pool + conv to `out_channels` x 1 x `out_char_num`; must be true for CTC.
    public var lastStage: Bool = true
    /// `sub_num`: stride-2 convs in the patch embedding (2: grid H/4 x W/4, 3: H/8 x W/8).
    public var subNum: Int = 2
    /// `prenorm`: LayerNorm after (true) or before (false) each residual branch.
    public var prenorm: Bool = true
    /// `use_lenhead`: PaddleOCR's length head; not supported (false only).
    public var useLenhead: Bool = false

    public init() {}

    enum CodingKeys: String, CodingKey {
        case imgSize = "img_size", inChannels = "in_channels", embedDim = "embed_dim", depth, numHeads = "num_heads"
        case mixer, localMixer = "local_mixer", patchMerging = "patch_merging", mlpRatio = "mlp_ratio"
        case qkvBias = "qkv_bias", qkScale = "qk_scale", dropRate = "drop_rate", lastDrop = "last_drop"
        case attnDropRate = "attn_drop_rate", dropPathRate = "drop_path_rate", normLayer = "norm_layer"
        case subNorm = "sub_norm", epsilon, outChannels = "out_channels", outCharNum = "out_char_num"
        case blockUnit = "block_unit", act, lastStage = "last_stage", subNum = "sub_num", prenorm
        case useLenhead = "use_lenhead"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SVTRNetConfig()
        imgSize = try c.decodeIfPresent([Int].self, forKey: .imgSize)
        inChannels = try c.decodeIfPresent(Int.self, forKey: .inChannels)
        embedDim = try c.decodeIfPresent([Int].self, forKey: .embedDim) ?? d.embedDim
        depth = try c.decodeIfPresent([Int].self, forKey: .depth) ?? d.depth
        numHeads = try c.decodeIfPresent([Int].self, forKey: .numHeads) ?? d.numHeads
        mixer = try c.decodeIfPresent([String].self, forKey: .mixer) ?? d.mixer
        localMixer = try c.decodeIfPresent([[Int]].self, forKey: .localMixer) ?? d.localMixer
        // Absent means PaddleOCR's default (Conv); an explicit null means no merging.
        patchMerging = c.contains(.patchMerging) ? try c.decodeIfPresent(String.self, forKey: .patchMerging) : d.patchMerging
        mlpRatio = try c.decodeIfPresent(Double.self, forKey: .mlpRatio) ?? d.mlpRatio
        qkvBias = try c.decodeIfPresent(Bool.self, forKey: .qkvBias) ?? d.qkvBias
        qkScale = try c.decodeIfPresent(Double.self, forKey: .qkScale)
        dropRate = try c.decodeIfPresent(Double.self, forKey: .dropRate) ?? d.dropRate
        lastDrop = try c.decodeIfPresent(Double.self, forKey: .lastDrop) ?? d.lastDrop
        attnDropRate = try c.decodeIfPresent(Double.self, forKey: .attnDropRate) ?? d.attnDropRate
        dropPathRate = try c.decodeIfPresent(Double.self, forKey: .dropPathRate) ?? d.dropPathRate
        normLayer = try c.decodeIfPresent(String.self, forKey: .normLayer) ?? d.normLayer
        subNorm = try c.decodeIfPresent(String.self, forKey: .subNorm) ?? d.subNorm
        epsilon = try c.decodeIfPresent(Double.self, forKey: .epsilon) ?? d.epsilon
        outChannels = try c.decodeIfPresent(Int.self, forKey: .outChannels) ?? d.outChannels
        outCharNum = try c.decodeIfPresent(Int.self, forKey: .outCharNum) ?? d.outCharNum
        blockUnit = try c.decodeIfPresent(String.self, forKey: .blockUnit) ?? d.blockUnit
        act = try c.decodeIfPresent(String.self, forKey: .act) ?? d.act
        lastStage = try c.decodeIfPresent(Bool.self, forKey: .lastStage) ?? d.lastStage
        subNum = try c.decodeIfPresent(Int.self, forKey: .subNum) ?? d.subNum
        prenorm = try c.decodeIfPresent(Bool.self, forKey: .prenorm) ?? d.prenorm
        useLenhead = try c.decodeIfPresent(Bool.self, forKey: .useLenhead) ?? d.useLenhead
    }

    /// Explicit null encodes as null, so a round trip keeps "no merging" distinct from the default.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(imgSize, forKey: .imgSize)
        try c.encodeIfPresent(inChannels, forKey: .inChannels)
        try c.encode(embedDim, forKey: .embedDim)
        try c.encode(depth, forKey: .depth)
        try c.encode(numHeads, forKey: .numHeads)
        try c.encode(mixer, forKey: .mixer)
        try c.encode(localMixer, forKey: .localMixer)
        try c.encode(patchMerging, forKey: .patchMerging)
        try c.encode(mlpRatio, forKey: .mlpRatio)
        try c.encode(qkvBias, forKey: .qkvBias)
        try c.encodeIfPresent(qkScale, forKey: .qkScale)
        try c.encode(dropRate, forKey: .dropRate)
        try c.encode(lastDrop, forKey: .lastDrop)
        try c.encode(attnDropRate, forKey: .attnDropRate)
        try c.encode(dropPathRate, forKey: .dropPathRate)
        try c.encode(normLayer, forKey: .normLayer)
        try c.encode(subNorm, forKey: .subNorm)
        try c.encode(epsilon, forKey: .epsilon)
        try c.encode(outChannels, forKey: .outChannels)
        try c.encode(outCharNum, forKey: .outCharNum)
        try c.encode(blockUnit, forKey: .blockUnit)
        try c.encode(act, forKey: .act)
        try c.encode(lastStage, forKey: .lastStage)
        try c.encode(subNum, forKey: .subNum)
        try c.encode(prenorm, forKey: .prenorm)
        try c.encode(useLenhead, forKey: .useLenhead)
    }

    /// Checks names and list lengths; throws a `ModelError` naming the key and what is accepted.
    public func validate() throws {
        func need(_ ok: Bool, _ message: @autoclosure () -> String) throws {
            if !ok { throw ModelError(.invalidConfig, "SVTRNet " + message()) }
        }
        try need(embedDim.count == 3 && depth.count == 3 && numHeads.count == 3 && localMixer.count == 3,
                 "embed_dim, depth, num_heads and local_mixer need 3 entries (one per stage)")
        try need(localMixer.allSatisfy { $0.count == 2 && $0.allSatisfy { $0 > 0 } }, "local_mixer entries must be [kh, kw], got \(localMixer)")
        try need(mixer.count == depth.reduce(0, +), "mixer has \(mixer.count) entries; sum(depth) = \(depth.reduce(0, +))")
        for m in mixer where SVTRAttention.Mixer(rawValue: m) == nil {
            throw ModelError.unknown("SVTRNet mixer", m, known: SVTRAttention.Mixer.allCases.map(\.rawValue))
        }
        if let pm = patchMerging, pm != "None", SubSample.Kind(rawValue: pm) == nil {
            throw ModelError.unknown("SVTRNet patch_merging", pm, known: SubSample.Kind.allCases.map(\.rawValue) + ["None"])
        }
        try need(merging != nil || Set(embedDim).count == 1, "patch_merging None needs equal embed_dim entries, got \(embedDim)")
        for (d, h) in zip(embedDim, numHeads) { try need(h > 0 && d % h == 0, "embed_dim \(d) is not divisible by num_heads \(h)") }
        if normLayer != "nn.LayerNorm" { throw ModelError.unknown("SVTRNet norm_layer", normLayer, known: ["nn.LayerNorm"]) }
        if subNorm != "nn.LayerNorm" { throw ModelError.unknown("SVTRNet sub_norm", subNorm, known: ["nn.LayerNorm"]) }
        if blockUnit != "Block" { throw ModelError.unknown("SVTRNet block_unit", blockUnit, known: ["Block"]) }
        _ = try activation()
        try need(subNum == 2 || subNum == 3, "sub_num must be 2 or 3, got \(subNum)")
        try need(lastStage, "last_stage: false leaves a B x N x C token sequence PaddleOCR uses only with non-CTC heads; "
                 + "OCRKit's CTC recognisers need last_stage: true")
        try need(!useLenhead, "use_lenhead: true is not supported")
        try need(outCharNum > 0 && outChannels > 0, "out_char_num and out_channels must be positive")
    }

    /// `patch_merging` as a layer kind; nil for None/null.
    public var merging: SubSample.Kind? { patchMerging.flatMap(SubSample.Kind.init(rawValue:)) }

    func activation() throws -> Activation.Function {
        guard act == "nn.GELU" else { throw ModelError.unknown("SVTRNet act", act, known: ["nn.GELU"]) }
        return .gelu
    }
}
