import NN
import Torch

/// One branch of PaddleOCR's DB head (`det_db_head.Head`): 3x3 conv to C/4, BN, ReLU, 2x2
/// stride-2 transposed conv, BN, ReLU, 2x2 stride-2 transposed conv to 1 channel, sigmoid:
/// B x C x H/4 x W/4 -> B x 1 x H x W, values in (0, 1).
/// With `foldedBN` (PP-OCRv6 det's file, `Head: {folded_bn: true}`) each BatchNorm is folded into
/// the conv before it, which then has a bias, and there is no BN - the form the file holds and
/// OCRKit trains, as for PPLCNetV4's folded convs.
/// Paths: `<p>/conv1/weight` (+ `bias` folded), `<p>/conv_bn1/...` (not folded), `<p>/conv2/{weight,bias}`,
/// `<p>/conv_bn2/...` (not folded), `<p>/conv3/{weight,bias}`.
public final class DBHeadBranch: Module, UnaryLayer {
    public let conv1: Conv2d
    public let convBN1: BatchNorm2d?
    public let relu1: Activation
    public let conv2: ConvTranspose2d
    public let convBN2: BatchNorm2d?
    public let relu2: Activation
    public let conv3: ConvTranspose2d
    public let sigmoid: Activation

    public init(_ p: Path, inChannels: Int, foldedBN: Bool = false) throws {
        let mid = inChannels / 4
        conv1 = try Conv2d(p / "conv1", inChannels, mid, kernel: 3, padding: 1, bias: foldedBN)
        convBN1 = foldedBN ? nil : try BatchNorm2d(p / "conv_bn1", mid)
        relu1 = Activation(p / "relu1", .relu)
        conv2 = try ConvTranspose2d(p / "conv2", mid, mid, kernel: (2, 2), stride: (2, 2))
        convBN2 = foldedBN ? nil : try BatchNorm2d(p / "conv_bn2", mid)
        relu2 = Activation(p / "relu2", .relu)
        conv3 = try ConvTranspose2d(p / "conv3", mid, 1, kernel: (2, 2), stride: (2, 2))
        sigmoid = Activation(p / "sigmoid", .sigmoid)
        super.init(p)
        // PaddleOCR's named initialisers: both norms' shift 1e-4 (scale 1, as the default); the
        // transposed convs Kaiming uniform, their biases U(+-1/sqrt(C/4)) (`get_bias_attr`).
        try noGrad {
            for case let bn? in [convBN1, convBN2] { try bn.bias.fill(1e-4) }
            for t in [conv2, conv3] {
                // Paddle's fan_in for a transposed conv's C x O x kh x kw weight: O * kh * kw.
                let bound = (6 / Double(t.outChannels * t.kernel.0 * t.kernel.1)).squareRoot()
                try t.weight.uniform(-bound, bound)
                try t.bias?.uniform(-1 / Double(mid).squareRoot(), 1 / Double(mid).squareRoot())
            }
        }
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let c1 = try conv1(x)
        let y = try relu1(convBN1.map { try $0(c1) } ?? c1)     // B x C/4 x H/4 x W/4
        let c2 = try conv2(y)
        let z = try relu2(convBN2.map { try $0(c2) } ?? c2)     // B x C/4 x H/2 x W/2
        return try sigmoid(conv3(z))                            // B x 1 x H x W
    }
}

/// PaddleOCR's `DBHead` (Differentiable Binarization, arXiv:1911.08947): a probability (shrink)
/// branch P, a threshold branch T and the approximate binary map B = 1 / (1 + exp(-k (P - T))),
/// computed as sigmoid(k (P - T)), which is the same function without overflow in exp.
/// Paths: `<p>/binarize/...`, `<p>/thresh/...`.
public final class DBHead: Module {
    public let binarize: DBHeadBranch
    public let thresh: DBHeadBranch
    public let k: Double

    /// - Parameter foldedBN: the probability branch without BatchNorm (its convs carry the folded
    ///   norms' biases), as PP-OCRv6 det's file holds it. The threshold branch is not in such a
    ///   file and starts fresh, so it keeps its BatchNorms.
    public init(_ p: Path, inChannels: Int, k: Int = 50, foldedBN: Bool = false) throws {
        guard inChannels >= 4, inChannels % 4 == 0, k > 0 else {
            throw ModelError(.invalidConfig, "DBHead needs input channels divisible by 4 and k > 0, got \(inChannels), k \(k)")
        }
        binarize = try DBHeadBranch(p / "binarize", inChannels: inChannels, foldedBN: foldedBN)
        thresh = try DBHeadBranch(p / "thresh", inChannels: inChannels)
        self.k = Double(k)
        super.init(p)
    }

    /// The probability map P only (what inference and export use).
    public func shrink(_ x: Tensor) throws -> Tensor { try binarize(x) }

    /// P, T and B for the loss.
    public func trainOutputs(_ x: Tensor) throws -> DBOutputs {
        let p = try binarize(x), t = try thresh(x)
        return DBOutputs(shrink: p, threshold: t, binary: try ((p - t) * k).sigmoid())
    }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("k", .double(k))] + (binarize.convBN1 == nil ? [("folded_bn", .bool(true))] : [])
    }
}

/// The DB head's training outputs, each B x 1 x H x W at the input size.
public struct DBOutputs {
    /// P: probability that a pixel lies inside a shrunk text region.
    public let shrink: Tensor
    /// T: the learnt binarisation threshold (high near text borders).
    public let threshold: Tensor
    /// B = sigmoid(k (P - T)): the differentiable binary map.
    public let binary: Tensor

    public init(shrink: Tensor, threshold: Tensor, binary: Tensor) {
        self.shrink = shrink
        self.threshold = threshold
        self.binary = binary
    }
}
