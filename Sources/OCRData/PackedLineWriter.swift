import HDF5

/// Appends line records to a new file in `PackedLineLayout`. Use inside
/// `H5File.writeAtomically`, so a failed or interrupted pack never leaves a torn file:
///
///     try H5File.writeAtomically(to: out) { file in
///         let writer = try PackedLineWriter(file: file, createdBy: "ocr data pack")
///         for ... { try writer.append(imageBytes: png, label: text, group: g, source: s) }
///         try writer.finish()
///     }
///
/// Records are buffered and written in batches of about `flushBytes` of image data (one HDF5
/// write per dataset per batch, which is what makes packing fast).
public final class PackedLineWriter {
    public let file: H5File
    private var blobs: H5BlobArray?
    private var labels: H5Dataset?
    private var groups: H5Dataset?
    private var sources: H5Dataset?
    private let flushBytes: Int
    private var pending: (images: [[UInt8]], labels: [String], groups: [String], sources: [String]) = ([], [], [], [])
    private var pendingBytes = 0
    /// Records appended so far.
    public private(set) var count = 0
    /// Encoded image bytes appended so far.
    public private(set) var imageBytes = 0

    /// Creates the datasets. `groups`/`sources` are stored when true; `append` then needs them.
    public init(file: H5File, createdBy: String, groups: Bool = true, sources: Bool = true,
                flushBytes: Int = 8 << 20) throws {
        self.file = file
        self.flushBytes = flushBytes
        let root = try file.root()
        blobs = try H5BlobArray.create(in: root, PackedLineLayout.images)
        labels = try file.createDataset(PackedLineLayout.labels, dtype: .string, shape: [0], extendable: true)
        if groups { self.groups = try file.createDataset(PackedLineLayout.groups, dtype: .string, shape: [0], extendable: true) }
        if sources { self.sources = try file.createDataset(PackedLineLayout.sources, dtype: .string, shape: [0], extendable: true) }
        try file.attributes.set(PackedLineLayout.kindAttribute, PackedLineLayout.kind)
        try file.attributes.set(PackedLineLayout.versionAttribute, PackedLineLayout.version)
        try file.attributes.set(PackedLineLayout.createdByAttribute, createdBy)
        try file.attributes.set(PackedLineLayout.countAttribute, 0)
    }

    /// Adds one record: the image file's bytes, its text, and (when the writer stores them) its
    /// group and source.
    public func append(imageBytes bytes: [UInt8], label: String, group: String? = nil, source: String? = nil) throws {
        guard blobs != nil else { throw DataError("append to '\(file.path)': the writer is finished") }
        guard (groups == nil) == (group == nil), (sources == nil) == (source == nil) else {
            throw DataError("append to '\(file.path)': give group and source exactly when the writer stores them "
                + "(groups: \(groups != nil), sources: \(sources != nil))")
        }
        pending.images.append(bytes)
        pending.labels.append(label)
        if let group { pending.groups.append(group) }
        if let source { pending.sources.append(source) }
        pendingBytes += bytes.count
        count += 1
        imageBytes += bytes.count
        if pendingBytes >= flushBytes { try flush() }
    }

    /// Writes what is buffered.
    public func flush() throws {
        guard !pending.images.isEmpty, let blobs, let labels else { return }
        try blobs.append(contentsOf: pending.images)
        try labels.append(strings: pending.labels)
        try groups?.append(strings: pending.groups)
        try sources?.append(strings: pending.sources)
        pending = ([], [], [], [])
        pendingBytes = 0
    }

    /// Flushes, records the count and releases the datasets (so the file can close).
    public func finish() throws {
        try flush()
        try file.attributes.set(PackedLineLayout.countAttribute, count)
        (blobs, labels, groups, sources) = (nil, nil, nil, nil)
    }
}
