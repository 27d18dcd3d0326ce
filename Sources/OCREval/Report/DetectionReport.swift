import Foundation
import OCRCore

/// A text detector's evaluation as a `ReportWriter`: precision, recall and hmean with the counts
/// behind them, the worst pages drawn (ground truth and detections, misses and false detections
/// marked; see `DetectionDrawing.legend`) with each page's own figures, and the pages that could
/// not be read. report.json also keeps the typed figures: precision, recall, hmean,
/// ground_truth, detections, matched, pages_scored, pages_not_read, samples_per_second, pages
/// (every page's counts) and worst.
public struct DetectionReport: TaskReport {
    public var title: String
    public var result: DetectionEvaluation
    public var worstCount = 20
    /// Pages that could not be read listed in the terminal (the files list every one).
    public var notReadListed = 20
    /// Drawn pages are scaled down to this width (pixels) before they are embedded.
    public var drawingWidth = 800

    public init(title: String, result: DetectionEvaluation) {
        self.title = title
        self.result = result
    }

    var metrics: DetectionMetrics { result.metrics }

    /// "120 pages scored, 2 could not be read".
    var countsLine: String { "\(result.pages.count) pages scored, \(result.notScored.count) could not be read" }

    var figuresTable: ReportTable {
        ReportTable(header: ["group", "pages", "ground truth", "detections", "matched", "precision", "recall", "hmean"],
                    rows: [[.text("all"), .count(result.pages.count), .count(metrics.groundTruthCare), .count(metrics.detectionCare),
                            .count(metrics.matched), .share(metrics.precision), .share(metrics.recall), .share(metrics.hmean)]])
    }

    public var writer: ReportWriter {
        var gallery = ReportGallery(
            title: "Worst pages (\(DetectionDrawing.legend))", key: "worst",
            columns: [.init("source"), .init("precision"), .init("recall"), .init("hmean"),
                      .init("missed", key: "missed"), .init("false", key: "false_detections"),
                      .init("ground truth", key: "ground_truth"), .init("detections")],
            entries: result.worst.prefix(worstCount).map { w in
                let r = w.page.result
                // A page that cannot be drawn still gets its row.
                return ReportGallery.Entry(image: try? DetectionDrawing.draw(w, maxWidth: drawingWidth),
                                           captions: [.text(w.page.source), .share(r.precision), .share(r.recall), .share(r.hmean),
                                                      .count(r.missedGroundTruth.count), .count(r.falseDetections.count),
                                                      .count(r.groundTruthCare), .count(r.detectionCare)])
            })
        gallery.imageHeight = 480
        var w = ReportWriter(title: title,
                             summary: [countsLine, "hmean \(ReportValue.share(metrics.hmean).display) (precision "
                                       + "\(ReportValue.share(metrics.precision).display), recall \(ReportValue.share(metrics.recall).display))"],
                             tables: [figuresTable], notRead: result.notScored, gallery: gallery)
        w.notReadHeading = "Pages that could not be read (not scored)"
        w.notReadListed = notReadListed
        w.fields = [
            "precision": metrics.precision, "recall": metrics.recall, "hmean": metrics.hmean,
            "ground_truth": metrics.groundTruthCare, "detections": metrics.detectionCare, "matched": metrics.matched,
            "pages_scored": result.pages.count, "pages_not_read": result.notScored.count,
            "samples_per_second": result.samplesPerSecond,
            "pages": result.pages.map { p in
                ["source": p.source, "precision": p.precision, "recall": p.recall, "hmean": p.hmean,
                 "ground_truth": p.result.groundTruthCare, "detections": p.result.detectionCare, "matched": p.result.matched,
                 "missed": p.result.missedGroundTruth.count, "false_detections": p.result.falseDetections.count] as [String: Any]
            },
        ]
        return w
    }
}
