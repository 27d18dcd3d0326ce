import NN
import Torch

/// Conv -> BatchNorm -> optional activation: PaddleOCR's `ConvBNLayer`. MobileNetV3 names the
/// norm `bn` and has no conv bias; SVTR names it `norm` and keeps Paddle's default conv bias.
/// Paths: `<p>/conv/weight`, `<p>/bn/running_mean` (or `<p>/norm/...`).
public final class ConvBNLayer: Module, UnaryLayer {
    public let conv: Conv2d
    public let bn: BatchNorm2d
    public let act: Activation?

    public init(_ p: Path, in inChannels: Int, out outChannels: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int), groups: Int = 1, bias: Bool = false, normName: String = "bn",
                act: Activation.Function?) throws {
        conv = try Conv2d(p / "conv", inChannels, outChannels, kernel: kernel, stride: stride, padding: padding,
                          groups: groups, bias: bias)
        bn = try BatchNorm2d(p / normName, outChannels)
        self.act = act.map { Activation(p / "act", $0) }
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let y = try bn(conv(x))
        return try act.map { try $0(y) } ?? y
    }
}
