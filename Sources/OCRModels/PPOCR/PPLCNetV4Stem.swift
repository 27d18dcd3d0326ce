import NN
import Torch

/// PPLCNetV4's branch stem (PaddleOCR `rec_lcnetv4.StemBlock`, as HGNetV2's), stride 4, every
/// conv + BatchNorm folded into one conv with bias, each followed by ReLU:
/// stem1 3 x 3 /2 -> { stem2a 2 x 2 -> stem2b 2 x 2 | max-pool 2 x 2 /1 } concatenated ->
/// stem3 3 x 3 /2 -> stem4 1 x 1. The 2 x 2 convs and the pool keep the size with Paddle's
/// "SAME" padding: one row and column at the bottom and right (ONNX `auto_pad: SAME_UPPER`).
/// Paths: `<p>/stem1` ... `<p>/stem4`.
public final class PPLCNetV4Stem: Module, UnaryLayer {
    public let stem1: Conv2d, stem2a: Conv2d, stem2b: Conv2d, stem3: Conv2d, stem4: Conv2d
    public let relu: Activation
    public let pool: MaxPool2d

    public init(_ p: Path, in c: Int, mid: Int, out: Int) throws {
        stem1 = try Conv2d(p / "stem1", c, mid, kernel: 3, stride: 2, padding: 1)
        stem2a = try Conv2d(p / "stem2a", mid, mid / 2, kernel: 2, padding: 0)
        stem2b = try Conv2d(p / "stem2b", mid / 2, mid, kernel: 2, padding: 0)
        stem3 = try Conv2d(p / "stem3", 2 * mid, mid, kernel: 3, stride: 2, padding: 1)
        stem4 = try Conv2d(p / "stem4", mid, out, kernel: 1)
        relu = Activation(p / "relu", .relu)
        pool = MaxPool2d(p / "pool", kernel: (2, 2), stride: (1, 1))
        super.init(p)
    }

    /// "SAME" for a 2 x 2 window at stride 1: pad right and bottom by one. Zeros are right for the
    /// pool too: its input is a ReLU's output, never below 0.
    private func same(_ x: Tensor) throws -> Tensor { try x.pad([0, 1, 0, 1]) }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let x = try relu(stem1(x))                                      // B x mid x H/2 x W/2
        let branch = try relu(stem2b(same(relu(stem2a(same(x))))))
        let pooled = try pool(same(x))
        let y = try Tensor.cat([pooled, branch], dim: 1)               // B x 2mid x H/2 x W/2
        return try relu(stem4(relu(stem3(y))))                          // B x out x H/4 x W/4
    }
}
