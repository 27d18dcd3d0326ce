import Torch

/// PaddleOCR's `MaskL1Loss`: sum(|p - g| m) / (sum(m) + eps), the mean absolute error inside the
/// mask (0 for an empty mask).
public struct MaskL1Loss: Sendable {
    public let eps: Double

    public init(eps: Double = 1e-6) { self.eps = eps }

    public func callAsFunction(_ pred: Tensor, _ gt: Tensor, _ mask: Tensor) throws -> Tensor {
        try ((pred - gt).abs() * mask).sum() / (mask.sum() + eps)
    }
}
