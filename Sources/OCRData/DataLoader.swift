import Foundation
import OCRCore

/// What a `DataLoader` batches, for any task: a dataset of `count` samples, how one is prepared
/// (loaded, augmented, resized - on a worker thread) and how prepared samples become a batch.
/// Text lines are the first (`LineAssembler`); detection pages and classifier crops reuse the
/// loader's shuffling, workers, prefetch and resumable positions through their own assembler.
public protocol BatchAssembler: Sendable {
    associatedtype Prepared
    associatedtype Batch: Sendable

    /// Samples in one epoch.
    var count: Int { get }
    /// Sample `index`, ready to batch; nil when the dataset leaves it out (policy `exclude`).
    /// `datasetSeed` makes loading (synthetic rendering) a pure function of the epoch and index;
    /// `rng` (seeded from loader seed, epoch, index) drives augmentation. Throws a
    /// `SampleFailure` naming the sample when it cannot be prepared.
    func prepare(index: Int, datasetSeed: UInt64, rng: inout SplitMix64, stats: inout LoaderStats) throws -> Prepared?
    /// One batch from the prepared samples of a batch, in order.
    func assemble(_ samples: [Prepared], stats: inout LoaderStats) throws -> Batch
    /// Sample `index`'s text length before loading it, for `length_bucket_window`; nil when
    /// unknown (the default).
    func textLength(index: Int, datasetSeed: UInt64) -> Int?
}

extension BatchAssembler {
    public func textLength(index: Int, datasetSeed: UInt64) -> Int? { nil }
}

/// A sample that could not be prepared: where it came from and why.
public struct SampleFailure: Error {
    public var source: String?
    public var underlying: any Error
    public init(source: String?, underlying: any Error) {
        self.source = source
        self.underlying = underlying
    }
}

/// Batches for the trainer and evaluation, for any `BatchAssembler`: shuffled per epoch,
/// prepared by worker threads, delivered in order through a bounded prefetch window.
///
/// Deterministic: batch b of epoch e is a pure function of (seed, e, b) - the epoch's order
/// comes from `SplitMix64(seed: seed, e, UInt64.max)`, sample i is loaded with
/// `datasetSeed(epoch: e)` and augmented with `SplitMix64(seed: seed, e, i)` - so the batches
/// are the same whatever the number of workers, and `resume(at:)` continues exactly.
/// A dataset under policy `exclude` (evaluation) has its unloadable samples left out: such a
/// batch is smaller than `batchSize`, possibly empty.
///
///     let loader = LineLoader(dataset: ds, pipeline: pipeline, options: options, seed: 42)
///     let epoch = loader.epoch(3)               // workers start here
///     while let batch = try epoch.next() {      // throws a LoaderError naming the sample
///         ...; checkpoint.position = epoch.position
///     }                                         // workers stop when `epoch` is closed or released
public final class DataLoader<Assembler: BatchAssembler>: Sendable {
    public let assembler: Assembler
    public let options: LoaderOptions
    public let seed: UInt64

    public init(assembler: Assembler, options: LoaderOptions = LoaderOptions(), seed: UInt64) {
        self.assembler = assembler
        self.options = options
        self.seed = seed
    }

    /// Batches in each epoch.
    public var batchesPerEpoch: Int {
        let (n, b) = (assembler.count, max(1, options.batchSize))
        return options.dropLast ? n / b : (n + b - 1) / b
    }

    /// Samples per epoch that are left out by `drop_last` (the remainder; a different set of
    /// samples each epoch when shuffling).
    public var droppedPerEpoch: Int { options.dropLast ? assembler.count % max(1, options.batchSize) : 0 }

    /// Starts an epoch at batch `start` (0 for a fresh epoch).
    public func epoch(_ epoch: Int, startingAt start: Int = 0) -> LoaderEpoch<Assembler> {
        LoaderEpoch(loader: self, epoch: epoch, start: start)
    }

    /// Continues from a saved position; a finished epoch's position continues with the next.
    public func resume(at position: LoaderPosition) -> LoaderEpoch<Assembler> {
        position.batch >= batchesPerEpoch ? epoch(position.epoch + 1) : epoch(position.epoch, startingAt: position.batch)
    }

    /// The seed passed to the dataset in `epoch`: label-file and packed sets use it for the
    /// epoch's `ratio_list` draw, synthetic sets for rendering (fresh samples each epoch).
    public func datasetSeed(epoch: Int) -> UInt64 {
        var g = SplitMix64(seed: seed, UInt64(epoch), 0x6461_7461_7365_6564)
        return g.next()
    }

    /// The sample order of `epoch`.
    public func order(epoch: Int) -> [Int] {
        guard options.shuffle else { return Array(0..<assembler.count) }
        var g = SplitMix64(seed: seed, UInt64(epoch), UInt64.max)
        let shuffled = g.permutation(assembler.count)
        guard let window = options.lengthBucketWindow else { return shuffled }
        let dsSeed = datasetSeed(epoch: epoch)
        return LengthBuckets.order(shuffled, batchSize: options.batchSize, window: window,
                                   seed: SplitMix64(seed: seed, UInt64(epoch), 0x6275_636B_6574)) {
            assembler.textLength(index: $0, datasetSeed: dsSeed)
        }
    }

    /// Builds one batch on the calling thread (what the workers do).
    public func batch(epoch: Int, index: Int) throws -> Assembler.Batch {
        var stats = LoaderStats()
        return try makeBatch(epoch: epoch, index: index, order: order(epoch: epoch), stats: &stats) { false }
    }

    /// Dataset indices of batch `b`.
    func indices(ofBatch b: Int, order: [Int]) -> ArraySlice<Int> {
        let bs = max(1, options.batchSize)
        return order[min(order.count, b * bs)..<min(order.count, (b + 1) * bs)]
    }

    struct Cancelled: Error {}

    func makeBatch(epoch: Int, index b: Int, order: [Int], stats: inout LoaderStats,
                   cancelled: () -> Bool) throws -> Assembler.Batch {
        let dsSeed = datasetSeed(epoch: epoch)
        var prepared: [Assembler.Prepared] = []
        for i in indices(ofBatch: b, order: order) {
            if cancelled() { throw Cancelled() }
            var rng = SplitMix64(seed: seed, UInt64(epoch), UInt64(i))
            do {
                if let p = try assembler.prepare(index: i, datasetSeed: dsSeed, rng: &rng, stats: &stats) { prepared.append(p) }
            } catch let f as SampleFailure {
                throw LoaderError(position: LoaderPosition(epoch: epoch, batch: b), index: i, source: f.source, underlying: f.underlying)
            }
        }
        let batch = try assembler.assemble(prepared, stats: &stats)
        stats.batches += 1
        stats.samples += prepared.count
        return batch
    }

    /// Worker threads alive in this process (all loaders); 0 once every epoch is closed.
    public static var liveWorkerThreads: Int { WorkerCount.shared.value }
}

extension LoaderStats {
    /// Seconds since `t`, moving `t` to now: the stage timers of `prepare` and `assemble`.
    public static func seconds(since t: inout ContinuousClock.Instant) -> Double {
        let now = ContinuousClock.now
        let d = now - t
        t = now
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
