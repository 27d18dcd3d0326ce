/// Batches held in memory, in a fixed order: small evaluation sets and tests.
public final class ArrayBatchSource<Batch>: BatchSource {
    public let batches: [Batch]
    private var cursor = 0
    public private(set) var waitSeconds = 0.0

    public init(_ batches: [Batch]) { self.batches = batches }

    public var batchesPerEpoch: Int { batches.count }
    public func start(epoch: Int, skipping: Int) throws { cursor = min(skipping, batches.count) }
    public func next() throws -> Batch? {
        guard cursor < batches.count else { return nil }
        defer { cursor += 1 }
        return batches[cursor]
    }
}
