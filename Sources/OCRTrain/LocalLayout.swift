import Foundation

/// How `ocr-train` lays one training job over this machine's cores: how many local ranks, how many
/// LibTorch threads each, and whether the ranks split each step's batch.
///
/// `--nproc N` is PaddleOCR's multi-card launch: N ranks, each with `batch_size_per_card`, so the
/// global batch is N times the config's. `--nproc auto` (the default) treats the CPU as the one
/// card: a few ranks share it and split its batch, so a step trains on exactly the samples one
/// process would (`ShardedBatchStream` hands each rank its slice, gradients are averaged) - only
/// faster, and steadier under load. BatchNorm layers normalise each rank's half with its own
/// statistics: synchronising them (`-o Global.sync_bn=true`, which makes the split exact) put an
/// all-reduce in every BatchNorm layer's forward and backward and made the demo recogniser's step
/// 3x slower (35 layers: 283 -> 90 samples/s, 2 ranks x 8, measured on 2 cores), more than the
/// split gains.
///
/// Why two single-threaded ranks rather than one process with two threads (measured on the
/// 2-core machine, `ocr-bench load`, docs/BENCHMARKS.md): LibTorch's OpenMP threads meet at a
/// barrier after every op, so when another process takes part of a core, every op waits for the
/// thread that lost its slice. One process x 2 threads fell to 0.35x of its quiet speed with one
/// busy process beside it; 2 ranks x 1 thread kept 0.6x and, quiet, ran 1.6-2.2x faster.
public struct LocalLayout: Equatable, Sendable, CustomStringConvertible {
    /// Processes on this machine (1: no launcher, the process trains itself).
    public var ranks: Int
    /// LibTorch threads per rank.
    public var threadsPerRank: Int
    /// Each rank's `batch_size_per_card` when the ranks split the card's batch (`auto`); nil when
    /// every rank reads the config's batch (`--nproc N`) or there is one rank.
    public var batchPerRank: Int?
    /// Why `auto` chose this layout, for the log.
    public var reason: String

    public init(ranks: Int, threadsPerRank: Int, batchPerRank: Int?, reason: String) {
        (self.ranks, self.threadsPerRank, self.batchPerRank, self.reason) = (ranks, threadsPerRank, batchPerRank, reason)
    }

    /// The ranks `auto` uses on a machine with two or more cores.
    public static let autoRanks = 2
    /// The smallest per-rank batch `auto` splits down to.
    public static let minimumBatchPerRank = 4

    /// `--nproc N`: N ranks with the config's batch each, cores / N threads each.
    public static func explicit(ranks: Int, cores: Int) -> LocalLayout {
        LocalLayout(ranks: ranks, threadsPerRank: max(1, cores / ranks), batchPerRank: nil, reason: "--nproc \(ranks)")
    }

    /// One process with every core's thread.
    public static func single(cores: Int, reason: String) -> LocalLayout {
        LocalLayout(ranks: 1, threadsPerRank: max(1, cores), batchPerRank: nil, reason: reason)
    }

    /// `--nproc auto`: two ranks splitting the batch when there are two cores or more and the
    /// batch splits evenly into shares of at least `minimumBatchPerRank`; one process otherwise,
    /// and when `threadsGiven` (`-o Global.threads=N` on the command line: the user chose the
    /// threads, which each of two ranks would take, oversubscribing the cores).
    public static func automatic(cores: Int, batchSizePerCard batch: Int, threadsGiven: Bool = false) -> LocalLayout {
        let n = autoRanks
        if threadsGiven { return single(cores: cores, reason: "-o Global.threads given: one process") }
        guard cores >= n else { return single(cores: cores, reason: "\(cores) core(s): one process") }
        guard batch % n == 0, batch / n >= minimumBatchPerRank else {
            return single(cores: cores, reason: "batch_size_per_card \(batch) does not split into \(n) shares of at least \(minimumBatchPerRank): one process")
        }
        return LocalLayout(ranks: n, threadsPerRank: max(1, cores / n), batchPerRank: batch / n,
                           reason: "\(cores) cores: \(n) ranks share the batch of \(batch)")
    }

    public var description: String {
        ranks == 1 ? "1 process x \(threadsPerRank) thread(s)"
            : "\(ranks) ranks x \(threadsPerRank) thread(s)" + (batchPerRank.map { ", \($0) samples each per step" } ?? "")
    }

    /// The overrides a worker gets on top of the user's: its thread count (unless the user set
    /// `Global.threads`) and its share of the batch.
    public func workerOverrides(userOverrides: [String]) -> [String] {
        var out: [String] = []
        if !userOverrides.contains(where: { $0.hasPrefix("Global.threads=") }) { out.append("Global.threads=\(threadsPerRank)") }
        if let b = batchPerRank { out.append("Train.loader.batch_size_per_card=\(b)") }
        return out
    }
}
