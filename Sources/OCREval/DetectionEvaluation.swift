import OCRCore
import OCRData
import OCRPostprocess

/// A text detector's evaluation (PaddleOCR's DetMetric): precision, recall and hmean over every
/// scored page (totals summed before dividing), each page's own counts, the worst pages with what
/// is needed to draw them, and the pages that could not be read. Plain Swift: training and
/// `ocr-eval` fill it through `DetectionEvaluator`. A page is scored once or listed as not read -
/// never both, never twice, never replaced by another.
public struct DetectionEvaluation: Sendable {
    /// One scored page's counts.
    public struct Page: Sendable, Codable, Equatable {
        public var source: String
        public var result: DetectionMetrics.ImageResult
        public var precision: Double { result.precision }
        public var recall: Double { result.recall }
        public var hmean: Double { result.hmean }
        /// Misses plus false detections.
        public var errors: Int { result.missedGroundTruth.count + result.falseDetections.count }
    }

    /// A page with errors, kept with its regions for the report's drawings.
    public struct WorstPage: Sendable {
        public var page: Page
        public var groundTruth: [TextRegion]
        public var predictions: [DetectedText]
        /// The page in the polygons' pixels, for the first `keepImages` worst pages only.
        public var image: ReportImage?
    }

    /// The totals (care ground truth, care detections, matches over all scored pages).
    public private(set) var metrics: DetectionMetrics
    /// Every scored page, in the order scored.
    public private(set) var pages: [Page] = []
    /// The pages with errors, worst first (lowest hmean, then most errors; up to max(keepImages, 50)).
    public private(set) var worst: [WorstPage] = []
    /// Worst pages that keep their image.
    public let keepImages: Int
    public var samplesPerSecond = 0.0
    /// Pages not scored (label lines that could not be used, images missing or not decodable),
    /// in file order; see `recordNotScored(_:)`.
    public private(set) var notScored: [DataIssue] = []
    private var seen: Set<String> = []

    public init(iouThreshold: Double = 0.5, keepImages: Int = 0) {
        metrics = DetectionMetrics(iouThreshold: iouThreshold)
        self.keepImages = keepImages
    }

    public var precision: Double { metrics.precision }
    public var recall: Double { metrics.recall }
    public var hmean: Double { metrics.hmean }

    /// Scores one page: `predictions` and `groundTruth` in the same (source image) pixels.
    /// `image` is asked only when the page is kept among the worst with its picture. Throws
    /// when `source` was already scored or listed as not read.
    @discardableResult
    public mutating func add(source: String, predictions: [DetectedText], groundTruth: [TextRegion],
                             image: () throws -> ReportImage? = { nil }) throws -> Page {
        guard seen.insert(source).inserted else {
            throw TrainError("\(source): page given to the detection evaluation twice (each page is scored once)")
        }
        let page = Page(source: source, result: metrics.add(predictions: predictions.map(\.polygon), groundTruth: groundTruth))
        pages.append(page)
        try keepIfWorst(page, groundTruth, predictions, image)
        return page
    }

    /// Lists pages that could not be read (a dataset report's `excluded`). Throws when one of
    /// them was scored: a page is either scored or listed.
    public mutating func recordNotScored(_ issues: [DataIssue]) throws {
        for issue in issues {
            guard seen.insert(issue.location).inserted else {
                throw TrainError("\(issue.location): listed as not read but already scored or listed")
            }
            notScored.append(issue)
        }
    }

    /// Whether page `a` is worse than `b`: lower hmean, then more errors.
    static func worse(_ a: Page, than b: Page) -> Bool {
        a.hmean != b.hmean ? a.hmean < b.hmean : a.errors > b.errors
    }

    private mutating func keepIfWorst(_ page: Page, _ gt: [TextRegion], _ predictions: [DetectedText],
                                      _ image: () throws -> ReportImage?) throws {
        let limit = max(keepImages, 50)
        guard page.errors > 0, worst.count < limit || Self.worse(page, than: worst.last!.page) else { return }
        let at = worst.firstIndex { Self.worse(page, than: $0.page) } ?? worst.count
        var kept = WorstPage(page: page, groundTruth: gt, predictions: predictions)
        if at < keepImages { kept.image = try image() }
        worst.insert(kept, at: at)
        if worst.count > keepImages { worst[keepImages].image = nil }      // pushed out of the first keepImages
        if worst.count > limit { worst.removeLast() }
    }

    /// precision, recall, hmean (main, as PaddleOCR's DetMetric) and pages: what the engine and
    /// `metrics.jsonl` get.
    public var table: MetricsTable {
        MetricsTable([.init("precision", precision), .init("recall", recall), .init("hmean", hmean),
                      .init("pages", Double(pages.count), isShare: false)], main: "hmean")
    }
}
