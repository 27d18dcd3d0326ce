import NN
import Torch

/// Squeeze-and-excitation as in PaddleOCR's MobileNetV3: global average pool, 1x1 conv to C/4,
/// ReLU, 1x1 conv back to C, Paddle's hardsigmoid (slope 0.2, offset 0.5), channel-wise scale.
/// Paths: `<p>/conv1/{weight,bias}`, `<p>/conv2/{weight,bias}`. PPLCNetV3 uses the same block
/// with Paddle's `nn.Hardsigmoid` (slope 1/6): `gateSlope`.
public final class SEModule: Module, UnaryLayer {
    public let avgPool: AdaptiveAvgPool2d
    public let conv1: Conv2d, relu: Activation
    public let conv2: Conv2d, gate: HardSigmoid

    public init(_ p: Path, channels: Int, reduction: Int = 4, gateSlope: Double = 0.2) throws {
        avgPool = AdaptiveAvgPool2d(p / "avg_pool", outputSize: (1, 1))
        conv1 = try Conv2d(p / "conv1", channels, channels / reduction, kernel: 1)
        relu = Activation(p / "relu", .relu)
        conv2 = try Conv2d(p / "conv2", channels / reduction, channels, kernel: 1)
        gate = HardSigmoid(p / "hardsigmoid", slope: gateSlope, offset: 0.5)
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let s = try gate(conv2(relu(conv1(avgPool(x)))))     // B x C x 1 x 1
        return try x * s
    }
}
