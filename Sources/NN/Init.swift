import Foundation
import Torch

/// PyTorch's default initialisations, so a model built here starts where its PyTorch twin would.
enum Init {
    /// kaiming_uniform_(a = sqrt(5)) as nn.Conv2d / nn.Linear use: bound = 1 / sqrt(fan_in).
    static func kaimingUniformDefault(_ shape: [Int], fanIn: Int) throws -> Tensor {
        try uniform(shape, bound: 1 / Double(max(fanIn, 1)).squareRoot())
    }

    static func uniform(_ shape: [Int], bound: Double) throws -> Tensor {
        let t = try Tensor.zeros(shape)
        try t.uniform(-bound, bound)
        return t
    }
}
