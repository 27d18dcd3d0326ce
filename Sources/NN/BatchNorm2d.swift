import Torch

/// Batch normalisation over N x C x H x W with running statistics (PyTorch's defaults:
/// momentum 0.1, eps 1e-5, weight 1, bias 0).
public final class BatchNorm2d: Module, UnaryLayer {
    public let features: Int, momentum: Double, eps: Double
    public private(set) var weight: Tensor, bias: Tensor
    public let runningMean: Tensor, runningVar: Tensor, batchesTracked: Tensor
    /// Data-parallel training with `Global.sync_bn`: in training mode the statistics are those of
    /// the global batch, all-reduced over this group (`F.syncBatchNorm`); nil, or eval mode, uses
    /// this process's batch or the running statistics. Set per module (not per process), so ranks
    /// that share a process each keep their own group.
    public var syncGroup: ProcessGroup?

    public init(_ path: Path, _ features: Int, momentum: Double = 0.1, eps: Double = 1e-5) throws {
        self.features = features
        self.momentum = momentum
        self.eps = eps
        weight = try Tensor.ones([features])
        bias = try Tensor.zeros([features])
        runningMean = try Tensor.zeros([features])
        runningVar = try Tensor.ones([features])
        batchesTracked = try Tensor.zeros([], dtype: .int64)
        super.init(path)
        weight = try registerParameter("weight", weight)
        bias = try registerParameter("bias", bias)
        _ = registerBuffer("running_mean", runningMean)
        _ = registerBuffer("running_var", runningVar)
        _ = registerBuffer("num_batches_tracked", batchesTracked)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        if isTraining { try batchesTracked.update(.add, 1) }
        if isTraining, let group = syncGroup {
            return try F.syncBatchNorm(x, group: group, weight: weight, bias: bias, runningMean: runningMean,
                                       runningVar: runningVar, momentum: momentum, eps: eps)
        }
        return try F.batchNorm(x, weight: weight, bias: bias, runningMean: runningMean, runningVar: runningVar,
                               training: isTraining, momentum: momentum, eps: eps)
    }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("features", .int(features)), ("momentum", .double(momentum)), ("eps", .double(eps))]
    }
}
