import CHDF5

/// Group operations on a file act on its root group, so `file.write(w, shape: s, to: "a/b")`
/// reads like `h5py`'s `f["a/b"] = w`. Each call opens the root group for its own duration.
extension H5File {
    /// Attributes of the root group ("file attributes" in h5py).
    public var attributes: H5Attributes {
        H5Attributes(owner: self, object: h5_file_object(handle), location: "'/' in '\(path)'")
    }

    @discardableResult
    public func createGroup(_ path: String) throws -> H5Group { try root().createGroup(path) }
    public func group(_ path: String) throws -> H5Group { try root().group(path) }
    public func contains(_ path: String) throws -> Bool { try root().contains(path) }
    public func kind(of path: String) throws -> H5ObjectKind { try root().kind(of: path) }
    public func members() throws -> [String] { try root().members() }
    public func datasetPaths() throws -> [String] { try root().datasetPaths() }

    public func createDataset(_ path: String, dtype: H5DType, shape: [Int], chunks: [Int]? = nil,
                              deflate: Int? = nil, extendable: Bool = false) throws -> H5Dataset {
        try root().createDataset(path, dtype: dtype, shape: shape, chunks: chunks, deflate: deflate,
                                 extendable: extendable)
    }

    @discardableResult
    public func write<T: H5Element>(_ values: [T], shape: [Int], to path: String, chunks: [Int]? = nil,
                                    deflate: Int? = nil, extendable: Bool = false) throws -> H5Dataset {
        try root().write(values, shape: shape, to: path, chunks: chunks, deflate: deflate, extendable: extendable)
    }

    @discardableResult
    public func write<T: H5Element>(_ value: T, to path: String) throws -> H5Dataset {
        try root().write(value, to: path)
    }

    @discardableResult
    public func write(strings: [String], to path: String, chunks: [Int]? = nil, deflate: Int? = nil,
                      extendable: Bool = false) throws -> H5Dataset {
        try root().write(strings: strings, to: path, chunks: chunks, deflate: deflate, extendable: extendable)
    }

    @discardableResult
    public func write(string: String, to path: String) throws -> H5Dataset {
        try root().write(string: string, to: path)
    }

    public func dataset(_ path: String, chunkCacheBytes: Int? = nil) throws -> H5Dataset {
        try root().dataset(path, chunkCacheBytes: chunkCacheBytes)
    }

    public func read<T: H5Element>(_ type: T.Type = T.self, _ path: String) throws -> [T] {
        try root().read(type, path)
    }

    public func readStrings(_ path: String) throws -> [String] { try root().readStrings(path) }
    public func readString(_ path: String) throws -> String { try root().readString(path) }
}
