/// Default chunk shapes, for datasets that need chunks (compressed or extendable) when the caller
/// gives none.
enum H5Chunking {
    /// About 256 KiB per chunk: big enough for good gzip ratios and few index entries, small enough
    /// that reading one row of a compressed dataset does not inflate megabytes.
    static let targetBytes = 256 << 10

    /// A chunk shape for `shape`: whole rows along dimension 0 up to `targetBytes`; if one row is
    /// already larger, trailing dimensions are halved too. Fixed dimensions are never exceeded
    /// (HDF5 requires that); an extendable dimension 0 is sized by bytes, not by its current length.
    /// Returns nil when no chunk is possible (a fixed dimension of length 0: nothing to store).
    static func defaultChunks(shape: [Int], elementSize: Int, extendable: Bool) -> [Int]? {
        guard !shape.isEmpty else { return nil }
        if shape.enumerated().contains(where: { $0.element == 0 && !($0.offset == 0 && extendable) }) { return nil }
        var chunk = shape.map { max($0, 1) }
        // Trailing dimensions first, so that one row fits the target.
        var i = chunk.count - 1
        while i >= 1 && bytes(chunk.dropFirst(), elementSize) > targetBytes {
            if chunk[i] > 1 { chunk[i] = (chunk[i] + 1) / 2 } else { i -= 1 }
        }
        let rowBytes = bytes(chunk.dropFirst(), elementSize)
        let rows = max(1, targetBytes / rowBytes)
        chunk[0] = extendable ? rows : min(shape[0], rows)
        return chunk
    }

    private static func bytes(_ dims: ArraySlice<Int>, _ elementSize: Int) -> Int {
        dims.reduce(elementSize, *)
    }
}
