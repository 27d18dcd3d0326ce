import CTorch

public enum Reduction: Sendable {
    case none, mean, sum
    var c: ct_reduction {
        switch self {
        case .none: CT_REDUCTION_NONE
        case .mean: CT_REDUCTION_MEAN
        case .sum: CT_REDUCTION_SUM
        }
    }
}

extension F {
    /// CTC loss. `logProbs`: T x B x C log-softmax; `targets`: B x S int64 (padded);
    /// lengths: one per batch entry. `.mean` divides each loss by its target length, as PyTorch does.
    public static func ctcLoss(logProbs: Tensor, targets: Tensor, inputLengths: [Int], targetLengths: [Int],
                               blank: Int = 0, reduction: Reduction = .mean, zeroInfinity: Bool = true) throws -> Tensor {
        guard inputLengths.count == targetLengths.count else {
            throw TorchError("ctc_loss: \(inputLengths.count) input lengths but \(targetLengths.count) target lengths")
        }
        let il = i64(inputLengths), tl = i64(targetLengths)
        return try Tensor.call { out, err in
            ct_ctc_loss(&out, logProbs.handle, targets.handle, il, tl, Int64(il.count), Int64(blank), reduction.c,
                        zeroInfinity, &err)
        }
    }

    /// Binary cross-entropy on probabilities in [0, 1].
    public static func binaryCrossEntropy(_ x: Tensor, _ y: Tensor, weight: Tensor? = nil, reduction: Reduction = .mean) throws -> Tensor {
        try Tensor.call { out, err in ct_bce(&out, x.handle, y.handle, weight?.handle ?? ct_tensor(ptr: nil), reduction.c, &err) }
    }

    public static func binaryCrossEntropyWithLogits(_ x: Tensor, _ y: Tensor, weight: Tensor? = nil, posWeight: Tensor? = nil,
                                                    reduction: Reduction = .mean) throws -> Tensor {
        let none = ct_tensor(ptr: nil)
        return try Tensor.call { out, err in
            ct_bce_with_logits(&out, x.handle, y.handle, weight?.handle ?? none, posWeight?.handle ?? none, reduction.c, &err)
        }
    }

    public static func l1Loss(_ x: Tensor, _ y: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        try Tensor.call { out, err in ct_l1_loss(&out, x.handle, y.handle, reduction.c, &err) }
    }

    public static func smoothL1Loss(_ x: Tensor, _ y: Tensor, beta: Double = 1, reduction: Reduction = .mean) throws -> Tensor {
        try Tensor.call { out, err in ct_smooth_l1_loss(&out, x.handle, y.handle, beta, reduction.c, &err) }
    }

    public static func mseLoss(_ x: Tensor, _ y: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        try Tensor.call { out, err in ct_mse_loss(&out, x.handle, y.handle, reduction.c, &err) }
    }

    /// `logits`: B x C, `target`: B int64 class indices.
    public static func crossEntropy(_ logits: Tensor, _ target: Tensor, weight: Tensor? = nil, reduction: Reduction = .mean,
                                    ignoreIndex: Int = -100, labelSmoothing: Double = 0) throws -> Tensor {
        try Tensor.call { out, err in
            ct_cross_entropy(&out, logits.handle, target.handle, weight?.handle ?? ct_tensor(ptr: nil), reduction.c,
                             Int64(ignoreIndex), labelSmoothing, &err)
        }
    }
}
