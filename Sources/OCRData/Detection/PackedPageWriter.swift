import Foundation
import HDF5
import OCRCore

/// Appends pages to a new file in `PackedPageLayout`. Use inside `H5File.writeAtomically`, so
/// a failed pack never leaves a torn file; records are buffered and written in batches of about
/// `flushBytes` of image data, as `PackedLineWriter` does.
public final class PackedPageWriter {
    public let file: H5File
    private var blobs: H5BlobArray?
    private var annotations: H5Dataset?
    private var sources: H5Dataset?
    private let flushBytes: Int
    private var pending: (images: [[UInt8]], annotations: [String], sources: [String]) = ([], [], [])
    private var pendingBytes = 0
    public private(set) var count = 0
    public private(set) var imageBytes = 0

    public init(file: H5File, createdBy: String, flushBytes: Int = 8 << 20) throws {
        self.file = file
        self.flushBytes = flushBytes
        blobs = try H5BlobArray.create(in: file.root(), PackedPageLayout.images)
        annotations = try file.createDataset(PackedPageLayout.annotations, dtype: .string, shape: [0], extendable: true)
        sources = try file.createDataset(PackedPageLayout.sources, dtype: .string, shape: [0], extendable: true)
        try file.attributes.set(PackedLineLayout.kindAttribute, PackedPageLayout.kind)
        try file.attributes.set(PackedLineLayout.versionAttribute, PackedPageLayout.version)
        try file.attributes.set(PackedLineLayout.createdByAttribute, createdBy)
        try file.attributes.set(PackedLineLayout.countAttribute, 0)
    }

    /// Adds one page: its encoded file bytes, its regions (don't-care ones included) and where
    /// it came from.
    public func append(imageBytes bytes: [UInt8], regions: [TextRegion], source: String) throws {
        guard blobs != nil else { throw DataError("append to '\(file.path)': the writer is finished") }
        let json = String(decoding: try JSONEncoder().encode(regions), as: UTF8.self)
        pending.images.append(bytes)
        pending.annotations.append(json)
        pending.sources.append(source)
        pendingBytes += bytes.count
        count += 1
        imageBytes += bytes.count
        if pendingBytes >= flushBytes { try flush() }
    }

    public func flush() throws {
        guard !pending.images.isEmpty, let blobs, let annotations, let sources else { return }
        try blobs.append(contentsOf: pending.images)
        try annotations.append(strings: pending.annotations)
        try sources.append(strings: pending.sources)
        pending = ([], [], [])
        pendingBytes = 0
    }

    /// Flushes, records the count and releases the datasets (so the file can close).
    public func finish() throws {
        try flush()
        try file.attributes.set(PackedLineLayout.countAttribute, count)
        (blobs, annotations, sources) = (nil, nil, nil)
    }
}
