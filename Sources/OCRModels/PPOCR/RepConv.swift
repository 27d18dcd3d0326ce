import NN
import Torch

/// PaddleOCR's `LearnableRepLayer` in its re-parameterised (inference) form, as the shipped
/// PP-OCRv4 files hold it: the k x k branches, the 1 x 1 branch and the identity BatchNorm are
/// already summed into one convolution with a bias, followed by a learnable affine block and the
/// affine hard-swish (skipped at an integer stride of 2, as Paddle does; the rec net's strides
/// are tuples and always keep it).
///
/// Fine-tuning trains this single conv. The training-time branches cannot be recovered from the
/// folded kernel (their sum is all the file holds), so OCRKit does not rebuild them.
/// Paths: `<p>/conv/{weight,bias}`, `<p>/lab/{scale,bias}`, `<p>/act/lab/{scale,bias}`.
public final class RepConv: Module, UnaryLayer {
    public let conv: Conv2d
    public let lab: LearnableAffineBlock
    public let act: AffineActivation?

    public init(_ p: Path, in inChannels: Int, out outChannels: Int, kernel: Int, stride: (Int, Int) = (1, 1),
                groups: Int = 1, skipActivationAtStride2: Bool = false) throws {
        conv = try Conv2d(p / "conv", inChannels, outChannels, kernel: (kernel, kernel), stride: stride,
                          padding: ((kernel - 1) / 2, (kernel - 1) / 2), groups: groups, bias: true)
        lab = try LearnableAffineBlock(p / "lab")
        act = skipActivationAtStride2 ? nil : try AffineActivation(p / "act")
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let y = try lab(conv(x))
        return try act.map { try $0(y) } ?? y
    }
}

/// PPLCNetV3's block: depthwise `RepConv` (k x k, the block's stride), optional squeeze-excitation
/// (Paddle's hardsigmoid, slope 1/6), pointwise `RepConv` (1 x 1).
/// Paths: `<p>/dw_conv/...`, `<p>/se/{conv1,conv2}/...`, `<p>/pw_conv/...`.
public final class LCNetV3Block: Module, UnaryLayer {
    public let dwConv: RepConv
    public let se: SEModule?
    public let pwConv: RepConv

    public init(_ p: Path, in inChannels: Int, out outChannels: Int, stride: (Int, Int), kernel: Int, useSE: Bool,
                integerStride2: Bool) throws {
        dwConv = try RepConv(p / "dw_conv", in: inChannels, out: inChannels, kernel: kernel, stride: stride,
                             groups: inChannels, skipActivationAtStride2: integerStride2)
        se = useSE ? try SEModule(p / "se", channels: inChannels, reduction: 4, gateSlope: 1.0 / 6.0) : nil
        pwConv = try RepConv(p / "pw_conv", in: inChannels, out: outChannels, kernel: 1)
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        var y = try dwConv(x)
        if let se { y = try se(y) }
        return try pwConv(y)
    }
}
