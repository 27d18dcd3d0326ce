import Foundation
import HDF5
import Imaging
import OCRCore

/// Recognition samples from packed `.h5` files (`PackedLineLayout`): what `ocr data pack` and
/// the synthetic renderer write. Several files mix by `ratio_list` like label files do.
///
/// At open, each file's layout is validated and its labels (and groups/sources) are read into
/// memory; labels are checked against the charset and `max_text_length` like label-file lines,
/// and each bad record is reported as `file.h5#record` (skip) or thrown (fail). Images are read
/// one record at a time (one hyperslab read, under a lock per file: HDF5 serialises calls
/// anyway) and decoded outside the lock, on the caller's thread. An empty or undecodable blob is
/// handled like a bad image of a label file (`SampleSubstitution`: replaced, thrown, or left out
/// of its batch under `exclude`).
///
/// Groups: the file's `groups` dataset when present, else the file's name.
public final class PackedDataset: LineDataset, DataReporting, @unchecked Sendable {
    public struct Options: Sendable {
        /// The `.h5` files.
        public var files: [String]
        /// One value for every file or one per file; nil means 1.
        public var ratios: [Double]?
        public var charset: Charset?
        public var maxTextLength: Int?
        public var policy: LabelIssuePolicy = .skip
        public var decodeMode: DecodeMode = .bgr
        public var exampleLimit = 20

        public init(files: [String], ratios: [Double]? = nil, charset: Charset? = nil, maxTextLength: Int? = nil,
                    policy: LabelIssuePolicy = .skip) {
            self.files = files
            self.ratios = ratios
            self.charset = charset
            self.maxTextLength = maxTextLength
            self.policy = policy
        }
    }

    /// One open file.
    private final class Pack: @unchecked Sendable {
        let path: String
        let file: H5File
        let blobs: H5BlobArray
        let labels: [String]
        let groups: [String]?
        let sources: [String]?
        let defaultGroup: String
        let lock = NSLock()

        init(path: String, defaultGroup: String) throws {
            self.path = path
            file = try H5File.open(path)
            let n = try PackedLineLayout.validate(file)
            blobs = try H5BlobArray.open(in: file.root(), PackedLineLayout.images)
            labels = try file.readStrings(PackedLineLayout.labels)
            groups = try file.contains(PackedLineLayout.groups) ? file.readStrings(PackedLineLayout.groups) : nil
            sources = try file.contains(PackedLineLayout.sources) ? file.readStrings(PackedLineLayout.sources) : nil
            self.defaultGroup = defaultGroup
            guard labels.count == n else { throw DataError("packed dataset '\(path)': \(labels.count) labels for \(n) images") }
        }

        func bytes(_ i: Int) throws -> [UInt8] { try lock.withLock { try blobs.blob(at: i) } }
        func source(_ i: Int) -> String { "\(path)#\(i)" + (sources.map { " (\($0[i]))" } ?? "") }
    }

    private struct Record: Sendable {
        var pack: Int
        var index: Int
    }

    public let options: Options
    private let packs: [Pack]
    private let records: [Record]
    private let sampler: RatioSampler
    private let collector: DataReportCollector
    private let substitution: SampleSubstitution

    public init(_ options: Options) throws {
        self.options = options
        guard !options.files.isEmpty else { throw DataError("PackedDataSet: no files given") }
        let ratios = try RatioSampler.ratios(options.ratios, files: options.files.count, what: "PackedDataSet")
        let names = options.files.map { ($0 as NSString).lastPathComponent }
        let packs = try options.files.enumerated().map { i, path in
            try Pack(path: path, defaultGroup: names.filter { $0 == names[i] }.count > 1 ? path : names[i])
        }
        let collector = DataReportCollector(files: options.files, exampleLimit: options.exampleLimit,
                                            keepsAll: options.policy == .exclude)
        var records = [Record]()
        var ranges = [Range<Int>]()
        for (p, pack) in packs.enumerated() {
            let start = records.count
            for (i, text) in pack.labels.enumerated() {
                let problems = Self.labelProblems(text, charset: options.charset, maxTextLength: options.maxTextLength)
                guard problems.isEmpty else {
                    for (category, message) in problems {
                        let issue = DataIssue(file: pack.path, line: i, isPackedRecord: true, category: category,
                                              message: message + (pack.sources.map { " (\($0[i]))" } ?? ""))
                        if options.policy == .fail {
                            throw DataError(issue: issue, hint: "issue policy is 'fail'; repack without the record, or use 'skip'")
                        }
                        collector.add(issue, fileIndex: p)
                    }
                    continue
                }
                records.append(Record(pack: p, index: i))
            }
            ranges.append(start..<records.count)
            collector.update(file: p) { $0.entries = pack.labels.count }
        }
        let sampler = RatioSampler.recording(ranges: ranges, ratios: ratios, in: collector)
        self.packs = packs
        self.records = records
        self.sampler = sampler
        self.collector = collector
        substitution = SampleSubstitution(policy: options.policy, collector: collector)
    }

    public var count: Int { sampler.count }

    public var report: DataReport { collector.snapshot }

    /// Records stored in all files (usable or not).
    public var storedCount: Int { packs.reduce(0) { $0 + $1.labels.count } }

    public func sample(at index: Int, seed: UInt64) throws -> LineSample {
        guard index >= 0 && index < count else {
            throw DataError("PackedDataSet: sample \(index) out of range 0..<\(count)")
        }
        return try substitution.sample(index: index, seed: seed, count: count,
                                       record: { sampler.record(for: $0, seed: seed) }, load: load)
    }

    /// The stored image bytes and label of record `index` of file `file` (no decoding).
    public func storedRecord(file: Int, index: Int) throws -> (bytes: [UInt8], label: String, group: String) {
        let pack = packs[file]
        return (try pack.bytes(index), pack.labels[index], pack.groups?[index] ?? pack.defaultGroup)
    }

    private func load(_ r: Int) -> Result<LineSample, SampleSubstitution.Failure> {
        let record = records[r]
        let pack = packs[record.pack]
        func failure(_ category: String, _ message: String) -> Result<LineSample, SampleSubstitution.Failure> {
            .failure(.init(issue: DataIssue(file: pack.path, line: record.index, isPackedRecord: true, category: category,
                                            message: message + (pack.sources.map { " (\($0[record.index]))" } ?? "")),
                           fileIndex: record.pack))
        }
        let bytes: [UInt8]
        do {
            bytes = try pack.bytes(record.index)
        } catch {
            return failure(DataIssue.Category.unreadableImage, "cannot read image bytes: \(error)")
        }
        guard !bytes.isEmpty else { return failure(DataIssue.Category.undecodableImage, "stored image is empty") }
        do {
            let image = try Image(decoding: bytes, mode: options.decodeMode)
            return .success(LineSample(image: image, text: pack.labels[record.index], source: pack.source(record.index),
                                       group: pack.groups?[record.index] ?? pack.defaultGroup))
        } catch {
            return failure(DataIssue.Category.undecodableImage, "cannot decode \(bytes.count) stored bytes: \(error)")
        }
    }

    /// The label reader's text checks, for labels that did not come from a label file:
    /// (category, message) pairs, empty when the text is fine.
    static func labelProblems(_ text: String, charset: Charset?, maxTextLength: Int?) -> [(String, String)] {
        var kinds = [LabelIssue.Kind]()
        if text.isEmpty { kinds.append(.emptyText) }
        var length = text.count
        if let charset {
            let encoded = charset.encode(text)
            if !encoded.unknown.isEmpty { kinds.append(.charactersOutsideCharset(encoded.unknown)) }
            length = encoded.classes.count
        }
        if let maxTextLength, length > maxTextLength { kinds.append(.textTooLong(length: length, limit: maxTextLength)) }
        return kinds.map { k in
            let issue = LabelIssue(file: "", line: 0, kind: k)
            return (issue.category, issue.message)
        }
    }
}
