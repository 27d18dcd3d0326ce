import NN
import Torch

/// PaddleOCR's `RSELayer`: a bias-free conv followed by squeeze-and-excitation (the backbone's
/// `SEModule`), with the conv output added back when `shortcut` is set.
/// Paths: `<p>/in_conv/weight`, `<p>/se_block/{conv1,conv2}/{weight,bias}`.
public final class RSELayer: Module, UnaryLayer {
    public let inConv: Conv2d
    public let seBlock: SEModule
    public let shortcut: Bool

    public init(_ p: Path, in inChannels: Int, out outChannels: Int, kernel: Int, shortcut: Bool) throws {
        inConv = try Conv2d(p / "in_conv", inChannels, outChannels, kernel: kernel, padding: kernel / 2, bias: false)
        seBlock = try SEModule(p / "se_block", channels: outChannels)
        self.shortcut = shortcut
        super.init(p)
        try SVTRInit.kaimingUniform(inConv)                   // PaddleOCR's named initialiser; SE convs keep the defaults
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let y = try inConv(x)
        return shortcut ? try y + seBlock(y) : try seBlock(y)
    }

    public override var attributes: [(name: String, value: LayerAttribute)] { [("shortcut", .bool(shortcut))] }
}

/// PaddleOCR's `RSEFPN` (the PP-OCRv3 detector's neck): DBFPN's pyramid with every conv replaced
/// by an `RSELayer` (1x1 laterals to `outChannels`, 3x3 smoothing to `outChannels / 4`).
/// Paths: `<p>/ins_conv/<i>/...`, `<p>/inp_conv/<i>/...`, i = 0 (stride 4) ... 3 (stride 32).
public final class RSEFPN: Module, DetectionNeck {
    public let insConv: [RSELayer]
    public let inpConv: [RSELayer]
    public let inChannels: [Int]
    public let outChannels: Int

    public init(_ p: Path, inChannels: [Int], outChannels: Int, shortcut: Bool = true) throws {
        // SEModule squeezes outChannels / 4 by 4 again: it needs at least 16 channels.
        guard inChannels.count == 4, outChannels >= 16, outChannels % 4 == 0 else {
            throw ModelError(.invalidConfig, "RSEFPN needs 4 input widths and out_channels >= 16 divisible by 4, got \(inChannels), \(outChannels)")
        }
        insConv = try inChannels.enumerated().map { i, c in
            try RSELayer(p / "ins_conv" / i, in: c, out: outChannels, kernel: 1, shortcut: shortcut)
        }
        inpConv = try (0..<4).map { i in
            try RSELayer(p / "inp_conv" / i, in: outChannels, out: outChannels / 4, kernel: 3, shortcut: shortcut)
        }
        self.inChannels = inChannels
        self.outChannels = outChannels
        super.init(p)
    }

    public func callAsFunction(_ features: [Tensor]) throws -> Tensor {
        try checkPyramid(features, inChannels, "RSEFPN")
        let ins = try zip(insConv, features).map { try $0($1) }
        return try fusePyramid(lateral: ins, smooth: inpConv.map { $0.callAsFunction })
    }

    public override var attributes: [(name: String, value: LayerAttribute)] { [("out_channels", .int(outChannels))] }
}
