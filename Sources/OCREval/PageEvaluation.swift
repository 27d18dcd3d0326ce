import OCRCore
import OCRData
import OCRInference
import OCRPostprocess

/// A whole-page pipeline's evaluation (`ocr-eval --pipeline`): what a user of a page reader
/// feels, page by page and per group of pages.
///
/// - **Detection** precision, recall and hmean of the detector's boxes (all of them, before the
///   recogniser's confidence filter): `DetectionEvaluation`, PaddleOCR's DetMetric at IoU > 0.5.
/// - **End to end** (`EndToEndMetrics`, PaddleOCR's tools/end2end): a ground truth line counts
///   when a line the reader kept has IoU >= 0.5 with it and the same text; recall is the
///   end-to-end line accuracy.
/// - **Page CER**: the page's ground truth lines in reading order against the lines read in
///   reading order (both PaddleOCR's `sorted_boxes`), each page's lines joined with "\n" (so a
///   missed or extra line break is one edit), full-width forms folded as in the end-to-end score;
///   edits / ground truth characters (the joins included), summed over pages before dividing.
///   Don't-care regions (`###`) are left out of the truth, and lines read mostly inside one
///   (the detection metric's rule, `DetectionMetrics.isDontCare`) out of the text read.
///
/// A page is scored once or listed as not read (the detection evaluation's `notScored`,
/// which refuses a page twice) - never dropped silently, never replaced.
public struct PageEvaluation: Sendable {
    /// The figures of a set of pages (all of them, or one group).
    public struct Totals: Sendable {
        public var pages = 0
        public var detection = DetectionMetrics()
        /// Its settings (unit, ignoreSpace) score every page.
        public var endToEnd = EndToEndMetrics()
        /// Page CER's numerator and denominator, summed over pages.
        public var pageEdits = 0, pageCharacters = 0
        /// Seconds per stage, summed over pages (`total` includes ordering and cropping).
        public var seconds = PageReader.Timings()

        /// Edits / ground truth characters of the pages' texts in reading order.
        public var pageCER: Double { pageCharacters == 0 ? 0 : Double(pageEdits) / Double(pageCharacters) }

        mutating func add(_ page: Page) {
            pages += 1
            detection.merge(page.detection)
            endToEnd.merge(page.endToEnd)
            pageEdits += page.edits
            pageCharacters += page.characters
            seconds += page.timings
        }
    }

    /// One scored page.
    public struct Page: Sendable {
        public var source: String
        public var group: String?
        public var detection: DetectionMetrics.ImageResult
        public var endToEnd: EndToEndMetrics.ImageResult
        /// The care ground truth lines in reading order, joined with "\n".
        public var truthText: String
        /// The lines read (outside don't-care regions) in reading order, joined with "\n".
        public var readText: String
        /// Character edits from `truthText` to `readText`, and `truthText`'s characters.
        public var edits: Int, characters: Int
        public var timings: PageReader.Timings

        /// edits / characters; a page without text to read counts each character read as an error.
        public var cer: Double { Double(edits) / Double(max(characters, 1)) }
    }

    /// A page kept for the report: what is needed to draw it and list its wrong lines.
    public struct WorstPage: Sendable {
        public var page: Page
        public var groundTruth: [TextRegion]
        /// The detector's boxes (drawn, as the detection metric judged them).
        public var boxes: [DetectedText]
        public var lines: [PageReader.Line]
        /// The page's pixels, for the first `keepImages` worst pages only.
        public var image: ReportImage?
    }

    /// What edits count in: characters or Unicode scalars.
    public let unit: TextUnit
    /// Detection figures over all pages, each page's counts, and the pages not read.
    public private(set) var detection: DetectionEvaluation
    /// Every scored page's figures, in the order scored.
    public private(set) var pages: [Page] = []
    public private(set) var all = Totals()
    /// Per group (`DetectionSample.group`: a rendered page's layout, a label file's name).
    public private(set) var groups: [String: Totals] = [:]
    /// The pages with the highest page CER first (then most end-to-end misses), up to
    /// max(keepImages, 50).
    public private(set) var worst: [WorstPage] = []
    /// Worst pages that keep their image.
    public let keepImages: Int
    public var pagesPerSecond = 0.0

    /// `ignoreSpace`: the end-to-end score compares lines without spaces (PaddleOCR's
    /// `ignore_blank`); page CER always counts them.
    public init(keepImages: Int = 0, unit: TextUnit = .character, ignoreSpace: Bool = false) {
        detection = DetectionEvaluation(iouThreshold: 0.5, keepImages: 0)
        self.keepImages = keepImages
        self.unit = unit
        all = Totals(endToEnd: EndToEndMetrics(unit: unit, ignoreSpace: ignoreSpace))
    }

    /// Pages not scored, in the order found.
    public var notScored: [DataIssue] { detection.notScored }

    public var groupKeys: [String] { groups.keys.sorted() }

    /// Scores one page that `read` came from: `groundTruth` in the page's pixels, `don't care`
    /// regions included. `image` is asked for only when the page is kept with its picture.
    /// Throws when `source` was already scored or listed as not read.
    @discardableResult
    public mutating func add(source: String, group: String?, read: PageReader.Page, groundTruth: [TextRegion],
                             image: () throws -> ReportImage? = { nil }) throws -> Page {
        let det = try detection.add(source: source, predictions: read.boxes, groundTruth: groundTruth).result
        let dontCare = groundTruth.filter(\.isDontCare).map(\.polygon)
        let counted = read.lines.filter { !detection.metrics.isDontCare($0.polygon, dontCareRegions: dontCare) }
        let truth = Self.readingOrderText(groundTruth.filter { !$0.isDontCare })
        let text = EndToEndMetrics.halfWidth(counted.map(\.text).joined(separator: "\n"))
        let page = Page(source: source, group: group, detection: det,
                        endToEnd: all.endToEnd.evaluate(predictions: read.lines.map { ($0.polygon, $0.text) }, groundTruth: groundTruth),
                        truthText: truth, readText: text, edits: Levenshtein.distance(truth, text, unit: unit),
                        characters: unit.split(truth).count, timings: read.timings)
        pages.append(page)
        all.add(page)
        if let group { groups[group, default: Totals(endToEnd: all.endToEnd.emptyCopy)].add(page) }
        try keepIfWorst(WorstPage(page: page, groundTruth: groundTruth, boxes: read.boxes, lines: read.lines), image)
        return page
    }

    /// Lists pages that could not be read; throws for one already scored or listed.
    public mutating func recordNotScored(_ issues: [DataIssue]) throws {
        try detection.recordNotScored(issues)
    }

    /// The transcriptions of `regions` in reading order (`ReadingOrder`, on each region's quad:
    /// its four points ordered clockwise from the top left, or its bounding box for other
    /// polygons), joined with "\n" and full-width forms folded.
    public static func readingOrderText(_ regions: [TextRegion]) -> String {
        let quads = regions.map { r -> Polygon in
            if r.polygon.points.count == 4, let q = r.polygon.orderedClockwise() { return q }
            return Polygon(BoundingBox(enclosing: r.polygon.points)?.corners ?? r.polygon.points)
        }
        return EndToEndMetrics.halfWidth(ReadingOrder.sorted(quads).map { regions[$0].transcription }.joined(separator: "\n"))
    }

    /// Whether `a` is worse than `b`: higher page CER, then more end-to-end misses.
    static func worse(_ a: Page, than b: Page) -> Bool {
        a.cer != b.cer ? a.cer > b.cer : (a.endToEnd.groundTruth - a.endToEnd.hits) > (b.endToEnd.groundTruth - b.endToEnd.hits)
    }

    private mutating func keepIfWorst(_ candidate: WorstPage, _ image: () throws -> ReportImage?) throws {
        let limit = max(keepImages, 50)
        let page = candidate.page
        guard page.edits > 0 || page.endToEnd.hits < page.endToEnd.groundTruth,
              worst.count < limit || Self.worse(page, than: worst.last!.page) else { return }
        let at = worst.firstIndex { Self.worse(page, than: $0.page) } ?? worst.count
        var kept = candidate
        if at < keepImages { kept.image = try image() }
        worst.insert(kept, at: at)
        if worst.count > keepImages { worst[keepImages].image = nil }      // pushed out of the first keepImages
        if worst.count > limit { worst.removeLast() }
    }

    /// The figures under the names report.json and the progress printer use; main: the
    /// end-to-end line accuracy.
    public var table: MetricsTable {
        MetricsTable([.init("e2e_line_acc", all.endToEnd.recall), .init("e2e_precision", all.endToEnd.precision),
                      .init("e2e_fmeasure", all.endToEnd.fmeasure), .init("page_cer", all.pageCER),
                      .init("det_precision", detection.precision), .init("det_recall", detection.recall),
                      .init("det_hmean", detection.hmean), .init("pages", Double(pages.count), isShare: false)],
                     main: "e2e_line_acc")
    }
}
