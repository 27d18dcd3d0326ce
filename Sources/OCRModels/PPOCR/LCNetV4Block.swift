import NN
import Torch

/// PPLCNetV4's squeeze-and-excitation (PaddleOCR `rec_lcnetv4.SELayer`): global mean, 1 x 1 conv
/// to C/4, ReLU, 1 x 1 conv back to C, hard-sigmoid (slope 1/6, as PyTorch's), times the input.
/// Paths: `<p>/conv1`, `<p>/conv2` (both with bias).
public final class LCNetV4SE: Module, UnaryLayer {
    public let conv1: Conv2d, relu: Activation, conv2: Conv2d, gate: HardSigmoid

    public init(_ p: Path, channels c: Int, reduction: Int = 4) throws {
        conv1 = try Conv2d(p / "conv1", c, c / reduction, kernel: 1)
        relu = Activation(p / "relu", .relu)
        conv2 = try Conv2d(p / "conv2", c / reduction, c, kernel: 1)
        gate = HardSigmoid(p / "hardsigmoid", slope: 1.0 / 6, offset: 0.5)
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let s = try x.mean(dims: [2, 3], keepDim: true)                 // B x C x 1 x 1
        return try x * gate(conv2(relu(conv1(s))))
    }
}

/// PaddleOCR's `LCNetV4Block` (PP-OCRv6), as the inference files hold it: every Conv + BatchNorm
/// folded into one conv with bias, the training-time RepDWConv branches (3 x 3, 1 x 1, identity)
/// folded into the one depthwise conv.
///
/// Token mixer: depthwise `kernel` conv (stride `stride`), then SE when `useSE`. Channel mixer:
/// 1 x 1 expand to 2C, GELU, 1 x 1 compress to `out`; added to the token mixer's output when the
/// block keeps its shape (stride 1, in == out). The rec layout strides (2, 1): height only.
/// Paths: `<p>/dw_conv`, `<p>/se/...`, `<p>/expand`, `<p>/compress`.
public final class LCNetV4Block: Module, UnaryLayer {
    public let dwConv: Conv2d
    public let se: LCNetV4SE?
    public let expand: Conv2d
    public let act: Activation
    public let compress: Conv2d
    public let hasResidual: Bool

    public init(_ p: Path, in c: Int, out o: Int, stride: (Int, Int), kernel k: Int, useSE: Bool, expandRatio: Int = 2) throws {
        dwConv = try Conv2d(p / "dw_conv", c, c, kernel: (k, k), stride: stride, padding: ((k - 1) / 2, (k - 1) / 2), groups: c)
        se = useSE ? try LCNetV4SE(p / "se", channels: c) : nil
        expand = try Conv2d(p / "expand", c, c * expandRatio, kernel: 1)
        act = Activation(p / "act", .gelu)
        compress = try Conv2d(p / "compress", c * expandRatio, o, kernel: 1)
        hasResidual = c == o && stride == (1, 1)
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        var y = try dwConv(x)
        if let se { y = try se(y) }
        let mixed = try compress(act(expand(y)))
        return hasResidual ? try y + mixed : mixed
    }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("residual", .bool(hasResidual))]
    }
}
