import Foundation
import OCRCore

/// A page pipeline's evaluation (`PageEvaluation`) as a `ReportWriter`: end-to-end line
/// accuracy, page CER and detection figures overall and per group, time per stage, the worst
/// pages (highest page CER) drawn with `DetectionDrawing` and their wrong lines, and the pages
/// that could not be read. report.json also keeps the typed figures: overall, groups,
/// ms_per_page, pages_scored, pages_not_read, pages_per_second, pages (every page's figures).
public struct PageReport: TaskReport {
    public var title: String
    public var result: PageEvaluation
    public var worstCount = 20
    /// Wrong lines listed per worst page.
    public var wrongLinesShown = 3
    /// Pages that could not be read listed in the terminal (the files list every one).
    public var notReadListed = 20
    /// Drawn pages are scaled down to this width (pixels) before they are embedded.
    public var drawingWidth = 800

    public init(title: String, result: PageEvaluation) {
        self.title = title
        self.result = result
    }

    static let header = ["group", "pages", "GT lines", "lines read", "e2e line acc", "e2e precision", "e2e F", "page CER",
                         "det precision", "det recall", "det hmean"]

    func row(_ name: String, _ t: PageEvaluation.Totals) -> [ReportValue] {
        [.text(name), .count(t.pages), .count(t.endToEnd.groundTruth), .count(t.endToEnd.predictions),
         .share(t.endToEnd.recall), .share(t.endToEnd.precision), .share(t.endToEnd.fmeasure), .share(t.pageCER),
         .share(t.detection.precision), .share(t.detection.recall), .share(t.detection.hmean)]
    }

    /// Overall, then per group when there are several (one group is "all" again).
    var figuresTable: ReportTable {
        let groups = result.groupKeys.count > 1 ? result.groupKeys : []
        return ReportTable(header: Self.header, rows: [row("all", result.all)] + groups.map { row($0, result.groups[$0]!) })
    }

    /// Mean milliseconds per scored page for each stage.
    var timingTable: ReportTable {
        let s = result.all.seconds, n = Double(max(result.all.pages, 1))
        return ReportTable(title: "Milliseconds per page (mean; total includes ordering and cropping)",
                           header: ["stage", "ms/page"],
                           rows: [("det", s.det), ("cls", s.cls), ("rec", s.rec), ("total", s.total)].map {
                               [.text($0.0), .number($0.1 * 1000 / n, decimals: 2)]
                           })
    }

    /// `"truth" -> "read"` for the first wrong or missed lines of a page (a missed line reads "").
    func wrongLines(_ w: PageEvaluation.WorstPage) -> String {
        let pairs = Dictionary(w.page.endToEnd.pairs.map { ($0.groundTruth, $0) }, uniquingKeysWith: { a, _ in a })
        var out = [String]()
        for (g, region) in w.groundTruth.enumerated() where !region.isDontCare {
            guard out.count < wrongLinesShown else { break }
            if let p = pairs[g] {
                if !p.hit { out.append("\(region.transcription.debugDescription) -> \(w.lines[p.prediction].text.debugDescription)") }
            } else {
                out.append("\(region.transcription.debugDescription) -> (not found)")
            }
        }
        return out.joined(separator: "; ")
    }

    public var writer: ReportWriter {
        let e2e = result.all.endToEnd
        var gallery = ReportGallery(
            title: "Worst pages by page CER (\(DetectionDrawing.legend))", key: "worst",
            columns: [.init("source"), .init("group"), .init("page CER", key: "page_cer"), .init("e2e line acc", key: "e2e_line_acc"),
                      .init("det hmean", key: "det_hmean"), .init("wrong lines", key: "wrong_lines")],
            entries: result.worst.prefix(worstCount).map { w in
                // A page that cannot be drawn still gets its row.
                ReportGallery.Entry(image: try? DetectionDrawing.draw(w.image, groundTruth: w.groundTruth, predictions: w.boxes,
                                                                      result: w.page.detection, maxWidth: drawingWidth),
                                    captions: [.text(w.page.source), .text(w.page.group ?? "-"), .share(w.page.cer),
                                               .share(w.page.endToEnd.recall), .share(w.page.detection.hmean), .code(wrongLines(w))])
            })
        gallery.imageHeight = 480
        var w = ReportWriter(
            title: title,
            summary: ["\(result.pages.count) pages scored, \(result.notScored.count) could not be read",
                      "end-to-end line accuracy \(ReportValue.share(e2e.recall).display) (\(e2e.hits) of \(e2e.groundTruth) lines "
                      + "found and read exactly; precision \(ReportValue.share(e2e.precision).display)), page CER "
                      + "\(ReportValue.share(result.all.pageCER).display), detection hmean \(ReportValue.share(result.detection.hmean).display)"],
            tables: [figuresTable, timingTable], notRead: result.notScored, gallery: gallery)
        w.notReadHeading = "Pages that could not be read (not scored)"
        w.notReadListed = notReadListed
        var groups: [String: Any] = [:]
        for g in result.groupKeys { groups[g] = Self.fields(result.groups[g]!) }
        let s = result.all.seconds, n = Double(max(result.all.pages, 1))
        w.fields = [
            "overall": Self.fields(result.all), "groups": groups,
            "ms_per_page": ["det": s.det * 1000 / n, "cls": s.cls * 1000 / n, "rec": s.rec * 1000 / n, "total": s.total * 1000 / n],
            "pages_scored": result.pages.count, "pages_not_read": result.notScored.count,
            "pages_per_second": result.pagesPerSecond,
            "pages": result.pages.map { p in
                ["source": p.source, "group": p.group ?? NSNull(), "page_cer": p.cer, "edits": p.edits, "characters": p.characters,
                 "e2e_hits": p.endToEnd.hits, "e2e_ground_truth": p.endToEnd.groundTruth, "e2e_predictions": p.endToEnd.predictions,
                 "det_hmean": p.detection.hmean, "det_matched": p.detection.matched] as [String: Any]
            },
        ]
        return w
    }

    static func fields(_ t: PageEvaluation.Totals) -> [String: Any] {
        ["pages": t.pages, "e2e_line_acc": t.endToEnd.recall, "e2e_precision": t.endToEnd.precision, "e2e_fmeasure": t.endToEnd.fmeasure,
         "e2e_char_acc": t.endToEnd.characterAccuracy, "e2e_hits": t.endToEnd.hits, "ground_truth_lines": t.endToEnd.groundTruth,
         "lines_read": t.endToEnd.predictions, "page_cer": t.pageCER, "page_edits": t.pageEdits, "page_characters": t.pageCharacters,
         "det_precision": t.detection.precision, "det_recall": t.detection.recall, "det_hmean": t.detection.hmean]
    }
}
