import NN
import Torch

/// A DB feature pyramid: the backbone's four maps (strides 4, 8, 16, 32, finest first) fused into
/// one B x `outChannels` x H/4 x W/4 map for `DBHead`.
public protocol DetectionNeck: Module {
    var outChannels: Int { get }
    func callAsFunction(_ features: [Tensor]) throws -> Tensor
}

/// The top-down pass and fusion PaddleOCR's DBFPN and RSEFPN share: lateral maps `in2...in5`
/// (finest first) are summed coarse to fine with 2x nearest upsampling, each level is smoothed
/// by `smooth[i]`, brought to H/4 x W/4 by nearest upsampling, and the four are concatenated
/// coarsest first ([p5, p4, p3, p2], as PaddleOCR, so channel order matches its weights).
func fusePyramid(lateral ins: [Tensor], smooth: [(Tensor) throws -> Tensor]) throws -> Tensor {
    func up(_ x: Tensor, _ factor: Int) throws -> Tensor {
        try F.interpolate(x, size: (x.size(2) * factor, x.size(3) * factor), mode: .nearest)
    }
    let out4 = try ins[2] + up(ins[3], 2)                        // 1/16
    let out3 = try ins[1] + up(out4, 2)                          // 1/8
    let out2 = try ins[0] + up(out3, 2)                          // 1/4
    let p5 = try up(smooth[3](ins[3]), 8)
    let p4 = try up(smooth[2](out4), 4)
    let p3 = try up(smooth[1](out3), 2)
    let p2 = try smooth[0](out2)
    return try Tensor.cat([p5, p4, p3, p2], dim: 1)              // B x 4 * (outChannels / 4) x H/4 x W/4
}

/// Checks the backbone handed the neck four maps with the channels it was built for.
func checkPyramid(_ features: [Tensor], _ inChannels: [Int], _ name: String) throws {
    guard features.count == 4, zip(features, inChannels).allSatisfy({ $0.rank == 4 && $0.size(1) == $1 }) else {
        throw ModelError(.invalidInput, "\(name) needs 4 maps with channels \(inChannels), got shapes \(features.map(\.shape))")
    }
}
