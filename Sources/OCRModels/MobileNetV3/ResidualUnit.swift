import NN
import Torch

/// MobileNetV3's inverted residual: 1x1 expand, kxk depthwise (carrying the stride), optional SE,
/// 1x1 linear projection; identity shortcut when the shape is kept.
/// Paths: `<p>/expand_conv`, `<p>/bottleneck_conv`, `<p>/mid_se`, `<p>/linear_conv`.
public final class ResidualUnit: Module, UnaryLayer {
    public let expandConv: ConvBNLayer
    public let bottleneckConv: ConvBNLayer
    public let midSE: SEModule?
    public let linearConv: ConvBNLayer
    public let hasShortcut: Bool

    /// `shortcut`: PaddleOCR adds the input only when `stride == 1` compares true in Python, i.e.
    /// for a scalar stride of 1 - never for the (h, w) tuple strides of the rec backbone, even
    /// (1, 1) - and the channel counts match. The caller decides; see `MobileNetV3.BlockSpec`.
    public init(_ p: Path, in inChannels: Int, mid: Int, out outChannels: Int, kernel k: Int, stride: (Int, Int),
                se: Bool, act: Activation.Function, shortcut: Bool) throws {
        expandConv = try ConvBNLayer(p / "expand_conv", in: inChannels, out: mid, kernel: (1, 1), padding: (0, 0), act: act)
        bottleneckConv = try ConvBNLayer(p / "bottleneck_conv", in: mid, out: mid, kernel: (k, k), stride: stride,
                                         padding: ((k - 1) / 2, (k - 1) / 2), groups: mid, act: act)
        midSE = se ? try SEModule(p / "mid_se", channels: mid) : nil
        linearConv = try ConvBNLayer(p / "linear_conv", in: mid, out: outChannels, kernel: (1, 1), padding: (0, 0), act: nil)
        hasShortcut = shortcut && inChannels == outChannels
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        var y = try bottleneckConv(expandConv(x))
        if let se = midSE { y = try se(y) }
        y = try linearConv(y)
        return hasShortcut ? try x + y : y
    }

    public override var attributes: [(name: String, value: LayerAttribute)] { [("shortcut", .bool(hasShortcut))] }
}
