import NN
import Torch

/// PaddleOCR's PPLCNetV3 backbone (PP-OCRv4 mobile rec and det), re-parameterised as the
/// inference files hold it: a 3 x 3 stride-2 stem (conv + BatchNorm, kept unfolded as in the
/// file) and five stages of `LCNetV3Block`.
/// - rec (`det` false): then a 3 x 2 average pool; a 48-pixel-high line becomes a B x C x 1 x W/8
///   map (C = 480 at scale 0.95).
/// - det: integer strides (a stride-2 depthwise conv skips its activation, as in Paddle), and
///   `features(_:)` returns the outputs of stages 3-6 through 1 x 1 convs (`layer_list`): 1/4, 1/8,
///   1/16 and 1/32 of the input with 12, 18, 42 and 360 channels at scale 0.75.
///
/// PaddleOCR pools adaptively to width 40 while training and by 3 x 2 at inference; OCRKit pools
/// by 3 x 2 in both, so fine-tuning sees the same function as inference at any width (the two
/// agree at PaddleOCR's training width 320).
/// Paths: `backbone/conv1/{conv,bn}`, `backbone/blocks2/0/...` ... `backbone/blocks6/3/...`.
public final class PPLCNetV3: Module, RecognitionBackbone {
    /// (kernel, in, out, stride (h, w), SE) per block, before scaling: PaddleOCR's NET_CONFIG_rec.
    static let recStages: [[(k: Int, in: Int, out: Int, s: (Int, Int), se: Bool)]] = [
        [(3, 16, 32, (1, 1), false)],
        [(3, 32, 64, (1, 1), false), (3, 64, 64, (1, 1), false)],
        [(3, 64, 128, (2, 1), false), (3, 128, 128, (1, 1), false)],
        [(3, 128, 256, (1, 2), false), (5, 256, 256, (1, 1), false), (5, 256, 256, (1, 1), false),
         (5, 256, 256, (1, 1), false), (5, 256, 256, (1, 1), false)],
        [(5, 256, 512, (2, 1), true), (5, 512, 512, (1, 1), true), (5, 512, 512, (2, 1), false),
         (5, 512, 512, (1, 1), false)],
    ]

    /// PaddleOCR's NET_CONFIG_det: integer strides.
    static let detStages: [[(k: Int, in: Int, out: Int, s: (Int, Int), se: Bool)]] = [
        [(3, 16, 32, (1, 1), false)],
        [(3, 32, 64, (2, 2), false), (3, 64, 64, (1, 1), false)],
        [(3, 64, 128, (2, 2), false), (3, 128, 128, (1, 1), false)],
        [(3, 128, 256, (2, 2), false), (5, 256, 256, (1, 1), false), (5, 256, 256, (1, 1), false),
         (5, 256, 256, (1, 1), false), (5, 256, 256, (1, 1), false)],
        [(5, 256, 512, (2, 2), true), (5, 512, 512, (1, 1), true), (5, 512, 512, (1, 1), false),
         (5, 512, 512, (1, 1), false)],
    ]
    /// The det layout's `layer_list` widths before scaling (PaddleOCR's mv_c).
    static let detFeatureWidths = [16, 24, 56, 480]

    public let conv1: ConvBNLayer
    public let blocks2: [LCNetV3Block], blocks3: [LCNetV3Block], blocks4: [LCNetV3Block]
    public let blocks5: [LCNetV3Block], blocks6: [LCNetV3Block]
    /// rec only.
    public let pool: AvgPool2d?
    /// det only: 1 x 1 convs (with bias) on the outputs of stages 3, 4, 5 and 6.
    public let layerList: [Conv2d]
    public let scale: Double
    public let det: Bool
    /// rec: the pooled map's channels; det: stage 6's (the features have `featureChannels`).
    public let outChannels: Int
    /// det: the channels of `features(_:)`'s four maps.
    public let featureChannels: [Int]
    public var prefersChannelsLast: Bool { true }

    public init(_ p: Path, inChannels: Int = 3, scale: Double = 0.95, det: Bool = false) throws {
        self.scale = scale
        self.det = det
        conv1 = try ConvBNLayer(p / "conv1", in: inChannels, out: Self.makeDivisible(16 * scale), kernel: (3, 3),
                                stride: (2, 2), padding: (1, 1), act: nil)
        let stages = det ? Self.detStages : Self.recStages
        func stage(_ i: Int) throws -> [LCNetV3Block] {
            try stages[i].enumerated().map { j, b in
                try LCNetV3Block(p / "blocks\(i + 2)" / j, in: Self.makeDivisible(Double(b.in) * scale),
                                 out: Self.makeDivisible(Double(b.out) * scale), stride: b.s, kernel: b.k, useSE: b.se,
                                 integerStride2: det && b.s == (2, 2))
            }
        }
        blocks2 = try stage(0)
        blocks3 = try stage(1)
        blocks4 = try stage(2)
        blocks5 = try stage(3)
        blocks6 = try stage(4)
        outChannels = Self.makeDivisible(512 * scale)
        if det {
            pool = nil
            let stageOut = [64, 128, 256, 512].map { Self.makeDivisible(Double($0) * scale) }
            let widths = Self.detFeatureWidths.map { Int(Double($0) * scale) }
            featureChannels = widths
            layerList = try (0..<4).map { i in try Conv2d(p / "layer_list" / i, stageOut[i], widths[i], kernel: 1) }
        } else {
            pool = AvgPool2d(p / "pool", kernel: (3, 2), countIncludePad: false)
            featureChannels = []
            layerList = []
        }
        super.init(p)
    }

    /// PaddleOCR's `make_divisible(v, 16)`: nearest multiple of 16, never below 90% of `v`.
    public static func makeDivisible(_ v: Double, divisor: Int = 16) -> Int {
        let d = Double(divisor)
        var n = max(divisor, Int(v + d / 2) / divisor * divisor)
        if Double(n) < 0.9 * v { n += divisor }
        return n
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard let pool else { throw ModelError(.invalidConfig, "PPLCNetV3 \(path) is the det layout: use features(_:)") }
        var y = try conv1(x)
        for b in blocks2 + blocks3 + blocks4 + blocks5 + blocks6 { y = try b(y) }
        return try pool(y)                                      // B x C x 3 x W/4 -> B x C x 1 x W/8
    }

    /// det: the four feature maps for the FPN neck, B x featureChannels[i] x H/2^(i+2) x W/2^(i+2).
    public func features(_ x: Tensor) throws -> [Tensor] {
        guard det else { throw ModelError(.invalidConfig, "PPLCNetV3 \(path) is the rec layout: features(_:) needs det: true") }
        var y = try conv1(x)
        for b in blocks2 { y = try b(y) }
        var outs: [Tensor] = []
        for stage in [blocks3, blocks4, blocks5, blocks6] {
            for b in stage { y = try b(y) }
            outs.append(y)
        }
        return try zip(layerList, outs).map { try $0($1) }
    }

    public func outputSize(forInput size: (h: Int, w: Int)) -> (h: Int, w: Int) {
        func conv(_ n: Int, _ k: Int, _ s: Int) -> Int { n < 1 ? 0 : (n + 2 * ((k - 1) / 2) - k) / s + 1 }
        var (h, w) = (conv(size.h, 3, 2), conv(size.w, 3, 2))
        for b in Self.recStages.joined() {
            h = conv(h, b.k, b.s.0)
            w = conv(w, b.k, b.s.1)
        }
        return (h >= 3 ? (h - 3) / 3 + 1 : 0, w >= 2 ? (w - 2) / 2 + 1 : 0)
    }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("scale", .double(scale)), ("out", .int(outChannels))]
    }
}
