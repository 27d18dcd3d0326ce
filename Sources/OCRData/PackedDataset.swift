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

    /// One open file and its labels.
    private final class Pack: @unchecked Sendable {
        let stored: PackedFile
        let labels: [String]
        let groups: [String]?
        let defaultGroup: String
        var path: String { stored.path }

        init(path: String, defaultGroup: String) throws {
            stored = try PackedFile(path: path, noun: "image", validate: PackedLineLayout.validate)
            labels = try stored.file.readStrings(PackedLineLayout.labels)
            groups = try stored.file.contains(PackedLineLayout.groups) ? stored.file.readStrings(PackedLineLayout.groups) : nil
            self.defaultGroup = defaultGroup
        }
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
                        let issue = pack.stored.issue(i, category, message)
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
        return (try pack.stored.bytes(index), pack.labels[index], pack.groups?[index] ?? pack.defaultGroup)
    }

    private func load(_ r: Int) -> Result<LineSample, SampleSubstitution.Failure> {
        let record = records[r]
        let pack = packs[record.pack]
        return pack.stored.image(record.index, mode: options.decodeMode)
            .map { LineSample(image: $0, text: pack.labels[record.index], source: pack.stored.source(record.index),
                              group: pack.groups?[record.index] ?? pack.defaultGroup) }
            .mapError { SampleSubstitution.Failure(issue: $0, fileIndex: record.pack) }
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
