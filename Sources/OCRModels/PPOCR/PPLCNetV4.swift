import NN
import Torch

/// PaddleOCR's PPLCNetV4 backbone (PP-OCRv6 rec and det), re-parameterised as the inference files hold it:
/// a stride-4 stem (`PPLCNetV4Stem` for small and medium; two folded 3 x 3 /2 convs with GELU
/// between for tiny), stages `blocks2` ... `blocks5` of `LCNetV4Block` whose downsampling blocks
/// stride (2, 1), then a 3 x 2 average pool: a 48-pixel-high line becomes B x C x 1 x W/8
/// (C = 384 for small). PaddleOCR pools adaptively to width 40 while training, by 3 x 2 at
/// inference; OCRKit pools 3 x 2 in both, as for PPLCNetV3.
/// - det (`det` true): the branch stem, then four stages whose first blocks stride 2 (PaddleOCR's
///   NET_CONFIG_DET); `features(_:)` returns the four stage outputs, 1/4 ... 1/32 of the input
///   (small: 48, 96, 192 and 384 channels).
/// Paths: rec `backbone/conv1/...`, `backbone/blocks2/0/...` ... `backbone/blocks5/2/...`;
/// det `backbone/stem/...`, `backbone/blocks_s1/0/...` ... `backbone/blocks_s4/2/...` (PaddleOCR's names).
public final class PPLCNetV4: Module, RecognitionBackbone, DetectionBackbone {
    typealias Block = (k: Int, in: Int, out: Int, s: (Int, Int), se: Bool)
    /// PaddleOCR's NET_CONFIG_REC: stem (mid, out) and the stages per model size.
    static let recLayouts: [String: (stem: (Int, Int), branchStem: Bool, stages: [[Block]])] = [
        "tiny": ((24, 48), false, [
            [(3, 48, 48, (1, 1), true)],
            [(3, 48, 48, (1, 1), false)],
            [(3, 48, 96, (2, 1), false), (3, 96, 96, (1, 1), true), (3, 96, 96, (1, 1), false)],
            [(3, 96, 160, (2, 1), false), (3, 160, 160, (1, 1), true), (3, 160, 160, (1, 1), false), (3, 160, 160, (1, 1), false)],
        ]),
        "small": ((48, 96), true, [
            [(3, 96, 96, (1, 1), true)],
            [(3, 96, 96, (1, 1), false), (3, 96, 96, (1, 1), false)],
            [(3, 96, 192, (2, 1), false), (3, 192, 192, (1, 1), true), (3, 192, 192, (1, 1), false),
             (3, 192, 192, (1, 1), true), (3, 192, 192, (1, 1), false), (3, 192, 192, (1, 1), true), (3, 192, 192, (1, 1), false)],
            [(3, 192, 384, (2, 1), false), (3, 384, 384, (1, 1), true), (3, 384, 384, (1, 1), false)],
        ]),
        "medium": ((64, 128), true, [
            [(3, 128, 128, (1, 1), true)],
            [(3, 128, 256, (1, 1), false), (3, 256, 256, (1, 1), false), (3, 256, 256, (1, 1), true)],
            [(3, 256, 512, (2, 1), false), (3, 512, 512, (1, 1), true), (3, 512, 512, (1, 1), false),
             (3, 512, 512, (1, 1), true), (3, 512, 512, (1, 1), false), (3, 512, 512, (1, 1), true), (3, 512, 512, (1, 1), false)],
            [(3, 512, 768, (2, 1), false), (3, 768, 768, (1, 1), true), (3, 768, 768, (1, 1), false)],
        ]),
    ]
    /// PaddleOCR's NET_CONFIG_DET: stem (mid, out) and stages s1-s4 per model size.
    static let detLayouts: [String: (stem: (Int, Int), branchStem: Bool, stages: [[Block]])] = [
        "tiny": ((16, 32), true, [
            [(3, 32, 32, (1, 1), true), (3, 32, 32, (1, 1), false)],
            [(3, 32, 48, (2, 2), false), (3, 48, 48, (1, 1), true), (3, 48, 48, (1, 1), false)],
            [(3, 48, 64, (2, 2), false), (3, 64, 64, (1, 1), true), (3, 64, 64, (1, 1), false), (3, 64, 64, (1, 1), true),
             (3, 64, 64, (1, 1), false)],
            [(3, 64, 160, (2, 2), false), (3, 160, 160, (1, 1), true), (3, 160, 160, (1, 1), false)],
        ]),
        "small": ((24, 48), true, [
            [(3, 48, 48, (1, 1), true), (3, 48, 48, (1, 1), false)],
            [(3, 48, 96, (2, 2), false), (3, 96, 96, (1, 1), true), (3, 96, 96, (1, 1), false)],
            [(3, 96, 192, (2, 2), false), (3, 192, 192, (1, 1), true), (3, 192, 192, (1, 1), false), (3, 192, 192, (1, 1), true),
             (3, 192, 192, (1, 1), false)],
            [(3, 192, 384, (2, 2), false), (3, 384, 384, (1, 1), true), (3, 384, 384, (1, 1), false)],
        ]),
        "medium": ((64, 128), true, [
            [(3, 128, 128, (1, 1), true), (3, 128, 128, (1, 1), false)],
            [(3, 128, 256, (2, 2), false), (3, 256, 256, (1, 1), true), (3, 256, 256, (1, 1), false)],
            [(3, 256, 512, (2, 2), false), (3, 512, 512, (1, 1), true), (3, 512, 512, (1, 1), false), (3, 512, 512, (1, 1), true),
             (3, 512, 512, (1, 1), false)],
            [(3, 512, 896, (2, 2), false), (3, 896, 896, (1, 1), true), (3, 896, 896, (1, 1), false)],
        ]),
    ]
    public static var modelSizes: [String] { recLayouts.keys.sorted() }

    public let conv1: any UnaryLayer
    public let blocks2: [LCNetV4Block], blocks3: [LCNetV4Block], blocks4: [LCNetV4Block], blocks5: [LCNetV4Block]
    /// rec only.
    public let pool: AvgPool2d?
    public let modelSize: String
    public let det: Bool
    public let outChannels: Int
    /// det: the channels of `features(_:)`'s four maps.
    public let featureChannels: [Int]
    public var prefersChannelsLast: Bool { true }

    public init(_ p: Path, inChannels: Int = 3, modelSize: String = "small", det: Bool = false) throws {
        guard let layout = (det ? Self.detLayouts : Self.recLayouts)[modelSize] else {
            throw ModelError.unknown("PPLCNetV4 model_size", modelSize, known: Self.modelSizes)
        }
        self.modelSize = modelSize
        self.det = det
        let (mid, out) = layout.stem
        let stemPath = p / (det ? "stem" : "conv1")
        conv1 = layout.branchStem ? try PPLCNetV4Stem(stemPath, in: inChannels, mid: mid, out: out)
                                  : try PPLCNetV4SimpleStem(stemPath, in: inChannels, mid: mid, out: out)
        func stage(_ i: Int) throws -> [LCNetV4Block] {
            try layout.stages[i].enumerated().map { j, b in
                try LCNetV4Block(p / (det ? "blocks_s\(i + 1)" : "blocks\(i + 2)") / j, in: b.in, out: b.out, stride: b.s,
                                 kernel: b.k, useSE: b.se)
            }
        }
        blocks2 = try stage(0)
        blocks3 = try stage(1)
        blocks4 = try stage(2)
        blocks5 = try stage(3)
        outChannels = layout.stages[3].last!.out
        featureChannels = det ? layout.stages.map { $0.last!.out } : []
        pool = det ? nil : AvgPool2d(p / "pool", kernel: (3, 2), countIncludePad: false)
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard let pool else { throw ModelError(.invalidConfig, "PPLCNetV4 \(path) is the det layout: use features(_:)") }
        var y = try conv1(x)                                            // B x C0 x H/4 x W/4
        for b in blocks2 + blocks3 + blocks4 + blocks5 { y = try b(y) }
        return try pool(y)                                              // B x C x 3 x W/4 -> B x C x 1 x W/8
    }

    /// det: the four stage outputs for the FPN neck, B x featureChannels[i] x H/2^(i+2) x W/2^(i+2).
    public func features(_ x: Tensor) throws -> [Tensor] {
        guard det else { throw ModelError(.invalidConfig, "PPLCNetV4 \(path) is the rec layout: features(_:) needs det: true") }
        var y = try conv1(x)
        var outs: [Tensor] = []
        for stage in [blocks2, blocks3, blocks4, blocks5] {
            for b in stage { y = try b(y) }
            outs.append(y)
        }
        return outs
    }

    public func outputSize(forInput size: (h: Int, w: Int)) -> (h: Int, w: Int) {
        func conv(_ n: Int, _ k: Int, _ s: Int) -> Int { n < 1 ? 0 : (n + 2 * ((k - 1) / 2) - k) / s + 1 }
        var (h, w) = (conv(conv(size.h, 3, 2), 3, 2), conv(conv(size.w, 3, 2), 3, 2))
        for b in Self.recLayouts[modelSize]!.stages.joined() {
            h = conv(h, b.k, b.s.0)
            w = conv(w, b.k, b.s.1)
        }
        return (h >= 3 ? (h - 3) / 3 + 1 : 0, w >= 2 ? (w - 2) / 2 + 1 : 0)
    }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("model_size", .string(modelSize)), ("det", .bool(det)), ("out", .int(outChannels))]
    }
}

/// PPLCNetV4 tiny's stem: two folded 3 x 3 stride-2 convs with GELU between.
/// Paths: `<p>/conv_a`, `<p>/conv_b`.
public final class PPLCNetV4SimpleStem: Module, UnaryLayer {
    public let convA: Conv2d, act: Activation, convB: Conv2d

    public init(_ p: Path, in c: Int, mid: Int, out: Int) throws {
        convA = try Conv2d(p / "conv_a", c, mid, kernel: 3, stride: 2, padding: 1)
        act = Activation(p / "act", .gelu)
        convB = try Conv2d(p / "conv_b", mid, out, kernel: 3, stride: 2, padding: 1)
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try convB(act(convA(x))) }
}
