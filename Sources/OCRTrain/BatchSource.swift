import OCRData

/// Batches of one epoch at a time, restartable at any (epoch, batch): what the trainer needs from
/// a data loader to resume exactly where a run stopped.
public protocol BatchSource<Batch>: AnyObject {
    associatedtype Batch
    /// Batches in one epoch.
    var batchesPerEpoch: Int { get }
    /// Begins `epoch`, skipping its first `skipping` batches.
    func start(epoch: Int, skipping: Int) throws
    /// The next batch of the current epoch; nil at its end.
    func next() throws -> Batch?
    /// Seconds the consumer has spent waiting inside `next()` so far.
    var waitSeconds: Double { get }
}
