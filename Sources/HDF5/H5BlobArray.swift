/// A list of variable-size byte blobs (encoded PNG/JPEG images of a packed dataset) with fast
/// random access, stored as two plain datasets in a group:
///
///     <name>/bytes    uint8 [total]   all blobs back to back; chunked, extendable
///     <name>/offsets  int64 [n + 1]   blob i is bytes[offsets[i] ..< offsets[i + 1]]; offsets[0] == 0
///
/// Why not a dataset of variable-length byte arrays: vlen elements live in HDF5's global heap,
/// which cannot be compressed or chunk-cached and costs a heap lookup per element. Here reading
/// blob i is one hyperslab read of exactly its bytes: `bytes` is opened with the chunk cache off,
/// so HDF5 reads only the selected bytes of its (uncompressed) chunks, and the offsets (8 bytes
/// per blob) are loaded into memory once at open. Any HDF5 tool can read the layout
/// (`f["images/bytes"][o[i]:o[i+1]]` in h5py). Encoded images are already compressed, so `bytes`
/// is stored without gzip.
///
/// Appends write `bytes` before `offsets`, so a writer that dies mid-append leaves at worst some
/// unreferenced bytes, never an offset pointing past the data.
public final class H5BlobArray {
    public let group: H5Group
    private let bytes: H5Dataset
    private let offsetsDataset: H5Dataset
    /// n + 1 entries; blob i spans offsets[i] ..< offsets[i + 1] in `bytes`.
    public private(set) var offsets: [Int64]

    private init(group: H5Group, bytes: H5Dataset, offsets: H5Dataset, values: [Int64]) {
        self.group = group
        self.bytes = bytes
        self.offsetsDataset = offsets
        self.offsets = values
    }

    /// Creates an empty blob array as group `name` under `parent`. `chunkBytes` is the chunk size of
    /// the byte stream (1 MiB: few index entries, and random reads do not depend on it).
    public static func create(in parent: H5Group, _ name: String, chunkBytes: Int = 1 << 20) throws -> H5BlobArray {
        let group = try parent.createGroup(name)
        let bytes = try group.createDataset("bytes", dtype: .uint8, shape: [0], chunks: [max(chunkBytes, 1)],
                                            extendable: true)
        let offsets = try group.createDataset("offsets", dtype: .int64, shape: [0], chunks: [8192], extendable: true)
        try offsets.append([Int64(0)])
        return H5BlobArray(group: group, bytes: bytes, offsets: offsets, values: [0])
    }

    /// Opens an existing blob array for reading (and appending, if the file is writable).
    public static func open(in parent: H5Group, _ name: String) throws -> H5BlobArray {
        let group = try parent.group(name)
        let bytes = try group.dataset("bytes", chunkCacheBytes: 0)
        let offsetsDataset = try group.dataset("offsets")
        let values = try offsetsDataset.read(Int64.self)
        // Validate once here, so blob(at:) can trust the offsets.
        let total = Int64(bytes.shape.first ?? 0)
        guard bytes.shape.count == 1, values.first == 0, values.last.map({ $0 <= total }) == true,
              zip(values, values.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw HDF5Error("open blob array '\(group.path)' in '\(group.file.path)': offsets are not "
                + "increasing from 0 to at most \(total), or bytes is not 1-D")
        }
        return H5BlobArray(group: group, bytes: bytes, offsets: offsetsDataset, values: values)
    }

    /// Number of blobs.
    public var count: Int { offsets.count - 1 }

    /// Size in bytes of blob `i`.
    public func byteCount(at i: Int) -> Int { Int(offsets[i + 1] - offsets[i]) }

    /// Reads blob `i` with one hyperslab read.
    public func blob(at i: Int) throws -> [UInt8] {
        guard i >= 0 && i < count else {
            throw HDF5Error("read blob \(i) of '\(group.path)' in '\(group.file.path)': index out of range 0..<\(count)")
        }
        return try bytes.read(UInt8.self, rows: Int(offsets[i])..<Int(offsets[i + 1]))
    }

    public func append(_ blob: [UInt8]) throws {
        try append(contentsOf: [blob])
    }

    /// Appends several blobs with one write per dataset (much faster than one append each).
    public func append(contentsOf blobs: [[UInt8]]) throws {
        guard !blobs.isEmpty else { return }
        var end = offsets[offsets.count - 1]
        // New blobs start where the byte stream ends; unreferenced bytes there (from a writer that
        // died between the two appends) would silently become part of the next blob.
        guard Int64(bytes.shape[0]) == end else {
            throw HDF5Error("append to blob array '\(group.path)' in '\(group.file.path)': \(Int64(bytes.shape[0]) - end) "
                + "bytes after the last blob are unreferenced (an interrupted append?)")
        }
        var newOffsets: [Int64] = []
        var joined: [UInt8] = []  // one buffer, filled by memcpy (`blobs.joined()` goes byte by byte)
        newOffsets.reserveCapacity(blobs.count)
        joined.reserveCapacity(blobs.reduce(0) { $0 + $1.count })
        for blob in blobs {
            end += Int64(blob.count)
            newOffsets.append(end)
            joined.append(contentsOf: blob)
        }
        try bytes.append(joined)
        try offsetsDataset.append(newOffsets)
        offsets.append(contentsOf: newOffsets)
    }
}
