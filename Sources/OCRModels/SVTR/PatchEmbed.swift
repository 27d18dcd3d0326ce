import NN
import Torch

/// SVTR's overlapping patch embedding (PaddleOCR `PatchEmbed`, mode "pope"): `subNum` 3x3
/// stride-2 Conv-BN-GELU layers (channels D/2 -> D, or D/4 -> D/2 -> D), then flattening to
/// tokens: B x 3 x H x W -> B x (H/2^s * W/2^s) x D.
/// Paths: `<p>/proj/<i>/conv/{weight,bias}`, `<p>/proj/<i>/norm/...`.
public final class PatchEmbed: Module, UnaryLayer {
    public let proj: Sequential

    public init(_ p: Path, inChannels: Int, embedDim: Int, subNum: Int) throws {
        guard subNum == 2 || subNum == 3 else {
            throw ModelError(.invalidConfig, "SVTRNet sub_num \(subNum) is not supported (2 or 3)")
        }
        let widths = subNum == 2 ? [embedDim / 2, embedDim] : [embedDim / 4, embedDim / 2, embedDim]
        var layers: [ConvBNLayer] = []
        var c = inChannels
        for (i, o) in widths.enumerated() {
            let layer = try ConvBNLayer(p / "proj" / i, in: c, out: o, kernel: (3, 3), stride: (2, 2), padding: (1, 1),
                                        bias: true, normName: "norm", act: .gelu)
            try SVTRInit.kaimingUniform(layer.conv)
            layers.append(layer)
            c = o
        }
        proj = Sequential(p / "proj", layers)
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try proj(x).flatten(2).transpose(1, 2)           // B x D x h x w -> B x (h*w) x D
    }
}
