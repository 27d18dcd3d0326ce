import NN
import Torch

/// PaddleOCR's `DBFPN` (`ppocr/modeling/necks/db_fpn.py`, without the DBNet++ ASF block): 1x1
/// lateral convs to `outChannels`, top-down sums, 3x3 convs to `outChannels / 4` per level,
/// fused at H/4 x W/4. No conv has a bias; weights start as PaddleOCR's (Kaiming uniform).
/// Paths: `<p>/in{2,3,4,5}_conv/weight`, `<p>/p{2,3,4,5}_conv/weight`.
public final class DBFPN: Module, DetectionNeck {
    public let in2Conv: Conv2d, in3Conv: Conv2d, in4Conv: Conv2d, in5Conv: Conv2d
    public let p5Conv: Conv2d, p4Conv: Conv2d, p3Conv: Conv2d, p2Conv: Conv2d
    public let inChannels: [Int]
    public let outChannels: Int

    public init(_ p: Path, inChannels: [Int], outChannels: Int) throws {
        guard inChannels.count == 4, outChannels >= 4, outChannels % 4 == 0 else {
            throw ModelError(.invalidConfig, "DBFPN needs 4 input widths and out_channels divisible by 4, got \(inChannels), \(outChannels)")
        }
        func lateral(_ name: String, _ c: Int) throws -> Conv2d { try Conv2d(p / name, c, outChannels, kernel: 1, bias: false) }
        func smooth(_ name: String) throws -> Conv2d { try Conv2d(p / name, outChannels, outChannels / 4, kernel: 3, bias: false) }
        in2Conv = try lateral("in2_conv", inChannels[0])
        in3Conv = try lateral("in3_conv", inChannels[1])
        in4Conv = try lateral("in4_conv", inChannels[2])
        in5Conv = try lateral("in5_conv", inChannels[3])
        p5Conv = try smooth("p5_conv")
        p4Conv = try smooth("p4_conv")
        p3Conv = try smooth("p3_conv")
        p2Conv = try smooth("p2_conv")
        self.inChannels = inChannels
        self.outChannels = outChannels
        super.init(p)
        // PaddleOCR names KaimingUniform for every DBFPN conv.
        for c in [in2Conv, in3Conv, in4Conv, in5Conv, p5Conv, p4Conv, p3Conv, p2Conv] { try SVTRInit.kaimingUniform(c) }
    }

    public func callAsFunction(_ features: [Tensor]) throws -> Tensor {
        try checkPyramid(features, inChannels, "DBFPN")
        let ins = try [in2Conv(features[0]), in3Conv(features[1]), in4Conv(features[2]), in5Conv(features[3])]
        return try fusePyramid(lateral: ins, smooth: [p2Conv.callAsFunction, p3Conv.callAsFunction,
                                                      p4Conv.callAsFunction, p5Conv.callAsFunction])
    }

    public override var attributes: [(name: String, value: LayerAttribute)] { [("out_channels", .int(outChannels))] }
}
