import CHDF5

/// An open dataset: an n-d array of one element type, possibly chunked, compressed and
/// extendable along dimension 0.
///
/// Reads check the dtype strictly and name the dataset on any mismatch. `read(rows:)` reads a
/// hyperslab along dimension 0, touching only the chunks it needs - the primitive behind fast
/// random access into packed datasets (see `H5BlobArray`).
public final class H5Dataset {
    /// The file this dataset belongs to (kept alive by the dataset).
    public let file: H5File
    /// Absolute path inside the file, e.g. "/backbone/stages/0/conv/weight".
    public let path: String
    public let dtype: H5DType
    /// Current shape; `[]` for a scalar. Updated by `append` and `refresh()`.
    public private(set) var shape: [Int]
    /// Whether dimension 0 is unlimited, so `append` can grow it.
    public let isExtendable: Bool
    let handle: h5_dataset

    /// Takes ownership of `handle` (closing it if the dataset cannot be inspected).
    init(file: H5File, path: String, handle: h5_dataset) throws {
        let info: (H5DType, [Int], Bool)
        do {
            info = try Self.info(handle)
        } catch {
            h5_dataset_close(handle)
            throw error
        }
        (self.file, self.path, self.handle) = (file, path, handle)
        (dtype, shape, isExtendable) = info
    }

    deinit { h5_dataset_close(handle) }

    private static func info(_ handle: h5_dataset) throws -> (H5DType, [Int], Bool) {
        var dtype = H5DTYPE_UNSUPPORTED
        var rank: Int32 = 0
        var dims = [Int64](repeating: 0, count: Int(H5_MAX_RANK))
        var maxDim0: Int64 = 0
        try HDF5Error.check { h5_dataset_info(handle, &dtype, &rank, &dims, &maxDim0, $0) }
        return (H5DType(dtype), dims.prefix(Int(rank)).map { Int($0) }, rank > 0 && maxDim0 < 0)
    }

    /// Re-reads the shape from the file (after another handle appended to the same dataset).
    public func refresh() throws {
        shape = try Self.info(handle).1
    }

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// Elements per row along dimension 0 (1 for a 1-D dataset).
    public var rowSize: Int { shape.dropFirst().reduce(1, *) }

    /// How the data is stored: the chunk shape (nil if contiguous) and the gzip level (nil if none).
    public func storage() throws -> (chunks: [Int]?, deflate: Int?) {
        var chunked: Int32 = 0
        var chunk = [Int64](repeating: 0, count: Int(H5_MAX_RANK))
        var deflate: Int32 = -1
        try HDF5Error.check { h5_dataset_storage(handle, &chunked, &chunk, &deflate, $0) }
        return (chunked != 0 ? chunk.prefix(shape.count).map { Int($0) } : nil, deflate >= 0 ? Int(deflate) : nil)
    }

    /// The attributes of this dataset.
    public var attributes: H5Attributes { H5Attributes(owner: self, object: h5_dataset_object(handle), location: "'\(path)' in '\(file.path)'") }

    // MARK: Numbers

    /// Overwrites the whole dataset with `values` (row-major, exactly `count` of them).
    public func write<T: H5Element>(_ values: [T]) throws {
        try values.withUnsafeBytes { buf in
            try HDF5Error.check { h5_dataset_write(handle, T.h5DType.c, buf.baseAddress, Int64(values.count), $0) }
        }
    }

    /// Reads the whole dataset, row-major. Throws, naming the dataset, unless it holds `T`.
    public func read<T: H5Element>(_ type: T.Type = T.self) throws -> [T] {
        try refresh()
        return try readSelection(start: 0, rows: -1, count: count)
    }

    /// Reads rows `rows` along dimension 0 (a hyperslab), row-major.
    public func read<T: H5Element>(_ type: T.Type = T.self, rows: Range<Int>) throws -> [T] {
        try readSelection(start: rows.lowerBound, rows: rows.count, count: rows.count * rowSize)
    }

    private func readSelection<T: H5Element>(start: Int, rows: Int, count: Int) throws -> [T] {
        try [T](unsafeUninitializedCapacity: count) { buf, initialized in
            initialized = 0
            try HDF5Error.check {
                h5_dataset_read(handle, T.h5DType.c, Int64(start), Int64(rows), buf.baseAddress, Int64(count), $0)
            }
            initialized = count
        }
    }

    /// Appends rows to an extendable dataset: `values.count` must be a multiple of `rowSize`.
    public func append<T: H5Element>(_ values: [T]) throws {
        try values.withUnsafeBytes { buf in
            try HDF5Error.check { h5_dataset_append(handle, T.h5DType.c, buf.baseAddress, Int64(values.count), $0) }
        }
        try refresh()
    }

    // MARK: Strings

    /// Overwrites the whole string dataset.
    public func write(strings: [String]) throws {
        try CStringList.withPointers(strings, what: "write dataset '\(path)' in '\(file.path)'") { ptr, n in
            try HDF5Error.check { h5_dataset_write(handle, H5DTYPE_STRING, ptr, n, $0) }
        }
    }

    /// Reads the whole string dataset (a scalar reads as one element).
    public func readStrings() throws -> [String] {
        try CStringList.call { h5_dataset_read_strings(handle, 0, -1, $0, $1) }
    }

    /// Reads the strings in `rows` of a 1-D string dataset.
    public func readStrings(rows: Range<Int>) throws -> [String] {
        try CStringList.call { h5_dataset_read_strings(handle, Int64(rows.lowerBound), Int64(rows.count), $0, $1) }
    }

    /// Appends strings to an extendable 1-D string dataset.
    public func append(strings: [String]) throws {
        try CStringList.withPointers(strings, what: "append to dataset '\(path)' in '\(file.path)'") { ptr, n in
            try HDF5Error.check { h5_dataset_append(handle, H5DTYPE_STRING, ptr, n, $0) }
        }
        try refresh()
    }
}
