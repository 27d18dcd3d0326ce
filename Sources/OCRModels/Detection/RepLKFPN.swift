import NN
import Torch

/// One level's smoothing in `RepLKFPN`: a depthwise large-kernel conv with bias (PaddleOCR trains
/// it as a re-parameterisable block of dilated branches; the inference file holds them folded
/// into one 7 x 7 conv, and OCRKit trains that folded form, as PPLCNetV4's blocks), then a 1 x 1
/// `RSELayer` to the level's output width.
/// Paths: `<p>/lk_conv/{weight,bias}`, `<p>/rse/...`.
public final class LargeKernelRSE: Module, UnaryLayer {
    public let lkConv: Conv2d
    public let rse: RSELayer

    public init(_ p: Path, channels c: Int, out: Int, kernel: Int, shortcut: Bool) throws {
        lkConv = try Conv2d(p / "lk_conv", c, c, kernel: (kernel, kernel), padding: (kernel / 2, kernel / 2), groups: c)
        rse = try RSELayer(p / "rse", in: c, out: out, kernel: 1, shortcut: shortcut)
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try rse(lkConv(x)) }
}

/// PP-OCRv6 det's neck (PaddleOCR's RepLKFPN), in the structure of rapidocr 3.10.0's
/// `PP-OCRv6_det_small.onnx`: RSEFPN's 1 x 1 `RSELayer` laterals and top-down sums, with every
/// level smoothed by a `LargeKernelRSE` (depthwise 7 x 7, then a 1 x 1 RSELayer to
/// `outChannels / 4`) instead of RSEFPN's 3 x 3 RSELayer.
/// Paths: `<p>/ins_conv/<i>/...`, `<p>/inp_conv/<i>/...`, i = 0 (stride 4) ... 3 (stride 32).
public final class RepLKFPN: Module, DetectionNeck {
    public let insConv: [RSELayer]
    public let inpConv: [LargeKernelRSE]
    public let inChannels: [Int]
    public let outChannels: Int
    public let largeKernel: Int

    public init(_ p: Path, inChannels: [Int], outChannels: Int, shortcut: Bool = true, largeKernel: Int = 7) throws {
        guard inChannels.count == 4, outChannels >= 16, outChannels % 4 == 0, largeKernel % 2 == 1 else {
            throw ModelError(.invalidConfig, "RepLKFPN needs 4 input widths, out_channels >= 16 divisible by 4 and an odd kernel, "
                             + "got \(inChannels), \(outChannels), \(largeKernel)")
        }
        insConv = try inChannels.enumerated().map { i, c in
            try RSELayer(p / "ins_conv" / i, in: c, out: outChannels, kernel: 1, shortcut: shortcut)
        }
        inpConv = try (0..<4).map { i in
            try LargeKernelRSE(p / "inp_conv" / i, channels: outChannels, out: outChannels / 4, kernel: largeKernel, shortcut: shortcut)
        }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.largeKernel = largeKernel
        super.init(p)
    }

    public func callAsFunction(_ features: [Tensor]) throws -> Tensor {
        try checkPyramid(features, inChannels, "RepLKFPN")
        let ins = try zip(insConv, features).map { try $0($1) }
        return try fusePyramid(lateral: ins, smooth: inpConv.map { $0.callAsFunction })
    }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("out_channels", .int(outChannels)), ("large_kernel", .int(largeKernel))]
    }
}
