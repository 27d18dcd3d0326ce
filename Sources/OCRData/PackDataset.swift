import Foundation
import HDF5
import Imaging
import OCRCore

/// Options of `packDataset` (`ocr data pack`).
public struct PackOptions: Sendable {
    /// Labels must encode completely with it (nil: no check).
    public var charset: Charset?
    /// In charset classes; nil for no limit.
    public var maxTextLength: Int?
    /// `skip`: bad lines and images are reported and left out; `fail`: the first one stops the
    /// pack (nothing is written) with its `file:line`.
    public var policy: LabelIssuePolicy = .skip
    /// What is stored as each record's group.
    public var grouping: LabelFileDataset.Grouping = .labelFile
    /// Decode every image before storing it, so a pack never holds an undecodable image
    /// (costs one decode per image; the bytes stored are the file's, not re-encoded).
    public var verifyImages = true
    /// Examples of each issue category kept in the report.
    public var exampleLimit = 20
    /// Stored in the file's `created_by` attribute.
    public var createdBy = "ocr data pack"

    public init(charset: Charset? = nil, maxTextLength: Int? = nil, policy: LabelIssuePolicy = .skip) {
        self.charset = charset
        self.maxTextLength = maxTextLength
        self.policy = policy
    }
}

/// Progress of a pack, reported after each batch of records.
public struct PackProgress: Sendable {
    /// Label records handled (packed or left out).
    public var done: Int
    /// Label records to handle (lines that passed the label checks).
    public var total: Int
    /// Image bytes stored so far.
    public var bytes: Int
}

/// What `packDataset` wrote and left out.
public struct PackSummary: Sendable, CustomStringConvertible {
    public var output: String
    /// Records stored.
    public var records: Int
    /// Encoded image bytes stored.
    public var imageBytes: Int
    /// Size of the written file.
    public var fileBytes: Int
    public var seconds: Double
    /// Records stored per group.
    public var groups: [String: Int]
    /// Every line or image left out, per file and category, with examples.
    public var report: DataReport

    public var description: String {
        let mb = { (b: Int) in String(format: "%.1f MB", Double(b) / 1e6) }
        var s = "\(output): \(records) records, images \(mb(imageBytes)), file \(mb(fileBytes)), "
            + String(format: "%.1f s", seconds)
        if report.issueCount > 0 { s += ", \(report.issueCount) issues left out" }
        return s + "\n" + report.description
    }
}

/// `ocr data pack`: PaddleOCR label files and their images into one packed `.h5`
/// (`PackedLineLayout`), for fast random access and one file to copy instead of millions.
///
/// Label lines are checked as `LabelFileDataset` does (same reader, same categories) and, with
/// `verifyImages`, every image is decoded once; whatever is left out is in the summary's report
/// with its `file:line`. The file is written atomically: on any error (including the first bad
/// line under policy `fail`) nothing is left at `out`. `progress` is called on the calling
/// thread.
public func packDataset(labelFiles: [String], dataDir: String, charset: Charset?, out: String,
                        options: PackOptions = PackOptions(),
                        progress: ((PackProgress) -> Void)? = nil) throws -> PackSummary {
    let start = Date()
    var datasetOptions = LabelFileDataset.Options(dataDir: dataDir, labelFiles: labelFiles, charset: charset,
                                                  maxTextLength: options.maxTextLength, policy: options.policy)
    datasetOptions.grouping = options.grouping
    datasetOptions.exampleLimit = options.exampleLimit
    let collector = DataReportCollector(files: labelFiles, exampleLimit: options.exampleLimit)
    let records = try LabelFileDataset.parse(datasetOptions, collector: collector)
    var usable = [Int](repeating: 0, count: labelFiles.count)
    var groups = [String: Int]()
    var written = 0, imageBytes = 0

    try H5File.writeAtomically(to: out) { file in
        let writer = try PackedLineWriter(file: file, createdBy: options.createdBy)
        let chunk = 256
        var chunkStart = 0
        while chunkStart < records.count {
            let batch = Array(records[chunkStart..<min(records.count, chunkStart + chunk)])
            // Read (and decode, to verify) in parallel; store in order.
            var loaded = [Result<Data, DataIssue>?](repeating: nil, count: batch.count)
            let verify = options.verifyImages
            loaded.withUnsafeMutableBufferPointer { slots in
                nonisolated(unsafe) let slots = slots  // each iteration writes only its own slot
                DispatchQueue.concurrentPerform(iterations: batch.count) { i in
                    slots[i] = loadForPacking(batch[i], verify: verify)
                }
            }
            for (record, result) in zip(batch, loaded) {
                switch result! {
                case .success(let data):
                    try writer.append(imageBytes: [UInt8](data), label: record.text, group: record.group,
                                      source: record.source)
                    usable[record.fileIndex] += 1
                    groups[record.group, default: 0] += 1
                case .failure(let issue):
                    if options.policy == .fail {
                        throw DataError(issue: issue, hint: "issue policy is 'fail'; nothing was written to '\(out)'")
                    }
                    collector.add(issue, fileIndex: record.fileIndex)
                }
            }
            chunkStart += batch.count
            progress?(PackProgress(done: chunkStart, total: records.count, bytes: writer.imageBytes))
        }
        try writer.finish()
        guard writer.count > 0 else {
            throw DataError("pack '\(out)': no usable records, nothing written\n\(collector.snapshot)")
        }
        (written, imageBytes) = (writer.count, writer.imageBytes)
    }
    for i in labelFiles.indices {
        collector.update(file: i) {
            $0.usable = usable[i]
            $0.perEpoch = usable[i]
        }
    }
    let fileBytes = ((try? FileManager.default.attributesOfItem(atPath: out))?[.size] as? Int) ?? 0
    return PackSummary(output: out, records: written, imageBytes: imageBytes, fileBytes: fileBytes,
                       seconds: Date().timeIntervalSince(start), groups: groups, report: collector.snapshot)
}

private func loadForPacking(_ record: LabelFileDataset.Record, verify: Bool) -> Result<Data, DataIssue> {
    func issue(_ category: String, _ why: String) -> DataIssue {
        DataIssue(file: record.file, line: record.line, category: category,
                  message: "image '\(record.imagePath)' (\(record.resolvedPath)): \(why)", imagePath: record.imagePath)
    }
    switch LabelFileDataset.readImageFile(record.resolvedPath) {
    case .failure(let problem): return .failure(issue(problem.category, problem.message))
    case .success(let data):
        if data.isEmpty { return .failure(issue(DataIssue.Category.undecodableImage, "file is empty")) }
        if verify {
            do { _ = try Image(decoding: data, mode: .keep) } catch {
                return .failure(issue(DataIssue.Category.undecodableImage, "cannot decode \(data.count) bytes: \(error)"))
            }
        }
        return .success(data)
    }
}
