import Foundation
import NN
import Torch

/// This process's place in a data-parallel run: its rank in a Gloo process group and what the
/// engine does with it. Each rank holds a full copy of the model and reads its own share of every
/// batch; after backward the gradients are averaged over the ranks (one bucketed all-reduce), so
/// every rank takes the same optimizer step and the copies stay identical - what PyTorch's DDP
/// does, without overlapping the all-reduce with backward (simpler; the step is compute-bound on
/// CPUs).
///
/// - Parameters and buffers are broadcast from rank 0 once, after pretrained weights or a resumed
///   checkpoint are loaded.
/// - BatchNorm statistics: with `Global.sync_bn: true` every BatchNorm layer normalises with the
///   mean and variance of the whole global batch (one differentiable all-reduce per layer and
///   step, `F.syncBatchNorm`), so N ranks x batch b train as one process x batch N*b and the
///   running averages are the same on every rank. With false (the default) each rank normalises
///   its own share - cheaper, but a different computation whose running averages differ per
///   rank; rank 0's are the ones evaluated and saved.
/// - Only rank 0 evaluates, logs and writes config.yml and checkpoints.
/// - Every step the ranks agree on whether to stop (Ctrl-C, SIGTERM, early stopping) and on the
///   step a time budget allows, so they always run the same number of collectives.
public final class DataParallel: @unchecked Sendable {
    public let group: ProcessGroup

    public init(group: ProcessGroup) { self.group = group }

    public var rank: Int { group.rank }
    public var worldSize: Int { group.worldSize }
    /// Rank 0: evaluates, logs and writes files.
    public var isLeader: Bool { rank == 0 }

    // MARK: - the process's own group

    private static let lock = NSLock()
    nonisolated(unsafe) private static var current: DataParallel?

    /// The group this process joined (`join(environment:)`); the engine uses it unless a
    /// trainer's parts name another. nil: a single-process run.
    public static var process: DataParallel? {
        get { lock.withLock { current } }
        set { lock.withLock { current = newValue } }
    }

    /// Wraps an event handler so that only the leader (or a single-process run) shows events.
    public static func leaderOnly<E>(_ handler: @escaping (E) -> Void) -> (E) -> Void {
        process.map { $0.isLeader } ?? true ? handler : { _ in }
    }

    // MARK: - what the engine calls

    /// Makes every rank's parameters and buffers rank 0's.
    public func broadcastState(of model: Module) throws {
        try collective { try group.broadcast(model.namedParameters().map(\.tensor) + model.namedBuffers().map(\.tensor), root: 0) }
    }

    /// `Global.sync_bn`: makes every BatchNorm layer of `model` normalise with the global batch's
    /// statistics (`synchronised`) or its own share's. Returns the line the engine logs.
    public func synchroniseBatchNorm(in model: Module, _ synchronised: Bool) -> String {
        let layers = model.modules().compactMap { $0 as? BatchNorm2d }
        for bn in layers { bn.syncGroup = synchronised ? group : nil }
        let how = synchronised ? "synchronised over \(worldSize) ranks" : "per rank"
        return "data parallel: BatchNorm statistics \(how) (\(layers.count) BatchNorm layers; Global.sync_bn: \(synchronised))"
    }

    /// Averages the gradients of `parameters` over the ranks, in place.
    public func averageGradients(_ parameters: [Tensor]) throws {
        try collective { try group.allReduceGradients(of: parameters, .average) }
    }

    /// The mean of `value` over the ranks: the loss of the whole global batch, for logging and the
    /// non-finite check (a NaN on any rank stops every rank).
    public func mean(_ value: Double) throws -> Double {
        let t = try Tensor([value])
        try collective { try group.allReduce([t], .average) }
        return try t.item()                                  // host sync
    }

    /// Agreement after each step: stop if any rank was asked to stop; the step a time budget
    /// allows is rank 0's. Returns the reason (this rank's own, or which rank asked) and the plan.
    public func agree(stop: String?, planned: Int) throws -> (stop: String?, planned: Int) {
        // [ranks asking to stop, rank 0's plan, sum of the asking ranks]: exact in float64.
        let t = try Tensor([stop == nil ? 0 : 1, isLeader ? Double(planned) : 0, stop == nil ? 0 : Double(rank)])
        try collective { try group.allReduce([t], .sum) }
        let v = try t.toArray(Double.self)                   // host sync
        guard v[0] > 0 else { return (nil, Int(v[1])) }
        let asker = v[0] == 1 ? "rank \(Int(v[2])) was" : "\(Int(v[0])) ranks were"
        return (stop ?? "\(asker) asked to stop", Int(v[1]))
    }

    /// Runs one collective; its failure (a lost or silent peer) becomes a `DataParallelError`.
    private func collective(_ body: () throws -> Void) throws {
        do { try body() } catch let e as TorchError { throw DataParallelError(message: e.message) }
    }

    /// This rank's share of `source`: a `ShardableBatchSource` gives its slice of every global
    /// batch; any other source is read whole by every rank (correct, but each rank then repeats
    /// the others' work) and a message says so.
    func shard<B>(_ source: any BatchSource<B>, events: (TrainEvent) -> Void) throws -> any BatchSource<B> {
        guard let shardable = source as? any ShardableBatchSource<B> else {
            events(.message("data parallel: \(type(of: source)) cannot be sharded; each of the \(worldSize) ranks reads all of it"))
            return source
        }
        let s = try shardable.shard(rank: rank, worldSize: worldSize)
        events(.message("data parallel: \(worldSize) ranks, \(s.batchesPerEpoch) global batches per epoch; rank \(rank) reads "
                        + "its slice of each"))
        return s
    }
}

/// A batch source that can give one rank its slice of every global batch.
public protocol ShardableBatchSource<Batch>: BatchSource {
    /// Rank `rank`'s share: batch k is that rank's slice of the single-process batch k of a loader
    /// whose batch size is `worldSize` times this one's.
    func shard(rank: Int, worldSize: Int) throws -> any BatchSource<Batch>
}

/// A collective failed: a peer rank exited or stopped answering. The engine calls collectives
/// only where its state is whole (before the optimizer step, after a step is booked), so rank 0
/// can still write latest.h5 when it gets this.
public struct DataParallelError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public var description: String { message }

    public init(message: String) { self.message = message }

    /// `error` when it is one, or a LibTorch error from a collective inside the model - the
    /// all-reduce of a synchronised BatchNorm in forward or backward - that lost its peer: the shim
    /// ends those messages with "exited or stopped answering" (ct_dist.cpp, explain). nil otherwise.
    public init?(peerLost error: any Error) {
        if let e = error as? DataParallelError { self = e; return }
        guard let e = error as? TorchError, e.message.contains("exited or stopped answering") else { return nil }
        message = e.message
    }
}
