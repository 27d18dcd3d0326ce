import Foundation
import Imaging
import OCRCore

/// Recognition samples from PaddleOCR label files (`SimpleDataSet`): `relative/path.png<TAB>text`
/// per line, paths resolved against `data_dir` (an absolute path is used as is, like
/// `os.path.join`), several files mixed by `ratio_list` (see `RatioSampler`).
///
/// Nothing is dropped silently. Up front, every line the label reader rejects (no tab, empty
/// text, characters outside the charset, longer than `max_text_length`, bad UTF-8) and every
/// image that is missing (`imageCheck`) becomes a `DataIssue` with its `file:line`; under
/// policy `skip` the line is left out and counted in `report`, under `fail` the constructor
/// throws naming the line. Images that cannot be read or decoded when a sample is loaded are
/// handled by `SampleSubstitution`: replaced deterministically and counted (`skip`), thrown
/// (`fail`), or left out by the loader (`exclude`, evaluation: `report.excluded` then lists every
/// line left out, up front or at load time).
///
/// Groups (the key of per-group metrics): the label file's name by default - files are how
/// PaddleOCR users mix sources; `.firstFolder` uses the first folder of the image path instead
/// (for one label file over `fontA/...`, `fontB/...`).
public final class LabelFileDataset: LineDataset, DataReporting, @unchecked Sendable {
    public struct Options: Sendable {
        /// PaddleOCR `data_dir`: image paths in the label files are relative to it.
        public var dataDir: String
        /// PaddleOCR `label_file_list`.
        public var labelFiles: [String]
        /// PaddleOCR `ratio_list`: one value for every file or one per file; nil means 1.
        public var ratios: [Double]?
        /// Texts must encode completely with it; nil skips the check (and `LineLoader` then
        /// cannot make CTC labels unless its pipeline has a charset).
        public var charset: Charset?
        /// PaddleOCR `Global.max_text_length`, in charset classes; nil for no limit.
        public var maxTextLength: Int?
        public var policy: LabelIssuePolicy = .skip
        public var imageCheck: ImageCheck = .exists
        public var grouping: Grouping = .labelFile
        /// How images are decoded (PaddleOCR `DecodeImage.img_mode`; BGR by default).
        public var decodeMode: DecodeMode = .bgr
        /// Examples of each issue category kept in `report`.
        public var exampleLimit = 20

        public init(dataDir: String, labelFiles: [String], ratios: [Double]? = nil, charset: Charset? = nil,
                    maxTextLength: Int? = nil, policy: LabelIssuePolicy = .skip) {
            self.dataDir = dataDir
            self.labelFiles = labelFiles
            self.ratios = ratios
            self.charset = charset
            self.maxTextLength = maxTextLength
            self.policy = policy
        }
    }

    /// What is checked about images when the dataset is built (decoding failures are always
    /// caught at load time as well).
    public enum ImageCheck: String, Sendable, Codable, CaseIterable {
        /// Nothing: missing images surface when first loaded.
        case none
        /// Each image file exists (one `stat` per line: about a second per million lines).
        case exists
        /// Each image decodes (slow: reads every image once; for `ocr data check` and small sets).
        case decode
    }

    /// What `LineSample.group` is.
    public enum Grouping: String, Sendable, Codable, CaseIterable {
        /// The label file's name (its full path as given when two files share a name).
        case labelFile = "label_file"
        /// The image path's first folder (`fontA/0001.png` -> `fontA`); the label file's group
        /// for images at the top level.
        case firstFolder = "first_folder"
    }

    /// One usable line.
    public struct Record: Sendable, Hashable {
        public var imagePath: String
        /// `imagePath` resolved against `data_dir`.
        public var resolvedPath: String
        public var text: String
        public var file: String
        public var line: Int
        public var group: String
        var fileIndex: Int

        /// `train.txt:12 (imgs/0001.png)`.
        public var source: String { "\(file):\(line) (\(imagePath))" }
    }

    public let options: Options
    /// Every usable record, files in order (an epoch draws from these through `ratio_list`).
    public let records: [Record]
    private let sampler: RatioSampler
    private let collector: DataReportCollector
    private let substitution: SampleSubstitution

    public init(_ options: Options) throws {
        self.options = options
        guard !options.labelFiles.isEmpty else { throw DataError("SimpleDataSet: label_file_list is empty") }
        let ratios = try RatioSampler.ratios(options.ratios, files: options.labelFiles.count, what: "SimpleDataSet")
        let collector = DataReportCollector(files: options.labelFiles, exampleLimit: options.exampleLimit,
                                            keepsAll: options.policy == .exclude)
        var records = try Self.parse(options, collector: collector)
        records = try Self.checkImages(records, options, collector: collector)

        var ranges = [Range<Int>]()
        var start = 0
        for i in options.labelFiles.indices {
            let end = records[start...].firstIndex { $0.fileIndex != i } ?? records.endIndex
            ranges.append(start..<end)
            start = end
        }
        let sampler = RatioSampler.recording(ranges: ranges, ratios: ratios, in: collector)
        self.records = records
        self.sampler = sampler
        self.collector = collector
        substitution = SampleSubstitution(policy: options.policy, collector: collector)
    }

    public var count: Int { sampler.count }

    public var report: DataReport { collector.snapshot }

    /// The record behind epoch sample `index` for the loader's epoch `seed` (before any
    /// load-time replacement).
    public func record(at index: Int, seed: UInt64) -> Record {
        records[sampler.record(for: index, seed: seed)]
    }

    public func textLength(at index: Int, seed: UInt64) -> Int? { record(at: index, seed: seed).text.count }

    public func sample(at index: Int, seed: UInt64) throws -> LineSample {
        guard index >= 0 && index < count else {
            throw DataError("SimpleDataSet: sample \(index) out of range 0..<\(count)")
        }
        return try substitution.sample(index: index, seed: seed, count: count,
                                       record: { sampler.record(for: $0, seed: seed) }, load: load)
    }

    private func load(_ r: Int) -> Result<LineSample, SampleSubstitution.Failure> {
        let record = records[r]
        switch Self.loadImage(record, mode: options.decodeMode) {
        case .success(let image):
            return .success(LineSample(image: image, text: record.text, source: record.source, group: record.group))
        case .failure(let issue):
            return .failure(.init(issue: issue, fileIndex: record.fileIndex))
        }
    }

    /// Reads and decodes a record's image, classifying a failure as missing, unreadable or
    /// undecodable.
    static func loadImage(_ record: Record, mode: DecodeMode) -> Result<Image, DataIssue> {
        loadImage(file: record.file, line: record.line, imagePath: record.imagePath, resolvedPath: record.resolvedPath,
                  mode: mode)
    }

    /// The same for any label file's record (detection labels too).
    static func loadImage(file: String, line: Int, imagePath: String, resolvedPath: String,
                          mode: DecodeMode) -> Result<Image, DataIssue> {
        func issue(_ category: String, _ why: String) -> DataIssue {
            DataIssue(file: file, line: line, category: category,
                      message: "image '\(imagePath)' (\(resolvedPath)): \(why)", imagePath: imagePath)
        }
        let bytes: Data
        switch readImageFile(resolvedPath) {
        case .success(let data): bytes = data
        case .failure(let problem): return .failure(issue(problem.category, problem.message))
        }
        do {
            return .success(try Image(decoding: bytes, mode: mode))
        } catch {
            return .failure(issue(DataIssue.Category.undecodableImage, "cannot decode \(bytes.count) bytes: \(error)"))
        }
    }

    struct FileProblem: Error {
        var category: String
        var message: String
    }

    static func readImageFile(_ path: String) -> Result<Data, FileProblem> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(FileProblem(category: DataIssue.Category.missingImage, message: "file not found"))
        }
        guard !isDirectory.boolValue else {
            return .failure(FileProblem(category: DataIssue.Category.unreadableImage, message: "is a directory"))
        }
        do {
            return .success(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            return .failure(FileProblem(category: DataIssue.Category.unreadableImage, message: "cannot read: \(error.localizedDescription)"))
        }
    }

    // MARK: Building

    /// Parses the label files with OCRCore's reader (which applies the policy to bad lines).
    static func parse(_ options: Options, collector: DataReportCollector) throws -> [Record] {
        let reader = RecognitionLabelReader(charset: options.charset, maxTextLength: options.maxTextLength,
                                            policy: options.policy)
        let names = options.labelFiles.map { ($0 as NSString).lastPathComponent }
        var records = [Record]()
        for (i, file) in options.labelFiles.enumerated() {
            let parsed = try reader.read(file: file)
            for issue in parsed.issues { collector.add(DataIssue(issue), fileIndex: i) }
            let summary = parsed.summaries.first
            collector.update(file: i) { $0.entries = (summary?.lines ?? 0) - (summary?.blankLines ?? 0) }
            let fileGroup = names.filter { $0 == names[i] }.count > 1 ? file : names[i]
            for label in parsed.records {
                let group: String
                switch options.grouping {
                case .labelFile: group = fileGroup
                case .firstFolder:
                    let parts = label.imagePath.split(separator: "/").filter { $0 != "." }
                    group = parts.count > 1 ? String(parts[0]) : fileGroup
                }
                records.append(Record(imagePath: label.imagePath, resolvedPath: resolve(label.imagePath, in: options.dataDir),
                                      text: label.text, file: file, line: label.line, group: group, fileIndex: i))
            }
        }
        return records
    }

    /// `os.path.join(data_dir, path)`: an absolute `path` wins.
    static func resolve(_ path: String, in dataDir: String) -> String {
        if path.hasPrefix("/") || dataDir.isEmpty { return path }
        return dataDir.hasSuffix("/") ? dataDir + path : dataDir + "/" + path
    }

    /// Applies `imageCheck`, in parallel for `.decode`; bad records are reported and dropped
    /// (skip) or thrown (fail, the first bad line in file order).
    static func checkImages(_ records: [Record], _ options: Options, collector: DataReportCollector) throws -> [Record] {
        guard options.imageCheck != .none else { return records }
        let (mode, check) = (options.decodeMode, options.imageCheck)
        return try dropBadRecords(records, policy: options.policy, collector: collector, fileIndex: \.fileIndex) { r in
            if check == .exists {
                return missingImage(file: r.file, line: r.line, imagePath: r.imagePath, resolvedPath: r.resolvedPath)
            }
            if case .failure(let issue) = loadImage(r, mode: mode) { return issue }
            return nil
        }
    }

    /// The up-front check of every label-file dataset (lines, pages): `problem` runs on each
    /// record, in parallel chunks; a record with a problem is reported and dropped (skip,
    /// exclude) or thrown (fail: the first in file order).
    static func dropBadRecords<R: Sendable>(_ records: [R], policy: LabelIssuePolicy, collector: DataReportCollector,
                                           fileIndex: (R) -> Int, problem: @Sendable (R) -> DataIssue?) throws -> [R] {
        guard !records.isEmpty else { return records }
        var problems = [DataIssue?](repeating: nil, count: records.count)
        problems.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out  // each iteration writes only its own slots
            let chunk = 256
            DispatchQueue.concurrentPerform(iterations: (records.count + chunk - 1) / chunk) { c in
                for i in c * chunk..<min(records.count, (c + 1) * chunk) { out[i] = problem(records[i]) }
            }
        }
        var kept = [R]()
        kept.reserveCapacity(records.count)
        for (r, problem) in zip(records, problems) {
            guard let problem else {
                kept.append(r)
                continue
            }
            if policy == .fail {
                throw DataError(issue: problem, hint: "issue policy is 'fail'; fix or remove the line, or use 'skip'")
            }
            collector.add(problem, fileIndex: fileIndex(r))
        }
        return kept
    }

    /// `image 'a.png' (/data/a.png): file not found`, or nil when the file is there.
    static func missingImage(file: String, line: Int, imagePath: String, resolvedPath: String) -> DataIssue? {
        FileManager.default.fileExists(atPath: resolvedPath) ? nil
            : DataIssue(file: file, line: line, category: DataIssue.Category.missingImage,
                        message: "image '\(imagePath)' (\(resolvedPath)): file not found", imagePath: imagePath)
    }
}
