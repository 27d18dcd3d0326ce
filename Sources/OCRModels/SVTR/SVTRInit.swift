import NN
import Torch

/// The initialisers PaddleOCR's SVTR code names explicitly (elsewhere NN's PyTorch defaults apply).
enum SVTRInit {
    /// `trunc_normal_(std=0.02)` on Linear weights and pos_embed; Paddle truncates at +-2 absolute,
    /// which a 0.02 std never reaches, so a plain normal is the same distribution.
    static func truncNormal(_ t: Tensor, std: Double = 0.02) throws { try t.normal(mean: 0, std: std) }

    /// Linear: weight ~ N(0, 0.02), bias 0 (`SVTRNet._init_weights`).
    static func linear(_ l: Linear) throws {
        try truncNormal(l.weight)
        try l.bias?.fill(0)
    }

    /// Paddle `KaimingNormal`: N(0, sqrt(2 / fan_in)), fan_in = in/groups * kh * kw; bias 0.
    static func kaimingNormal(_ c: Conv2d) throws {
        let fanIn = c.inChannels / c.groups * c.kernel.0 * c.kernel.1
        try c.weight.normal(mean: 0, std: (2 / Double(fanIn)).squareRoot())
        try c.bias?.fill(0)
    }

    /// Paddle `KaimingUniform`: U(-b, b), b = sqrt(6 / fan_in); bias 0 (Paddle's default).
    static func kaimingUniform(_ c: Conv2d) throws {
        let fanIn = c.inChannels / c.groups * c.kernel.0 * c.kernel.1
        let bound = (6 / Double(fanIn)).squareRoot()
        try c.weight.uniform(-bound, bound)
        try c.bias?.fill(0)
    }
}
