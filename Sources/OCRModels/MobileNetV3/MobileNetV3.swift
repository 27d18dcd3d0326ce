import NN
import Torch

/// PaddleOCR's recognition MobileNetV3 (`ppocr/modeling/backbones/rec_mobilenet_v3.py`): the
/// ImageNet network with its stride-2 stages replaced by (2, 1) strides, so height shrinks 32x
/// while width shrinks only 4x (2 in `conv1`, 2 in the final 2x2 max pool). A 32- or 48-pixel
/// line becomes a 1-row feature map of width W/4: B x 3 x 32 x 320 -> B x 480 x 1 x 80 (large, 0.5).
///
/// Paths (as PaddleOCR's structured names, `.` -> `/`): `conv1/conv/weight`, `conv1/bn/...`,
/// `blocks/<i>/{expand_conv,bottleneck_conv,linear_conv}/{conv,bn}/...`,
/// `blocks/<i>/mid_se/{conv1,conv2}/{weight,bias}`, `conv2/conv/weight`, `conv2/bn/...`.
public final class MobileNetV3: Module, RecognitionBackbone {
    public enum ModelName: String, Sendable, CaseIterable { case large, small }

    /// One row of PaddleOCR's `cfg` table.
    public struct BlockSpec: Sendable, Equatable {
        public var kernel: Int, expansion: Int, channels: Int, se: Bool
        public var act: Activation.Function
        public var stride: (h: Int, w: Int)
        /// The stride came from a (h, w) tuple in PaddleOCR, so the block never takes a shortcut.
        public var tupleStride: Bool

        public static func == (a: BlockSpec, b: BlockSpec) -> Bool {
            a.kernel == b.kernel && a.expansion == b.expansion && a.channels == b.channels && a.se == b.se
                && a.act == b.act && a.stride == b.stride && a.tupleStride == b.tupleStride
        }
    }

    public let conv1: ConvBNLayer
    public let blocks: [ResidualUnit]
    public let conv2: ConvBNLayer
    public let pool: MaxPool2d
    public let outChannels: Int
    public let specs: [BlockSpec]

    /// `largeStride` / `smallStride`: PaddleOCR's `large_stride` ([1, 2, 2, 2]) and `small_stride`
    /// ([2, 2, 2, 2]); entry 0 of `largeStride` is a scalar stride (height and width).
    public init(_ p: Path, inChannels: Int = 3, modelName: ModelName = .small, scale: Double = 0.5,
                largeStride: [Int] = [1, 2, 2, 2], smallStride: [Int] = [2, 2, 2, 2], disableSE: Bool = false) throws {
        let supported = [0.35, 0.5, 0.75, 1.0, 1.25]
        guard supported.contains(scale) else {
            throw ModelError(.invalidConfig, "MobileNetV3 scale \(scale) is not supported (supported: \(supported))")
        }
        guard largeStride.count == 4, smallStride.count == 4 else {
            throw ModelError(.invalidConfig, "MobileNetV3 large_stride/small_stride need 4 entries, got \(largeStride) / \(smallStride)")
        }
        let (specs, squeeze) = MobileNetV3.table(modelName, largeStride: largeStride, smallStride: smallStride)
        let md = { (v: Double) in MobileNetV3.makeDivisible(v) }
        var inplanes = md(16 * scale)
        conv1 = try ConvBNLayer(p / "conv1", in: inChannels, out: inplanes, kernel: (3, 3), stride: (2, 2),
                                padding: (1, 1), act: .hardSwish)
        var blocks: [ResidualUnit] = []
        for (i, s) in specs.enumerated() {
            let out = md(scale * Double(s.channels))
            blocks.append(try ResidualUnit(p / "blocks" / i, in: inplanes, mid: md(scale * Double(s.expansion)), out: out,
                                           kernel: s.kernel, stride: s.stride, se: s.se && !disableSE, act: s.act,
                                           shortcut: !s.tupleStride && s.stride == (1, 1)))
            inplanes = out
        }
        self.blocks = blocks
        outChannels = md(scale * Double(squeeze))
        conv2 = try ConvBNLayer(p / "conv2", in: inplanes, out: outChannels, kernel: (1, 1), padding: (0, 0), act: .hardSwish)
        pool = MaxPool2d(p / "pool", kernel: (2, 2), stride: (2, 2))
        self.specs = specs
        super.init(p)
    }

    public var prefersChannelsLast: Bool { true }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let y = try blocks.reduce(try conv1(x)) { try $1($0) }
        return try pool(conv2(y))                              // B x outChannels x H/32 x W/4
    }

    /// Feature-map size for an input size: conv1 (3x3, stride 2, pad 1), each block's depthwise
    /// conv (k x k, pad (k-1)/2), then the 2x2 max pool.
    public func outputSize(forInput size: (h: Int, w: Int)) -> (h: Int, w: Int) {
        func conv(_ n: Int, _ k: Int, _ s: Int, _ pad: Int) -> Int { (n + 2 * pad - k) / s + 1 }
        var h = conv(size.h, 3, 2, 1), w = conv(size.w, 3, 2, 1)
        for s in specs {
            h = conv(h, s.kernel, s.stride.h, (s.kernel - 1) / 2)
            w = conv(w, s.kernel, s.stride.w, (s.kernel - 1) / 2)
        }
        return (h / 2, w / 2)
    }

    /// PaddleOCR's `make_divisible`: round to the nearest multiple of 8 (at least 8), going up a
    /// step when rounding down lost more than 10%.
    public static func makeDivisible(_ v: Double, divisor: Int = 8) -> Int {
        var n = max(divisor, Int(v + Double(divisor) / 2) / divisor * divisor)
        if Double(n) < 0.9 * v { n += divisor }
        return n
    }

    /// PaddleOCR's rec `cfg` tables (kernel, expansion, channels, SE, activation, stride) and the
    /// width of the last 1x1 conv (`cls_ch_squeeze`) before scaling.
    static func table(_ name: ModelName, largeStride ls: [Int], smallStride ss: [Int]) -> ([BlockSpec], Int) {
        func b(_ k: Int, _ e: Int, _ c: Int, _ se: Bool, _ act: Activation.Function, _ s: Int) -> BlockSpec {
            BlockSpec(kernel: k, expansion: e, channels: c, se: se, act: act, stride: (s, s), tupleStride: false)
        }
        func t(_ k: Int, _ e: Int, _ c: Int, _ se: Bool, _ act: Activation.Function, _ sh: Int) -> BlockSpec {
            BlockSpec(kernel: k, expansion: e, channels: c, se: se, act: act, stride: (sh, 1), tupleStride: true)
        }
        switch name {
        case .large:
            return ([
                b(3, 16, 16, false, .relu, ls[0]),
                t(3, 64, 24, false, .relu, ls[1]),
                b(3, 72, 24, false, .relu, 1),
                t(5, 72, 40, true, .relu, ls[2]),
                b(5, 120, 40, true, .relu, 1),
                b(5, 120, 40, true, .relu, 1),
                b(3, 240, 80, false, .hardSwish, 1),
                b(3, 200, 80, false, .hardSwish, 1),
                b(3, 184, 80, false, .hardSwish, 1),
                b(3, 184, 80, false, .hardSwish, 1),
                b(3, 480, 112, true, .hardSwish, 1),
                b(3, 672, 112, true, .hardSwish, 1),
                t(5, 672, 160, true, .hardSwish, ls[3]),
                b(5, 960, 160, true, .hardSwish, 1),
                b(5, 960, 160, true, .hardSwish, 1),
            ], 960)
        case .small:
            return ([
                t(3, 16, 16, true, .relu, ss[0]),
                t(3, 72, 24, false, .relu, ss[1]),
                b(3, 88, 24, false, .relu, 1),
                t(5, 96, 40, true, .hardSwish, ss[2]),
                b(5, 240, 40, true, .hardSwish, 1),
                b(5, 240, 40, true, .hardSwish, 1),
                b(5, 120, 48, true, .hardSwish, 1),
                b(5, 144, 48, true, .hardSwish, 1),
                t(5, 288, 96, true, .hardSwish, ss[3]),
                b(5, 576, 96, true, .hardSwish, 1),
                b(5, 576, 96, true, .hardSwish, 1),
            ], 576)
        }
    }

    public override var attributes: [(name: String, value: LayerAttribute)] { [("out_channels", .int(outChannels))] }
}
