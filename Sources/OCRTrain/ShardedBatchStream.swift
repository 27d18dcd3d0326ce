import OCRData

extension BatchStream: ShardableBatchSource {
    public func shard(rank: Int, worldSize: Int) throws -> any BatchSource<Assembler.Batch> {
        try ShardedBatchStream(loader, rank: rank, worldSize: worldSize)
    }
}

/// One rank's share of a `DataLoader`'s epochs. Every rank builds the same global order (the
/// loader's shuffle of the epoch) and cuts it into global batches of `worldSize` x batch size;
/// rank r reads slice r of each. Each sample is loaded and augmented exactly as the
/// single-process loader would (same dataset seed, same per-sample generator), so the ranks'
/// slices together are the single-process run's batch with `worldSize` times the batch size.
///
/// A last, incomplete global batch is left out (as `drop_last`): every rank must run the same
/// number of steps, with equal shares. Variable-width batches are padded to their slice's widest
/// line, not the global batch's.
public final class ShardedBatchStream<Assembler: BatchAssembler>: BatchSource {
    public let loader: DataLoader<Assembler>
    public let rank: Int, worldSize: Int
    private var stream: BatchStream<SampleShard<Assembler>>?
    private var waitedBefore = 0.0

    public init(_ loader: DataLoader<Assembler>, rank: Int, worldSize: Int) throws {
        guard worldSize >= 1, (0..<worldSize).contains(rank) else {
            throw TrainError("data parallel: rank \(rank) out of range for world size \(worldSize)")
        }
        let global = loader.options.batchSize * worldSize
        guard loader.assembler.count >= global else {
            throw TrainError("data parallel: \(loader.assembler.count) training samples are fewer than one global batch "
                             + "(\(worldSize) ranks x batch_size_per_card \(loader.options.batchSize))")
        }
        self.loader = loader
        self.rank = rank
        self.worldSize = worldSize
    }

    deinit { stream?.close() }

    public var batchesPerEpoch: Int { loader.assembler.count / (loader.options.batchSize * worldSize) }

    /// Dataset indices this rank reads in `epoch`, batch after batch.
    public func indices(epoch: Int) -> [Int] {
        let order = loader.order(epoch: epoch), b = loader.options.batchSize
        return (0..<batchesPerEpoch).flatMap { k in
            let start = (k * worldSize + rank) * b
            return order[start..<(start + b)]
        }
    }

    public func start(epoch: Int, skipping: Int) throws {
        if let stream {
            waitedBefore += stream.waitSeconds
            stream.close()
        }
        var options = loader.options
        options.shuffle = false                              // `indices` is already this epoch's order
        let shard = SampleShard(base: loader.assembler, indices: indices(epoch: epoch), seed: loader.seed, epoch: epoch,
                                datasetSeed: loader.datasetSeed(epoch: epoch))
        let s = BatchStream(DataLoader(assembler: shard, options: options, seed: loader.seed))
        try s.start(epoch: epoch, skipping: skipping)
        stream = s
    }

    public func next() throws -> Assembler.Batch? {
        guard let stream else { throw TrainError("ShardedBatchStream: call start(epoch:skipping:) before next()") }
        return try stream.next()
    }

    public var waitSeconds: Double { waitedBefore + (stream?.waitSeconds ?? 0) }
}

/// Some samples of a dataset, in a given order, prepared with the seeds the whole dataset's loader
/// would use for them in `epoch` (the shard's own loader seeds are ignored).
struct SampleShard<Base: BatchAssembler>: BatchAssembler {
    let base: Base
    let indices: [Int]
    let seed: UInt64, epoch: Int, datasetSeed: UInt64

    var count: Int { indices.count }

    func prepare(index: Int, datasetSeed _: UInt64, rng _: inout SplitMix64, stats: inout LoaderStats) throws -> Base.Prepared? {
        let i = indices[index]
        var rng = SplitMix64(seed: seed, UInt64(epoch), UInt64(i))   // DataLoader.makeBatch's generator for sample i
        return try base.prepare(index: i, datasetSeed: datasetSeed, rng: &rng, stats: &stats)
    }

    func assemble(_ samples: [Base.Prepared], stats: inout LoaderStats) throws -> Base.Batch {
        try base.assemble(samples, stats: &stats)
    }
}
