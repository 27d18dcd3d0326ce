import CHDF5

/// An open HDF5 file. Closed by `close()` or, at the latest, in `deinit`.
///
/// Groups and datasets keep their file alive, so a file object outlives every handle into it.
/// `close()` fails while such handles are still open (instead of leaving the file half-open),
/// which is what makes `writeAtomically` safe. Group-level operations on the file itself
/// (`write`, `dataset`, `attributes`, ...) act on the root group, see `H5File+Root.swift`.
///
/// Not `Sendable`: use a file from one thread at a time (libhdf5 itself is thread-safe but
/// serialises every call behind one lock).
public final class H5File {
    public enum Mode: Sendable {
        case readOnly, readWrite
    }

    /// The path the file was created or opened with.
    public let path: String
    public let mode: Mode
    private(set) var handle: h5_file

    private init(path: String, mode: Mode, handle: h5_file) {
        self.path = path
        self.mode = mode
        self.handle = handle
    }

    deinit {
        h5_file_close(handle, nil)  // no open children can exist here (they retain self)
    }

    /// Creates a new file, truncating any existing one at `path`.
    public static func create(_ path: String) throws -> H5File {
        var h = h5_file(id: -1)
        try HDF5Error.check { h5_file_create(path, &h, $0) }
        return H5File(path: path, mode: .readWrite, handle: h)
    }

    /// Opens an existing file. Fails with a message naming `path` when it is missing or not HDF5.
    public static func open(_ path: String, mode: Mode = .readOnly) throws -> H5File {
        var h = h5_file(id: -1)
        try HDF5Error.check { h5_file_open(path, mode == .readWrite ? 1 : 0, &h, $0) }
        return H5File(path: path, mode: mode, handle: h)
    }

    public var isOpen: Bool { handle.id > 0 }

    /// Writes HDF5's buffers to the OS (not an fsync).
    public func flush() throws {
        try requireOpen("flush file")
        try HDF5Error.check { h5_file_flush(handle, $0) }
    }

    /// Closes the file. Fails, leaving the file open, while groups or datasets of it are alive.
    /// Closing twice is a no-op.
    public func close() throws {
        guard isOpen else { return }
        try HDF5Error.check { h5_file_close(handle, $0) }
        handle = h5_file(id: -1)
    }

    /// The root group, as a new handle.
    public func root() throws -> H5Group {
        try requireOpen("open group '/'")
        var g = h5_group(id: -1)
        try HDF5Error.check { h5_group_open(h5_file_object(handle), "/", 0, &g, $0) }
        return H5Group(file: self, path: "/", handle: g)
    }

    func requireOpen(_ op: String) throws {
        guard isOpen else { throw HDF5Error("\(op) in '\(path)': the file is closed") }
    }
}
