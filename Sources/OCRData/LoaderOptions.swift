import Foundation

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
    /// OCRKit, training (shuffle) only: sort each window of this many batches by text length, so
    /// a batch holds lines of similar widths (`LengthBuckets`; pair with `dynamic_width`). nil: off.
    public var lengthBucketWindow: Int?

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
        case lengthBucketWindow = "length_bucket_window"
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
        lengthBucketWindow = try c.decodeIfPresent(Int.self, forKey: .lengthBucketWindow)
        if let w = lengthBucketWindow, w < 1 {
            throw DataError("loader: length_bucket_window must be >= 1 (batches sorted together), got \(w)")
        }
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
