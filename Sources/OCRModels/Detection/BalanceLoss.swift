import Torch

/// PaddleOCR's `BalanceLoss` for the shrink map: the main loss over the positive pixels plus the
/// `negativeRatio` x (positive count) hardest negatives (online hard example mining), divided
/// by the number of pixels kept. With no positives only the (empty) positive term is left, so an
/// all-background crop gives 0, as in PaddleOCR.
///
/// With `DiceLoss` the main loss is one number for the whole batch, so "balancing" only scales it
/// by (P + N) / (P + N + eps) - PaddleOCR's behaviour, kept so its configs mean the same here.
/// With `BCELoss` the per-pixel cross-entropies are mined, which is what OHEM is for.
public struct BalanceLoss: Sendable {
    public enum MainLoss: String, Sendable { case dice = "DiceLoss", bce = "BCELoss" }

    public let main: MainLoss
    public let balance: Bool
    public let negativeRatio: Double
    public let eps: Double

    public init(main: MainLoss = .dice, balance: Bool = true, negativeRatio: Double = 3, eps: Double = 1e-6) {
        self.main = main
        self.balance = balance
        self.negativeRatio = negativeRatio
        self.eps = eps
    }

    /// `pred`, `gt`, `mask`: same shape, `gt` and `mask` 0/1; returns a scalar tensor.
    public func callAsFunction(_ pred: Tensor, _ gt: Tensor, _ mask: Tensor) throws -> Tensor {
        let positive = try gt * mask
        let negative = try (1 - gt) * mask
        // Host syncs: the counts decide how many negatives OHEM keeps (int(), as PaddleOCR).
        let positiveCount = Int(try positive.sum().item())
        let negativeCount = Int(Swift.min(try negative.sum().item(), Double(positiveCount) * negativeRatio))
        let loss: Tensor = switch main {
        case .dice: try DiceLoss(eps: eps)(pred, gt, mask)                              // scalar
        case .bce: try F.binaryCrossEntropy(pred, gt, reduction: .none)                 // per pixel
        }
        guard balance else {
            // PaddleOCR returns the unreduced map here for BCE; its mean over the mask is the loss it means.
            return main == .dice ? loss : try (loss * mask).sum() / (mask.sum() + eps)
        }
        let positiveLoss = try (positive * loss).sum()
        guard negativeCount > 0 else { return try positiveLoss / (Double(positiveCount) + eps) }
        let hardest = try main == .dice ? Self.diceHardest(loss, negative, k: negativeCount)
                                        : Self.topKSum(negative * loss, k: negativeCount)
        return try (positiveLoss + hardest) / (Double(positiveCount + negativeCount) + eps)
    }

    /// Dice's top k: the loss is one number d >= 0, so the k largest of negative x d are d x the
    /// k largest of the label map `negative`; for a 0/1 map holding at least k ones (PaddleOCR's
    /// labels) that is d x k, decided with two scalar syncs instead of copying the map to the host.
    static func diceHardest(_ dice: Tensor, _ negative: Tensor, k: Int) throws -> Tensor {
        let ones = try negative.apply(.eq, 1).sum().item(), largest = try negative.max().item()   // host syncs
        return largest <= 1 && Double(k) <= ones ? try dice * Double(k) : try topKSum(negative * dice, k: k)
    }

    /// The sum of the `k` largest entries of `values`, differentiable in `values`: PaddleOCR's
    /// `sort(descending)[:k].sum()` without a sort op in the shim. The k-th largest value t is
    /// found on the host (a constant for autograd, like the indices a sort would return); entries
    /// above t get weight 1 and the entries equal to t share the remaining k - above, so the sum
    /// equals the top-k sum exactly, ties included.
    static func topKSum(_ values: Tensor, k: Int) throws -> Tensor {
        // Host sync: n values, as Double so the threshold is exact for any float dtype.
        let host = try values.detach().toArray(Double.self)
        guard k < host.count else { return try values.sum() }
        let t = KthLargest.value(host, k: k)
        var above = 0, equal = 0
        for v in host {
            if v > t { above += 1 } else if v == t { equal += 1 }
        }
        let kept = try values.apply(.gt, t).to(values.dtype)
        let tied = try values.apply(.eq, t).to(values.dtype)
        let weights = try kept + tied * (Double(k - above) / Double(Swift.max(equal, 1)))
        return try (values * weights).sum()
    }
}

/// The k-th largest of n doubles in four O(n) passes (radix select): a double's bits, mapped to an
/// unsigned key that sorts like the number, are bucketed 16 bits at a time from the top, each
/// pass keeping only the bucket that holds the k-th largest. No sort, no random pivot; NaN is
/// not expected.
enum KthLargest {
    static func key(_ d: Double) -> UInt64 {
        let b = d.bitPattern
        return b & (1 << 63) != 0 ? ~b : b | (1 << 63)
    }

    static func double(_ key: UInt64) -> Double {
        Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
    }

    /// `k` in 1...values.count.
    static func value(_ values: [Double], k: Int) -> Double {
        var rank = k                                                // rank wanted among the candidates, from the largest
        var prefix: UInt64 = 0
        for shift in stride(from: 48, through: 0, by: -16) {
            var counts = [Int](repeating: 0, count: 1 << 16)
            let above = UInt64(shift + 16)                          // bits fixed so far: key >> above == prefix >> above
            for v in values {
                let kv = key(v)
                if above == 64 || kv >> above == prefix >> above { counts[Int((kv >> UInt64(shift)) & 0xFFFF)] += 1 }
            }
            var digit = (1 << 16) - 1
            while counts[digit] < rank { rank -= counts[digit]; digit -= 1 }
            prefix |= UInt64(digit) << UInt64(shift)
        }
        return double(prefix)
    }
}
