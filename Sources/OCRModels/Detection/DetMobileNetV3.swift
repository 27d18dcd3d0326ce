import NN
import Torch

/// PaddleOCR's detection MobileNetV3 (`ppocr/modeling/backbones/det_mobilenet_v3.py`): the same
/// rows as the recogniser (`MobileNetV3.rows`, `ResidualUnit`) with square stride-2 steps, cut
/// into four stages whose outputs feed the FPN at strides 4, 8, 16 and 32. Large x0.5 gives
/// [16, 24, 56, 480] channels: B x 3 x 640 x 640 -> 160^2, 80^2, 40^2, 20^2 maps.
///
/// The SE gate is the rec backbone's `SEModule` (hardsigmoid slope 0.2, offset 0.5), as current
/// PaddleOCR's det SEModule passes explicitly (older versions used Paddle's default slope 1/6).
/// Convs keep NN's PyTorch default initialisation, as the rec MobileNetV3 does.
///
/// Paths are PaddleOCR's structured names (`.` -> `/`): `conv/{conv,bn}/...`,
/// `stage<s>/<j>/{expand_conv,bottleneck_conv,linear_conv}/{conv,bn}/...`, `stage<s>/<j>/mid_se/...`,
/// and the last 1x1 conv (`conv_last`) as the final entry of `stage3`.
public final class DetMobileNetV3: Module {
    public let conv: ConvBNLayer
    public let stages: [Sequential]
    /// Channels of the four stage outputs (PaddleOCR's `out_channels` list).
    public let outChannels: [Int]
    public let specs: [MobileNetV3.BlockSpec]

    public init(_ p: Path, inChannels: Int = 3, modelName: MobileNetV3.ModelName = .large, scale: Double = 0.5,
                disableSE: Bool = false) throws {
        let supported = [0.35, 0.5, 0.75, 1.0, 1.25]
        guard supported.contains(scale) else {
            throw ModelError(.invalidConfig, "MobileNetV3 scale \(scale) is not supported (supported: \(supported))")
        }
        let (specs, squeeze) = MobileNetV3.detectionTable(modelName)
        let md = { (v: Double) in MobileNetV3.makeDivisible(v) }
        var inplanes = md(16 * scale)
        conv = try ConvBNLayer(p / "conv", in: inChannels, out: inplanes, kernel: (3, 3), stride: (2, 2), padding: (1, 1),
                               act: .hardSwish)
        // PaddleOCR closes a stage before each stride-2 row after the first few (large: rows > 2,
        // small: rows > 0), so each stage ends at one output stride.
        let startIndex = modelName == .large ? 2 : 0
        var stages: [Sequential] = [], channels: [Int] = [], current: [any UnaryLayer] = []
        for (i, s) in specs.enumerated() {
            if s.stride.h == 2 && i > startIndex {
                stages.append(Sequential(p / "stage\(stages.count)", current))
                channels.append(inplanes)
                current = []
            }
            let out = md(scale * Double(s.channels))
            current.append(try ResidualUnit(p / "stage\(stages.count)" / current.count, in: inplanes,
                                            mid: md(scale * Double(s.expansion)), out: out, kernel: s.kernel,
                                            stride: s.stride, se: s.se && !disableSE, act: s.act, shortcut: s.stride == (1, 1)))
            inplanes = out
        }
        let last = md(scale * Double(squeeze))
        current.append(try ConvBNLayer(p / "stage\(stages.count)" / current.count, in: inplanes, out: last,
                                       kernel: (1, 1), padding: (0, 0), act: .hardSwish))
        stages.append(Sequential(p / "stage\(stages.count)", current))
        channels.append(last)
        self.stages = stages
        outChannels = channels
        self.specs = specs
        super.init(p)
    }

    /// The four stage outputs, finest first: B x outChannels[i] x H/2^(i+2) x W/2^(i+2).
    public func callAsFunction(_ x: Tensor) throws -> [Tensor] {
        var y = try conv(x)
        var outputs: [Tensor] = []
        for stage in stages {
            y = try stage(y)
            outputs.append(y)
        }
        return outputs
    }

    public override var attributes: [(name: String, value: LayerAttribute)] { [("out_channels", .ints(outChannels))] }
}
