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

    /// One row of PaddleOCR's `cfg` tables without its stride: the rec and det backbones
    /// (`rec_mobilenet_v3.py`, `det_mobilenet_v3.py`) share these rows and differ only in strides.
    struct Row {
        let kernel: Int, expansion: Int, channels: Int, se: Bool, act: Activation.Function
        func spec(stride: (h: Int, w: Int), tuple: Bool) -> BlockSpec {
            BlockSpec(kernel: kernel, expansion: expansion, channels: channels, se: se, act: act, stride: stride,
                      tupleStride: tuple)
        }
    }

    /// PaddleOCR's `cfg` rows (kernel, expansion, channels, SE, activation) and the width of the
    /// last 1x1 conv (`cls_ch_squeeze`) before scaling.
    static func rows(_ name: ModelName) -> ([Row], Int) {
        func r(_ k: Int, _ e: Int, _ c: Int, _ se: Bool, _ act: Activation.Function) -> Row {
            Row(kernel: k, expansion: e, channels: c, se: se, act: act)
        }
        switch name {
        case .large:
            return ([
                r(3, 16, 16, false, .relu), r(3, 64, 24, false, .relu), r(3, 72, 24, false, .relu),
                r(5, 72, 40, true, .relu), r(5, 120, 40, true, .relu), r(5, 120, 40, true, .relu),
                r(3, 240, 80, false, .hardSwish), r(3, 200, 80, false, .hardSwish), r(3, 184, 80, false, .hardSwish),
                r(3, 184, 80, false, .hardSwish), r(3, 480, 112, true, .hardSwish), r(3, 672, 112, true, .hardSwish),
                r(5, 672, 160, true, .hardSwish), r(5, 960, 160, true, .hardSwish), r(5, 960, 160, true, .hardSwish),
            ], 960)
        case .small:
            return ([
                r(3, 16, 16, true, .relu), r(3, 72, 24, false, .relu), r(3, 88, 24, false, .relu),
                r(5, 96, 40, true, .hardSwish), r(5, 240, 40, true, .hardSwish), r(5, 240, 40, true, .hardSwish),
                r(5, 120, 48, true, .hardSwish), r(5, 144, 48, true, .hardSwish), r(5, 288, 96, true, .hardSwish),
                r(5, 576, 96, true, .hardSwish), r(5, 576, 96, true, .hardSwish),
            ], 576)
        }
    }

    /// The rec table: `large_stride` / `small_stride` fill the four downsampling rows; all but
    /// large's first are (h, 1) tuples that keep the line's width.
    static func table(_ name: ModelName, largeStride ls: [Int], smallStride ss: [Int]) -> ([BlockSpec], Int) {
        let (rows, squeeze) = Self.rows(name)
        // row index -> (height stride, tuple?)
        let strides: [Int: (Int, Bool)] = switch name {
        case .large: [0: (ls[0], false), 1: (ls[1], true), 3: (ls[2], true), 12: (ls[3], true)]
        case .small: [0: (ss[0], true), 1: (ss[1], true), 3: (ss[2], true), 8: (ss[3], true)]
        }
        return (rows.enumerated().map { i, row in
            guard let (s, tuple) = strides[i] else { return row.spec(stride: (1, 1), tuple: false) }
            return row.spec(stride: tuple ? (s, 1) : (s, s), tuple: tuple)
        }, squeeze)
    }

    /// The det table (`det_mobilenet_v3.py`): scalar stride 2 in four rows, so with `conv1` the
    /// feature maps come at strides 4, 8, 16 and 32. Large downsamples in row 6 where rec does not.
    static func detectionTable(_ name: ModelName) -> ([BlockSpec], Int) {
        let (rows, squeeze) = Self.rows(name)
        let downsampling: Set<Int> = name == .large ? [1, 3, 6, 12] : [0, 1, 3, 8]
        return (rows.enumerated().map { i, row in
            let s = downsampling.contains(i) ? 2 : 1
            return row.spec(stride: (s, s), tuple: false)
        }, squeeze)
    }

    public override var attributes: [(name: String, value: LayerAttribute)] { [("out_channels", .int(outChannels))] }
}
