import CTorch

/// A TCP key-value store where the ranks of a process group meet: torchrun's
/// `MASTER_ADDR:MASTER_PORT`. One process hosts it (rank 0, or torchrun's agent); the others
/// connect, retrying until the timeout.
public final class TCPStore: @unchecked Sendable {
    let handle: ct_store

    /// `port` 0 with `isServer` picks a free port (see `port`).
    public init(host: String, port: Int, isServer: Bool, worldSize: Int, timeoutSeconds: Double = 300) throws {
        var h = ct_store(ptr: nil)
        try Tensor.check { err in ct_store_tcp(&h, host, Int32(port), isServer, Int32(worldSize), timeoutSeconds, &err) }
        handle = h
    }

    deinit { ct_store_free(handle) }

    /// The port in use (the one picked when created with port 0).
    public var port: Int { Int(ct_store_port(handle)) }
}

/// A Gloo process group over LibTorch's c10d: the collectives data-parallel training needs.
///
/// Every rank calls the same collectives in the same order, from one thread at a time. A peer
/// that exits makes the pending collective throw at once; one that stops answering makes it
/// throw after `timeoutSeconds`. The error names the op and this rank (and, with two ranks, the
/// peer) - it never hangs and never aborts the process.
public final class ProcessGroup: @unchecked Sendable {
    public enum Reduction: Sendable {
        case sum, average
        var c: ct_dist_reduce { self == .sum ? CT_DIST_SUM : CT_DIST_AVERAGE }
    }

    /// Which library moves the data: Gloo over TCP (CPU tensors), or NCCL between GPUs, its
    /// collectives on `device` (cuda:device); CPU tensors given to an NCCL group go there and back.
    public enum Backend: Equatable, Sendable {
        case gloo
        case nccl(device: Int)
        var c: (ct_dist_backend, Int32) {
            switch self {
            case .gloo: (CT_DIST_GLOO, -1)
            case .nccl(let d): (CT_DIST_NCCL, Int32(d))
            }
        }
    }

    let handle: ct_process_group
    /// Kept alive as long as the group uses it.
    public let store: TCPStore
    public let timeoutSeconds: Double

    /// Joins (blocking until all `worldSize` ranks have joined, or the timeout). `prefix`: the
    /// store's key prefix (torchrun workers: "/worker/attempt_N").
    /// `backend`: Gloo (CPU), or NCCL on this rank's GPU (a CUDA LibTorch build only; elsewhere
    /// this throws saying so).
    public init(store: TCPStore, rank: Int, worldSize: Int, prefix: String = "", timeoutSeconds: Double = 300,
                backend: Backend = .gloo) throws {
        var h = ct_process_group(ptr: nil)
        let (b, device) = backend.c
        try Tensor.check { err in
            ct_process_group_new(&h, store.handle, prefix, Int32(rank), Int32(worldSize), timeoutSeconds, b, device, &err)
        }
        handle = h
        self.store = store
        self.timeoutSeconds = timeoutSeconds
    }

    deinit { ct_process_group_free(handle) }

    public var rank: Int { Int(ct_process_group_rank(handle)) }
    public var worldSize: Int { Int(ct_process_group_size(handle)) }

    /// In place: each tensor becomes its sum (or average) over the ranks. Flattened into buckets
    /// of `bucketBytes` per dtype (nil: 25 MiB, PyTorch DDP's default).
    public func allReduce(_ tensors: [Tensor], _ op: Reduction = .sum, bucketBytes: Int? = nil) throws {
        let hs = tensors.map(\.handle)
        try Tensor.check { err in ct_all_reduce(handle, hs, Int64(hs.count), op.c, Int64(bucketBytes ?? 0), &err) }
        withExtendedLifetime(tensors) {}
    }

    /// In place on the gradients of `parameters` (a missing gradient becomes zeros first, so all
    /// ranks agree on the list): after `.average`, every rank holds the mean gradient.
    public func allReduceGradients(of parameters: [Tensor], _ op: Reduction = .average, bucketBytes: Int? = nil) throws {
        let hs = parameters.map(\.handle)
        try Tensor.check { err in ct_all_reduce_grads(handle, hs, Int64(hs.count), op.c, Int64(bucketBytes ?? 0), &err) }
        withExtendedLifetime(parameters) {}
    }

    /// In place: every rank's tensors take `root`'s values.
    public func broadcast(_ tensors: [Tensor], root: Int = 0) throws {
        let hs = tensors.map(\.handle)
        try Tensor.check { err in ct_broadcast(handle, hs, Int64(hs.count), Int32(root), &err) }
        withExtendedLifetime(tensors) {}
    }

    /// Returns once every rank has reached it.
    public func barrier() throws { try Tensor.check { err in ct_barrier(handle, &err) } }

    /// The sum of `x` over the ranks as a new tensor that autograd differentiates through: in
    /// backward the gradient reaching the result is summed over the ranks too, so `x` receives the
    /// gradient of the ranks' summed losses with respect to its own contribution (what statistics
    /// shared by all ranks need, e.g. synchronised BatchNorm's). Forward and backward are one
    /// collective each: every rank calls them in the same order.
    public func sumOverRanks(_ x: Tensor) throws -> Tensor {
        try Tensor.call { out, err in ct_all_reduce_sum_autograd(&out, handle, x.handle, &err) }
    }
}
