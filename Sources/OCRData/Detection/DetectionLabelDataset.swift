import Foundation
import Imaging
import OCRCore

extension DataIssue.Category {
    /// A detection region has a point outside its image (beyond `pointTolerance`).
    public static let pointOutsideImage = "point-outside-image"
}

extension DetectionSample: SubstitutableSample {}

/// Detection pages from PaddleOCR det label files (`SimpleDataSet` with `DetLabelEncode`):
/// `path<TAB>[{"transcription": ..., "points": [[x, y], ...]}, ...]`, image paths resolved
/// against `data_dir`, several files mixed by `ratio_list` (`RatioSampler`, as for recognition).
///
/// Bad input is handled exactly as `LabelFileDataset` handles it, through the same machinery:
/// lines OCRCore's reader rejects (bad JSON, fewer than 3 points, non-numeric points) and
/// images missing up front (`imageCheck`) become `DataIssue`s with their `file:line` - left out
/// and counted under `skip`, thrown under `fail`, listed under `exclude`. Problems found when a
/// page is loaded - unreadable or undecodable image, a point outside the image - go through
/// `SampleSubstitution` (replaced deterministically / thrown / left out of the batch).
public final class DetectionLabelDataset: DetectionSource, DataReporting, @unchecked Sendable {
    public struct Options: Sendable {
        /// PaddleOCR `data_dir`.
        public var dataDir: String
        /// PaddleOCR `label_file_list`.
        public var labelFiles: [String]
        /// PaddleOCR `ratio_list`: one value, or one per file; nil means 1.
        public var ratios: [Double]?
        public var policy: LabelIssuePolicy
        public var imageCheck: LabelFileDataset.ImageCheck = .exists
        /// `DecodeImage.img_mode`.
        public var decodeMode: DecodeMode = .bgr
        /// How far (pixels) a point may lie outside [0, width] x [0, height] before the line is
        /// an issue (annotation tools often put a point a pixel past the border).
        public var pointTolerance: Double = 0
        /// Examples of each issue category kept in `report`.
        public var exampleLimit = 20

        public init(dataDir: String, labelFiles: [String], ratios: [Double]? = nil, policy: LabelIssuePolicy = .skip) {
            self.dataDir = dataDir
            self.labelFiles = labelFiles
            self.ratios = ratios
            self.policy = policy
        }
    }

    /// One usable label line.
    public struct Record: Sendable, Hashable {
        public var label: DetectionLabel
        /// `label.imagePath` resolved against `data_dir`.
        public var resolvedPath: String
        var fileIndex: Int

        /// `train.txt:12 (imgs/0001.jpg)`.
        public var source: String { "\(label.file):\(label.line) (\(label.imagePath))" }
    }

    public let options: Options
    /// Every usable record, files in order.
    public let records: [Record]
    private let sampler: RatioSampler
    let collector: DataReportCollector
    private let substitution: SampleSubstitution

    public init(_ options: Options) throws {
        self.options = options
        guard !options.labelFiles.isEmpty else { throw DataError("SimpleDataSet: label_file_list is empty") }
        let ratios = try RatioSampler.ratios(options.ratios, files: options.labelFiles.count, what: "SimpleDataSet")
        let collector = DataReportCollector(files: options.labelFiles, exampleLimit: options.exampleLimit,
                                            keepsAll: options.policy == .exclude)
        var records = [Record]()
        let reader = DetectionLabelReader(policy: options.policy == .fail ? .fail : .skip)
        for (i, file) in options.labelFiles.enumerated() {
            let parsed = try reader.read(file: file)
            for issue in parsed.issues { collector.add(DataIssue(issue), fileIndex: i) }
            let summary = parsed.summaries.first
            collector.update(file: i) { $0.entries = (summary?.lines ?? 0) - (summary?.blankLines ?? 0) }
            records += parsed.records.map {
                Record(label: $0, resolvedPath: LabelFileDataset.resolve($0.imagePath, in: options.dataDir), fileIndex: i)
            }
        }
        records = try Self.checkImages(records, options, collector: collector)
        var ranges = [Range<Int>]()
        var start = 0
        for i in options.labelFiles.indices {
            let end = records[start...].firstIndex { $0.fileIndex != i } ?? records.endIndex
            ranges.append(start..<end)
            start = end
        }
        self.records = records
        self.collector = collector
        sampler = RatioSampler.recording(ranges: ranges, ratios: ratios, in: collector)
        substitution = SampleSubstitution(policy: options.policy, collector: collector)
    }

    public var count: Int { sampler.count }

    public var report: DataReport { collector.snapshot }

    /// The record behind epoch sample `index` for the epoch's `seed` (before any replacement).
    public func record(at index: Int, seed: UInt64) -> Record {
        records[sampler.record(for: index, seed: seed)]
    }

    public func sample(at index: Int, datasetSeed seed: UInt64) throws -> DetectionSample? {
        try substitution.detectionSample(index: index, seed: seed, count: count, what: "SimpleDataSet",
                                         record: { sampler.record(for: $0, seed: seed) }, load: load)
    }

    private func load(_ r: Int) -> Result<DetectionSample, SampleSubstitution.Failure> {
        let record = records[r]
        switch Self.loadPage(record, options) {
        case .success(let image):
            return .success(DetectionSample(image: image, regions: record.label.regions, source: record.source,
                                            group: (record.label.file as NSString).lastPathComponent))
        case .failure(let issue):
            return .failure(.init(issue: issue, fileIndex: record.fileIndex))
        }
    }

    /// Decodes the record's image and checks its points against the image's size.
    static func loadPage(_ record: Record, _ options: Options) -> Result<Image, DataIssue> {
        let label = record.label
        let loaded = LabelFileDataset.loadImage(file: label.file, line: label.line, imagePath: label.imagePath,
                                                resolvedPath: record.resolvedPath, mode: options.decodeMode)
        guard case .success(let image) = loaded else { return loaded }
        if let problem = outsidePoint(label.regions, image: image, tolerance: options.pointTolerance) {
            return .failure(DataIssue(file: label.file, line: label.line, category: DataIssue.Category.pointOutsideImage,
                                      message: problem + " image '\(label.imagePath)'", imagePath: label.imagePath))
        }
        return .success(image)
    }

    /// `region 2 point 1 (700.0, 10.0) is outside the 640x480` for the first point more than
    /// `tolerance` outside [0, width] x [0, height]; nil when every point is on the page.
    static func outsidePoint(_ regions: [TextRegion], image: Image, tolerance tol: Double) -> String? {
        let (w, h) = (Double(image.width), Double(image.height))
        for (i, region) in regions.enumerated() {
            for (k, p) in region.polygon.points.enumerated() where p.x < -tol || p.y < -tol || p.x > w + tol || p.y > h + tol {
                return "region \(i) point \(k) (\(p.x), \(p.y)) is outside the \(image.width)x\(image.height)"
            }
        }
        return nil
    }

    /// `imageCheck` up front, as for recognition labels (`LabelFileDataset.dropBadRecords`);
    /// `.decode` also checks the points.
    static func checkImages(_ records: [Record], _ options: Options, collector: DataReportCollector) throws -> [Record] {
        guard options.imageCheck != .none else { return records }
        return try LabelFileDataset.dropBadRecords(records, policy: options.policy, collector: collector, fileIndex: \.fileIndex) { r in
            if options.imageCheck == .exists {
                return LabelFileDataset.missingImage(file: r.label.file, line: r.label.line, imagePath: r.label.imagePath,
                                                     resolvedPath: r.resolvedPath)
            }
            if case .failure(let issue) = loadPage(r, options) { return issue }
            return nil
        }
    }
}
