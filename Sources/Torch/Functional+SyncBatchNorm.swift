import CTorch

extension F {
    /// Batch normalisation in training mode with the statistics of the whole global batch: the
    /// mean and variance of each channel over every rank's `x` (PyTorch's SyncBatchNorm), so that
    /// data-parallel ranks normalise as one process with the whole batch would. One all-reduce per
    /// call, differentiable (gradients reach `x` through the shared statistics); `runningMean` and
    /// `runningVar` take the global statistics (unbiased variance), the same on every rank.
    /// Every rank of `group` must call it in the same order. Eval mode: `batchNorm`, no collective.
    public static func syncBatchNorm(_ x: Tensor, group: ProcessGroup, weight: Tensor?, bias: Tensor?, runningMean: Tensor?,
                                     runningVar: Tensor?, momentum: Double = 0.1, eps: Double = 1e-5) throws -> Tensor {
        let none = ct_tensor(ptr: nil)
        return try Tensor.call { out, err in
            ct_sync_batch_norm(&out, group.handle, x.handle, weight?.handle ?? none, bias?.handle ?? none,
                               runningMean?.handle ?? none, runningVar?.handle ?? none, momentum, eps, &err)
        }
    }
}
