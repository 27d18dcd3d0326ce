import Foundation
import Imaging
import OCRCore

/// Batches for the trainer: shuffled per epoch, decoded, augmented and resized by worker
/// threads, delivered in order through a bounded prefetch window.
///
/// Deterministic: batch b of epoch e is a pure function of (seed, e, b) - the epoch's order
/// comes from `SplitMix64(seed: seed, e, UInt64.max)`, sample i is loaded with
/// `datasetSeed(epoch: e)` and augmented with `SplitMix64(seed: seed, e, i)` - so the batches
/// are the same whatever the number of workers, and `resume(at:)` continues exactly.
/// A dataset under policy `exclude` (evaluation) has its unloadable samples left out: such a
/// batch is smaller than `batchSize`, possibly empty (`batch == 0`).
///
///     let loader = LineLoader(dataset: ds, pipeline: pipeline, options: options, seed: 42)
///     let epoch = loader.epoch(3)               // workers start here
///     while let batch = try epoch.next() {      // throws a LoaderError naming the sample
///         ...; checkpoint.position = epoch.position
///     }                                         // workers stop when `epoch` is closed or released
public final class LineLoader: Sendable {
    public let dataset: any LineDataset
    public let pipeline: LinePipeline
    public let options: LoaderOptions
    public let seed: UInt64

    public init(dataset: any LineDataset, pipeline: LinePipeline, options: LoaderOptions = LoaderOptions(), seed: UInt64) {
        self.dataset = dataset
        self.pipeline = pipeline
        self.options = options
        self.seed = seed
    }

    /// Batches in each epoch.
    public var batchesPerEpoch: Int {
        let (n, b) = (dataset.count, max(1, options.batchSize))
        return options.dropLast ? n / b : (n + b - 1) / b
    }

    /// Samples per epoch that are left out by `drop_last` (the remainder; a different set of
    /// samples each epoch when shuffling).
    public var droppedPerEpoch: Int { options.dropLast ? dataset.count % max(1, options.batchSize) : 0 }

    /// Starts an epoch at batch `start` (0 for a fresh epoch).
    public func epoch(_ epoch: Int, startingAt start: Int = 0) -> LineEpoch {
        LineEpoch(loader: self, epoch: epoch, start: start)
    }

    /// Continues from a saved position; a finished epoch's position continues with the next.
    public func resume(at position: LoaderPosition) -> LineEpoch {
        position.batch >= batchesPerEpoch ? epoch(position.epoch + 1) : epoch(position.epoch, startingAt: position.batch)
    }

    /// The seed passed to `LineDataset.sample(at:seed:)` in `epoch`: label-file and packed sets
    /// use it for the epoch's `ratio_list` draw, synthetic sets for rendering (fresh lines each
    /// epoch).
    public func datasetSeed(epoch: Int) -> UInt64 {
        var g = SplitMix64(seed: seed, UInt64(epoch), 0x6461_7461_7365_6564)
        return g.next()
    }

    /// The sample order of `epoch`.
    public func order(epoch: Int) -> [Int] {
        guard options.shuffle else { return Array(0..<dataset.count) }
        var g = SplitMix64(seed: seed, UInt64(epoch), UInt64.max)
        return g.permutation(dataset.count)
    }

    /// Builds one batch on the calling thread (what the workers do).
    public func batch(epoch: Int, index: Int) throws -> LineBatch {
        var stats = LoaderStats()
        return try makeBatch(epoch: epoch, index: index, order: order(epoch: epoch), stats: &stats) { false }
    }

    /// The samples of batch `index` of `epoch` as the dataset gives them - decoded, before
    /// augmentation and resizing - for a consumer with preprocessing of its own (`ocr-eval` on an
    /// ONNX model reads them through `TextRecognizer`, as `ocr predict` reads files). Excluded
    /// samples are left out as in `batch(epoch:index:)`. `order` is `order(epoch:)`; pass it when
    /// reading many batches (it is computed otherwise).
    public func samples(epoch: Int, index b: Int, order: [Int]? = nil) throws -> [LineSample] {
        let order = order ?? self.order(epoch: epoch)
        let dsSeed = datasetSeed(epoch: epoch)
        let position = LoaderPosition(epoch: epoch, batch: b)
        return try indices(ofBatch: b, order: order).compactMap { try load($0, seed: dsSeed, position: position) }
    }

    /// Dataset indices of batch `b`.
    private func indices(ofBatch b: Int, order: [Int]) -> ArraySlice<Int> {
        let bs = max(1, options.batchSize)
        return order[min(order.count, b * bs)..<min(order.count, (b + 1) * bs)]
    }

    /// Sample `i`, or nil when the dataset excludes it (policy `exclude`: the dataset's report
    /// holds the issue). A batch is the samples of its indices that load, so under `exclude` it
    /// may be smaller than `batchSize`, or empty; its contents stay a function of (seed, e, b).
    private func load(_ i: Int, seed dsSeed: UInt64, position: LoaderPosition) throws -> LineSample? {
        do {
            return try dataset.sample(at: i, seed: dsSeed)
        } catch is SampleExcluded {
            return nil
        } catch {
            throw LoaderError(position: position, index: i, source: (error as? DataError)?.issue?.location, underlying: error)
        }
    }

    struct Cancelled: Error {}

    func makeBatch(epoch: Int, index b: Int, order: [Int], stats: inout LoaderStats,
                   cancelled: () -> Bool) throws -> LineBatch {
        let indices = indices(ofBatch: b, order: order)
        let dsSeed = datasetSeed(epoch: epoch)
        let resize = pipeline.resize
        var lines = [RecResize.Line]()
        var labels = [[Int]](), texts = [String](), sources = [String](), groups = [String]()
        lines.reserveCapacity(indices.count)
        let position = LoaderPosition(epoch: epoch, batch: b)
        let clock = ContinuousClock()
        for i in indices {
            if cancelled() { throw Cancelled() }
            var t = clock.now
            let loaded = try load(i, seed: dsSeed, position: position)
            stats.loadSeconds += seconds(since: &t, clock)
            guard let sample = loaded else { continue }
            do {
                var image = sample.image
                if let augment = pipeline.augment {
                    var rng = SplitMix64(seed: seed, UInt64(epoch), UInt64(i))
                    image = try augment(image, rng: &rng)
                    stats.augmentSeconds += seconds(since: &t, clock)
                }
                lines.append(try resize(image))
                if let charset = pipeline.charset {
                    let encoded = charset.encode(sample.text)
                    guard encoded.unknown.isEmpty else {
                        throw DataError("text \(sample.text.debugDescription) has characters outside the charset: "
                            + String(encoded.unknown))
                    }
                    labels.append(encoded.classes)
                } else {
                    labels.append([])
                }
                stats.resizeSeconds += seconds(since: &t, clock)
            } catch {
                throw LoaderError(position: position, index: i, source: sample.source, underlying: error)
            }
            texts.append(sample.text)
            sources.append(sample.source)
            groups.append(sample.group)
        }
        var t = clock.now
        let validWidths = lines.map(\.validWidth)
        let width = resize.batchWidth(validWidths: validWidths)
        var pixels = [Float](repeating: 0, count: lines.count * resize.channels * resize.height * width)
        for (k, line) in lines.enumerated() { resize.place(line, into: &pixels, at: k, batchWidth: width) }
        stats.resizeSeconds += seconds(since: &t, clock)
        stats.batches += 1
        stats.samples += lines.count
        return LineBatch(pixels: pixels, batch: lines.count, channels: resize.channels, height: resize.height,
                         width: width, labels: labels, texts: texts, sources: sources, groups: groups,
                         validWidths: validWidths)
    }

    private func seconds(since t: inout ContinuousClock.Instant, _ clock: ContinuousClock) -> Double {
        let now = clock.now
        let d = now - t
        t = now
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    /// Worker threads alive in this process (all loaders); 0 once every epoch is closed.
    public static var liveWorkerThreads: Int { WorkerCount.shared.value }
}

/// PaddleOCR's `Train.loader` / `Eval.loader` section.
public struct LoaderOptions: Sendable, Hashable, Codable {
    /// Samples per batch (`batch_size_per_card`).
    public var batchSize: Int
    /// Shuffle each epoch (training: true; evaluation: false keeps file order).
    public var shuffle: Bool
    /// Leave out the last, smaller batch (PaddleOCR training configs set this).
    public var dropLast: Bool
    /// Worker threads (`num_workers`); 0 builds batches on the consumer's thread.
    public var workers: Int
    /// Batches prepared ahead of the consumer, at most (nil: twice the workers).
    public var prefetch: Int?
    /// PaddleOCR's `use_shared_memory`: accepted for compatibility, no effect (workers are threads).
    public var useSharedMemory: Bool?

    public init(batchSize: Int = 64, shuffle: Bool = true, dropLast: Bool = false, workers: Int = 2,
                prefetch: Int? = nil) {
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.workers = workers
        self.prefetch = prefetch
    }

    enum CodingKeys: String, CodingKey {
        case batchSize = "batch_size_per_card", shuffle, dropLast = "drop_last", workers = "num_workers"
        case prefetch = "prefetch_batches", useSharedMemory = "use_shared_memory"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = LoaderOptions()
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? d.batchSize
        shuffle = try c.decodeIfPresent(Bool.self, forKey: .shuffle) ?? d.shuffle
        dropLast = try c.decodeIfPresent(Bool.self, forKey: .dropLast) ?? d.dropLast
        workers = try c.decodeIfPresent(Int.self, forKey: .workers) ?? d.workers
        prefetch = try c.decodeIfPresent(Int.self, forKey: .prefetch)
        useSharedMemory = try c.decodeIfPresent(Bool.self, forKey: .useSharedMemory)
        guard batchSize > 0 else { throw DataError("loader: batch_size_per_card must be positive, got \(batchSize)") }
        guard workers >= 0 else { throw DataError("loader: num_workers must be >= 0, got \(workers)") }
        if let prefetch, prefetch < 1 { throw DataError("loader: prefetch_batches must be >= 1, got \(prefetch)") }
    }

    /// The prefetch window actually used: at least one batch per worker.
    var window: Int { max(prefetch ?? 2 * max(1, workers), max(1, workers)) }
}

final class WorkerCount: @unchecked Sendable {
    static let shared = WorkerCount()
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func add(_ d: Int) { lock.withLock { count += d } }
}
