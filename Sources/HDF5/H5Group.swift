import CHDF5

/// An open group: a folder of datasets, groups and attributes. Paths given to its methods are
/// relative to it ("stages/0/conv") or absolute ("/backbone"). Dataset reading and writing is in
/// `H5Group+Datasets.swift`.
public final class H5Group {
    /// The file this group belongs to (kept alive by the group).
    public let file: H5File
    /// Absolute path inside the file, e.g. "/backbone/stages".
    public let path: String
    let handle: h5_group

    init(file: H5File, path: String, handle: h5_group) {
        self.file = file
        self.path = path
        self.handle = handle
    }

    deinit { h5_group_close(handle) }

    var object: h5_object { h5_group_object(handle) }

    /// Creates the group at `path` and any missing parents, like `mkdir -p`; an existing group is
    /// returned as is. Fails if a dataset is in the way.
    @discardableResult
    public func createGroup(_ path: String) throws -> H5Group {
        var g = h5_group(id: -1)
        try HDF5Error.check { h5_group_open(object, path, 1, &g, $0) }
        return H5Group(file: file, path: H5Path.join(self.path, path), handle: g)
    }

    /// Opens an existing group.
    public func group(_ path: String) throws -> H5Group {
        var g = h5_group(id: -1)
        try HDF5Error.check { h5_group_open(object, path, 0, &g, $0) }
        return H5Group(file: file, path: H5Path.join(self.path, path), handle: g)
    }

    /// Whether `path` names an existing object. Missing parents, or a parent that is a dataset,
    /// answer false rather than throwing.
    public func contains(_ path: String) throws -> Bool {
        var found: Int32 = 0
        try HDF5Error.check { h5_exists(object, path, &found, $0) }
        return found != 0
    }

    /// What `path` names; throws if nothing is there.
    public func kind(of path: String) throws -> H5ObjectKind {
        var k = H5KIND_OTHER
        try HDF5Error.check { h5_kind_of(object, path, &k, $0) }
        return H5ObjectKind(k)
    }

    /// Names of the direct members, sorted by name (byte order: "10" sorts before "2").
    public func members() throws -> [String] {
        try CStringList.call { h5_group_members(object, $0, $1) }
    }

    /// Paths (relative to this group) of every dataset below it, depth first, sorted by name.
    /// This is how a checkpoint's parameters are enumerated ("backbone/stages/0/conv/weight").
    public func datasetPaths() throws -> [String] {
        var result: [String] = []
        func visit(_ group: H5Group, prefix: String) throws {
            for name in try group.members() {
                let rel = prefix.isEmpty ? name : prefix + "/" + name
                switch try group.kind(of: name) {
                case .dataset: result.append(rel)
                case .group: try visit(group.group(name), prefix: rel)
                case .other: continue
                }
            }
        }
        try visit(self, prefix: "")
        return result
    }

    /// The attributes of this group.
    public var attributes: H5Attributes { H5Attributes(owner: self, object: object, location: "'\(path)' in '\(file.path)'") }
}
