import NN
import Torch

/// Folds an eval-mode BatchNorm into the convolution before it:
/// `bn(conv(x)) = conv'(x)` with, per output channel o, `s = gamma / sqrt(var + eps)`,
/// `w'[o] = w[o] * s`, `b' = (b - mean) * s + beta` (b = 0 for a conv without bias).
/// Computed in float64 and rounded once to float32.
public enum BatchNormFolding {
    public static func fold(conv: Conv2d, bn: BatchNorm2d) throws -> (weight: Tensor, bias: Tensor) {
        guard bn.features == conv.outChannels else {
            throw ExportError.unsupportedSetting(path: bn.path.description, message:
                "BatchNorm over \(bn.features) channels cannot fold into \(conv.path)'s \(conv.outChannels) output channels")
        }
        return try noGrad {
            let o = conv.outChannels
            let scale = try bn.weight.to(.float64) / (bn.runningVar.to(.float64) + bn.eps).sqrt()     // O
            let weight = try conv.weight.to(.float64) * scale.reshape([o, 1, 1, 1])
            let bias = try conv.bias?.to(.float64) ?? Tensor.zeros([o], dtype: .float64)
            let foldedBias = try (bias - bn.runningMean.to(.float64)) * scale + bn.bias.to(.float64)
            return (try weight.to(.float32), try foldedBias.to(.float32))
        }
    }
}

extension BatchNormFolding {
    /// The same fold for a transposed convolution, whose weight is C_in x C_out x kH x kW: the
    /// per-output-channel scale goes along axis 1. Grouped transposed convs are refused (their
    /// axis 1 holds C_out / groups).
    public static func fold(transposed conv: ConvTranspose2d, bn: BatchNorm2d) throws -> (weight: Tensor, bias: Tensor) {
        guard bn.features == conv.outChannels, conv.groups == 1 else {
            throw ExportError.unsupportedSetting(path: bn.path.description, message:
                "BatchNorm over \(bn.features) channels cannot fold into \(conv.path) (\(conv.outChannels) outputs, \(conv.groups) groups)")
        }
        return try noGrad {
            let o = conv.outChannels
            let scale = try bn.weight.to(.float64) / (bn.runningVar.to(.float64) + bn.eps).sqrt()
            let weight = try conv.weight.to(.float64) * scale.reshape([1, o, 1, 1])
            let bias = try conv.bias?.to(.float64) ?? Tensor.zeros([o], dtype: .float64)
            let foldedBias = try (bias - bn.runningMean.to(.float64)) * scale + bn.bias.to(.float64)
            return (try weight.to(.float32), try foldedBias.to(.float32))
        }
    }
}
