import Torch

/// PaddleOCR's `DiceLoss` over a mask: 1 - 2 sum(p g m) / (sum(p m) + sum(g m) + eps). It is 1
/// (with zero gradient) when the mask holds no text, so an all-background crop stays finite.
public struct DiceLoss: Sendable {
    public let eps: Double

    public init(eps: Double = 1e-6) { self.eps = eps }

    /// `pred`, `gt`, `mask`: same shape; returns a scalar tensor.
    public func callAsFunction(_ pred: Tensor, _ gt: Tensor, _ mask: Tensor) throws -> Tensor {
        let intersection = try (pred * gt * mask).sum()
        let union = try (pred * mask).sum() + (gt * mask).sum() + eps
        return try 1 - intersection * 2 / union
    }
}
