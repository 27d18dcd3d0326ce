import CHDF5

/// Creating, writing and reading datasets below a group.
///
/// Storage: datasets are contiguous unless `chunks`, `deflate` or `extendable` is given. `deflate`
/// (gzip level 0...9, with the shuffle filter for multi-byte types) and `extendable` need chunks;
/// when `chunks` is nil a default of about 256 KiB per chunk is chosen.
extension H5Group {
    /// Creates an empty dataset of `shape` (`[]` is a scalar). `extendable` makes dimension 0
    /// unlimited so rows can be appended with `H5Dataset.append`.
    public func createDataset(_ path: String, dtype: H5DType, shape: [Int], chunks: [Int]? = nil,
                              deflate: Int? = nil, extendable: Bool = false) throws -> H5Dataset {
        let full = H5Path.join(self.path, path)
        if let chunks, chunks.count != shape.count {
            throw HDF5Error("create dataset '\(full)' in '\(file.path)': chunk shape \(chunks) does not match shape \(shape)")
        }
        var chunks = chunks
        if chunks == nil && (deflate != nil || extendable) {
            chunks = H5Chunking.defaultChunks(shape: shape, elementSize: dtype.byteSize, extendable: extendable)
        }
        // A fixed shape with a zero dimension stores nothing: no chunks (and so no filter) needed.
        let storeNothing = chunks == nil && !extendable && shape.contains(0)
        let dims = shape.map(Int64.init)
        let chunkDims = chunks?.map(Int64.init)
        var d = h5_dataset(id: -1)
        try HDF5Error.check { err in
            withOptionalPointer(chunkDims) { chunkPtr in
                h5_dataset_create(object, path, dtype.c, Int32(shape.count), dims, chunkPtr,
                                  storeNothing ? -1 : Int32(deflate ?? -1), extendable ? 1 : 0, &d, err)
            }
        }
        return try H5Dataset(file: file, path: full, handle: d)
    }

    /// Writes `values` (row-major, `shape.reduce(1, *)` of them) as a new dataset at `path`,
    /// creating missing parent groups.
    @discardableResult
    public func write<T: H5Element>(_ values: [T], shape: [Int], to path: String, chunks: [Int]? = nil,
                                    deflate: Int? = nil, extendable: Bool = false) throws -> H5Dataset {
        let n = shape.reduce(1, *)
        guard n == values.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw HDF5Error("write dataset '\(H5Path.join(self.path, path))' in '\(file.path)': "
                + "\(values.count) values do not fill shape \(shape) (\(n) elements)")
        }
        let ds = try createDataset(path, dtype: T.h5DType, shape: shape, chunks: chunks, deflate: deflate,
                                   extendable: extendable)
        try ds.write(values)
        return ds
    }

    /// Writes one number as a scalar (0-d) dataset.
    @discardableResult
    public func write<T: H5Element>(_ value: T, to path: String) throws -> H5Dataset {
        try write([value], shape: [], to: path)
    }

    /// Writes a 1-D dataset of variable-length UTF-8 strings (labels, a charset).
    @discardableResult
    public func write(strings: [String], to path: String, chunks: [Int]? = nil, deflate: Int? = nil,
                      extendable: Bool = false) throws -> H5Dataset {
        let ds = try createDataset(path, dtype: .string, shape: [strings.count], chunks: chunks,
                                   deflate: deflate, extendable: extendable)
        try ds.write(strings: strings)
        return ds
    }

    /// Writes one string as a scalar dataset (a resolved config YAML, say).
    @discardableResult
    public func write(string: String, to path: String) throws -> H5Dataset {
        let ds = try createDataset(path, dtype: .string, shape: [])
        try ds.write(strings: [string])
        return ds
    }

    /// Opens an existing dataset. `chunkCacheBytes` sets HDF5's per-dataset chunk cache
    /// (default 1 MiB); 0 turns it off, which suits random reads of uncompressed data.
    public func dataset(_ path: String, chunkCacheBytes: Int? = nil) throws -> H5Dataset {
        var d = h5_dataset(id: -1)
        try HDF5Error.check { h5_dataset_open(object, path, Int64(chunkCacheBytes ?? -1), &d, $0) }
        return try H5Dataset(file: file, path: H5Path.join(self.path, path), handle: d)
    }

    /// Reads a whole numeric dataset; the dataset's dtype must be `T`'s.
    public func read<T: H5Element>(_ type: T.Type = T.self, _ path: String) throws -> [T] {
        try dataset(path).read(type)
    }

    /// Reads a whole string dataset (1-D, or a scalar as one element).
    public func readStrings(_ path: String) throws -> [String] {
        try dataset(path).readStrings()
    }

    /// Reads a scalar string dataset.
    public func readString(_ path: String) throws -> String {
        let ds = try dataset(path)
        let values = try ds.readStrings()
        guard values.count == 1 else {
            throw HDF5Error("read dataset '\(ds.path)' in '\(file.path)': holds \(values.count) strings, not one")
        }
        return values[0]
    }
}

/// Passes an optional array to C as a pointer (NULL when nil).
func withOptionalPointer<E, R>(_ array: [E]?, _ body: (UnsafePointer<E>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0.baseAddress) }
}
