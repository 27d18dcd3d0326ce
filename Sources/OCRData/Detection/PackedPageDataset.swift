import Foundation
import HDF5
import Imaging
import OCRCore

/// Detection pages from packed `.h5` files (`PackedPageLayout`), mixed by `ratio_list` like
/// label files. At open each file's layout is validated and every annotation is parsed by the
/// same reader as label-file lines (`DetectionLabelReader`); a bad record is reported as
/// `file.h5#record` (skip, exclude) or thrown (fail). Pages are read one record at a time under
/// a lock per file and decoded on the caller's thread; an empty or undecodable blob, or a point
/// outside its page, goes through `SampleSubstitution` like a bad image of a label file.
public final class PackedPageDataset: DetectionSource, DataReporting, @unchecked Sendable {
    public struct Options: Sendable {
        public var files: [String]
        /// One value for every file or one per file; nil means 1.
        public var ratios: [Double]?
        public var policy: LabelIssuePolicy = .skip
        public var decodeMode: DecodeMode = .bgr
        /// As `DetectionLabelDataset.Options.pointTolerance`.
        public var pointTolerance: Double = 0
        public var exampleLimit = 20

        public init(files: [String], ratios: [Double]? = nil, policy: LabelIssuePolicy = .skip) {
            self.files = files
            self.ratios = ratios
            self.policy = policy
        }
    }

    private final class Pack: @unchecked Sendable {
        let path: String
        let file: H5File
        let blobs: H5BlobArray
        let regions: [[TextRegion]?]
        let sources: [String]?
        let lock = NSLock()

        init(path: String, policy: LabelIssuePolicy, fileIndex: Int, collector: DataReportCollector) throws {
            self.path = path
            file = try H5File.open(path)
            let n = try PackedPageLayout.validate(file)
            blobs = try H5BlobArray.open(in: file.root(), PackedPageLayout.images)
            sources = try file.contains(PackedPageLayout.sources) ? file.readStrings(PackedPageLayout.sources) : nil
            let reader = DetectionLabelReader(policy: .skip)
            var regions = [[TextRegion]?]()
            for (i, json) in try file.readStrings(PackedPageLayout.annotations).enumerated() {
                // One record as one label line; JSON whitespace newlines would split it.
                let line = "#\(i)\t" + json.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
                let parsed = try reader.parse(contents: line, file: path)
                if let record = parsed.records.first {
                    regions.append(record.regions)
                    continue
                }
                regions.append(nil)
                for issue in parsed.issues {
                    let d = DataIssue(file: path, line: i, isPackedRecord: true, category: issue.category,
                                      message: issue.message + (sources.map { " (\($0[i]))" } ?? ""))
                    if policy == .fail { throw DataError(issue: d, hint: "issue policy is 'fail'; repack without the record, or use 'skip'") }
                    collector.add(d, fileIndex: fileIndex)
                }
            }
            self.regions = regions
            guard regions.count == n else { throw DataError("packed detection dataset '\(path)': \(regions.count) annotations for \(n) pages") }
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
        let collector = DataReportCollector(files: options.files, exampleLimit: options.exampleLimit,
                                            keepsAll: options.policy == .exclude)
        var packs = [Pack](), records = [Record](), ranges = [Range<Int>]()
        for (p, path) in options.files.enumerated() {
            let pack = try Pack(path: path, policy: options.policy, fileIndex: p, collector: collector)
            let start = records.count
            records += pack.regions.indices.filter { pack.regions[$0] != nil }.map { Record(pack: p, index: $0) }
            ranges.append(start..<records.count)
            collector.update(file: p) { $0.entries = pack.regions.count }
            packs.append(pack)
        }
        self.packs = packs
        self.records = records
        self.collector = collector
        sampler = RatioSampler.recording(ranges: ranges, ratios: ratios, in: collector)
        substitution = SampleSubstitution(policy: options.policy, collector: collector)
    }

    public var count: Int { sampler.count }

    public var report: DataReport { collector.snapshot }

    public func sample(at index: Int, datasetSeed seed: UInt64) throws -> DetectionSample? {
        guard index >= 0 && index < count else {
            throw SampleFailure(source: nil, underlying: DataError("PackedDataSet: sample \(index) out of range 0..<\(count)"))
        }
        do {
            return try substitution.sample(index: index, seed: seed, count: count,
                                           record: { sampler.record(for: $0, seed: seed) }, load: load)
        } catch is SampleExcluded {
            return nil
        } catch let e as DataError {
            throw SampleFailure(source: e.issue?.location, underlying: e)
        }
    }

    private func load(_ r: Int) -> Result<DetectionSample, SampleSubstitution.Failure> {
        let record = records[r]
        let pack = packs[record.pack]
        let regions = pack.regions[record.index] ?? []
        func failure(_ category: String, _ message: String) -> Result<DetectionSample, SampleSubstitution.Failure> {
            .failure(.init(issue: DataIssue(file: pack.path, line: record.index, isPackedRecord: true, category: category,
                                            message: message + (pack.sources.map { " (\($0[record.index]))" } ?? "")),
                           fileIndex: record.pack))
        }
        let bytes: [UInt8]
        do { bytes = try pack.bytes(record.index) } catch {
            return failure(DataIssue.Category.unreadableImage, "cannot read page bytes: \(error)")
        }
        guard !bytes.isEmpty else { return failure(DataIssue.Category.undecodableImage, "stored page is empty") }
        let image: Image
        do { image = try Image(decoding: bytes, mode: options.decodeMode) } catch {
            return failure(DataIssue.Category.undecodableImage, "cannot decode \(bytes.count) stored bytes: \(error)")
        }
        if let problem = DetectionLabelDataset.outsidePoint(regions, image: image, tolerance: options.pointTolerance) {
            return failure(DataIssue.Category.pointOutsideImage, problem + " page")
        }
        return .success(DetectionSample(image: image, regions: regions, source: pack.source(record.index)))
    }
}
