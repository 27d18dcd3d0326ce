/// A `DataLoader` as one restartable stream of epochs: the shape of OCRTrain's `BatchSource`
/// (`start(epoch:skipping:)`, `next()`, `batchesPerEpoch`, `waitSeconds`), so the trainer adopts
/// it with `extension LineBatchStream: BatchSource {}`. Use from one thread.
public final class BatchStream<Assembler: BatchAssembler> {
    public let loader: DataLoader<Assembler>
    private var current: LoaderEpoch<Assembler>?
    private var waitedInEarlierEpochs = 0.0

    public init(_ loader: DataLoader<Assembler>) { self.loader = loader }

    deinit { current?.close() }

    public var batchesPerEpoch: Int { loader.batchesPerEpoch }

    /// Begins `epoch` at batch `skipping` (stopping the previous epoch's workers first).
    public func start(epoch: Int, skipping: Int) throws {
        close()
        current = loader.epoch(epoch, startingAt: skipping)
    }

    /// The next batch of the current epoch; nil at its end. Throws `LoaderError` naming the
    /// sample when one cannot be loaded.
    public func next() throws -> Assembler.Batch? {
        guard let current else { throw DataError("BatchStream: call start(epoch:skipping:) before next()") }
        return try current.next()
    }

    /// Seconds `next()` has blocked, over every epoch so far.
    public var waitSeconds: Double { waitedInEarlierEpochs + (current?.stats.waitSeconds ?? 0) }

    /// Where the current epoch stands (nil before `start`).
    public var position: LoaderPosition? { current?.position }

    /// The current epoch's loading statistics (nil before `start`).
    public var stats: LoaderStats? { current?.stats }

    /// Stops the current epoch's workers (also done by `start` and on release).
    public func close() {
        guard let epoch = current else { return }
        waitedInEarlierEpochs += epoch.stats.waitSeconds
        epoch.close()
        current = nil
    }
}
