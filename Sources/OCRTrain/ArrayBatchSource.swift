import OCRData

/// Batches held in memory, in a fixed order: small evaluation sets and tests.
public final class ArrayBatchSource: BatchSource {
    public let batches: [LineBatch]
    private var cursor = 0
    public private(set) var waitSeconds = 0.0

    public init(_ batches: [LineBatch]) { self.batches = batches }

    public var batchesPerEpoch: Int { batches.count }
    public func start(epoch: Int, skipping: Int) throws { cursor = min(skipping, batches.count) }
    public func next() throws -> LineBatch? {
        guard cursor < batches.count else { return nil }
        defer { cursor += 1 }
        return batches[cursor]
    }
}
