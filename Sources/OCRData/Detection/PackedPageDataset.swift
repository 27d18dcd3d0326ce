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

    /// One open file and its parsed annotations (nil: a record that was reported).
    private final class Pack: @unchecked Sendable {
        let stored: PackedFile
        let regions: [[TextRegion]?]
        var path: String { stored.path }

        init(path: String, policy: LabelIssuePolicy, fileIndex: Int, collector: DataReportCollector) throws {
            stored = try PackedFile(path: path, noun: "page", validate: PackedPageLayout.validate)
            let reader = DetectionLabelReader(policy: .skip)
            var regions = [[TextRegion]?]()
            for (i, json) in try stored.file.readStrings(PackedPageLayout.annotations).enumerated() {
                // One record as one label line; JSON whitespace newlines would split it.
                let line = "#\(i)\t" + json.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
                let parsed = try reader.parse(contents: line, file: path)
                if let record = parsed.records.first {
                    regions.append(record.regions)
                    continue
                }
                regions.append(nil)
                for issue in parsed.issues {
                    let d = stored.issue(i, issue.category, issue.message)
                    if policy == .fail { throw DataError(issue: d, hint: "issue policy is 'fail'; repack without the record, or use 'skip'") }
                    collector.add(d, fileIndex: fileIndex)
                }
            }
            self.regions = regions
            guard regions.count == stored.blobs.count else {
                throw DataError("packed detection dataset '\(path)': \(regions.count) annotations for \(stored.blobs.count) pages")
            }
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
        try substitution.detectionSample(index: index, seed: seed, count: count, what: "PackedDataSet",
                                         record: { sampler.record(for: $0, seed: seed) }, load: load)
    }

    private func load(_ r: Int) -> Result<DetectionSample, SampleSubstitution.Failure> {
        let record = records[r]
        let pack = packs[record.pack]
        let regions = pack.regions[record.index] ?? []
        return pack.stored.image(record.index, mode: options.decodeMode)
            .flatMap { image in
                if let problem = DetectionLabelDataset.outsidePoint(regions, image: image, tolerance: options.pointTolerance) {
                    return .failure(pack.stored.issue(record.index, DataIssue.Category.pointOutsideImage, problem + " page"))
                }
                return .success(DetectionSample(image: image, regions: regions, source: pack.stored.source(record.index)))
            }
            .mapError { SampleSubstitution.Failure(issue: $0, fileIndex: record.pack) }
    }
}
