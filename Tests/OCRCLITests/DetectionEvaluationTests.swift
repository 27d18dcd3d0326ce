import OCRCore
import OCRData
import OCREval
import OCRPostprocess
import XCTest

/// Detection scoring without a model: `DetectionEvaluator` on hand-made pages (boxes, and one
/// probability map through DB post-processing), checked against `DetectionMetrics` itself.
final class DetectionEvaluationTests: XCTestCase {
    func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Polygon {
        Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    }
    func region(_ p: Polygon, _ text: String = "word") -> TextRegion { TextRegion(transcription: text, polygon: p) }
    func found(_ p: Polygon, _ score: Double = 0.9) -> DetectedText { DetectedText(polygon: p, score: score) }

    struct Page {
        var source: String
        var truth: [TextRegion]
        var predictions: [DetectedText]
    }

    /// Four pages: perfect, one miss and one false detection, a don't-care region with a
    /// detection on it plus a split line, and a page with no text and one false detection.
    func pages() -> [Page] {
        [
            Page(source: "det.txt:1", truth: [region(rect(10, 10, 110, 40)), region(rect(10, 60, 80, 90))],
                 predictions: [found(rect(12, 11, 108, 41)), found(rect(10, 60, 82, 90))]),
            Page(source: "det.txt:2", truth: [region(rect(0, 0, 50, 20)), region(rect(0, 40, 50, 60))],
                 predictions: [found(rect(1, 1, 50, 20)), found(rect(200, 200, 260, 230), 0.7)]),
            Page(source: "det.txt:3", truth: [region(rect(0, 0, 100, 20), "###"), region(rect(0, 50, 100, 70))],
                 predictions: [found(rect(0, 0, 100, 20)), found(rect(0, 50, 50, 70)), found(rect(50, 50, 100, 70))]),
            Page(source: "det.txt:4", truth: [], predictions: [found(rect(5, 5, 30, 30), 0.65)]),
        ]
    }

    func evaluate(_ pages: [Page], keep: Int = 0, images: ((String) -> ReportImage?)? = nil) throws -> DetectionEvaluation {
        var queue = pages
        return try DetectionEvaluator(keepWorstImages: keep).evaluate(next: { queue.isEmpty ? nil : [queue.removeFirst()] }) { batch in
            batch.map { p in
                DetectionEvaluator.PageOutput(source: p.source, groundTruth: p.truth, prediction: .boxes(p.predictions),
                                              image: { images?(p.source) })
            }
        }
    }

    func testTotalsEqualDetectionMetricsOnAllPagesSideBySide() throws {
        let e = try evaluate(pages())
        XCTAssertEqual(e.pages.map(\.source), ["det.txt:1", "det.txt:2", "det.txt:3", "det.txt:4"])
        // Page by page: 2/2/2, 2/2/1, 1/3/0, 0/1/0 (care gt / care detections / matched).
        XCTAssertEqual(e.pages.map { [$0.result.groundTruthCare, $0.result.detectionCare, $0.result.matched] },
                       [[2, 2, 2], [2, 2, 1], [1, 2, 0], [0, 1, 0]])
        XCTAssertEqual(e.metrics.matched, e.pages.map(\.result.matched).reduce(0, +))
        XCTAssertEqual(e.metrics.groundTruthCare, 5)
        XCTAssertEqual(e.metrics.detectionCare, 7)
        // The same pages placed side by side (1000 px apart) as one image: the same figures,
        // since no match can cross pages.
        var truth = [TextRegion](), predictions = [Polygon]()
        for (i, p) in pages().enumerated() {
            func moved(_ q: Polygon) -> Polygon { Polygon(q.points.map { Point($0.x + Double(i) * 1000, $0.y) }) }
            truth += p.truth.map { TextRegion(transcription: $0.transcription, polygon: moved($0.polygon)) }
            predictions += p.predictions.map { moved($0.polygon) }
        }
        var whole = DetectionMetrics()
        whole.add(predictions: predictions, groundTruth: truth)
        XCTAssertEqual([e.precision, e.recall, e.hmean], [whole.precision, whole.recall, whole.hmean])
        XCTAssertEqual(e.precision, 3.0 / 7, accuracy: 1e-12)
        XCTAssertEqual(e.recall, 3.0 / 5, accuracy: 1e-12)
        XCTAssertEqual(e.table.main, "hmean")
        XCTAssertEqual(e.table.mainValue, 2 * (3.0 / 7) * 0.6 / (3.0 / 7 + 0.6), accuracy: 1e-12)
        XCTAssertEqual(e.table.summaryLine, "precision 42.86%, recall 60.00%, hmean 50.00%, pages 4")
        XCTAssertGreaterThan(e.samplesPerSecond, 0)
    }

    func testWorstPagesAndTheirImages() throws {
        var asked = [String]()
        let e = try evaluate(pages(), keep: 1) { source in
            asked.append(source)
            return ReportImage(width: 4, height: 3, gray: [UInt8](repeating: 200, count: 12))
        }
        // Page 1 is perfect (not listed); 3 and 4 have hmean 0, 3 has more errors (a miss and two false).
        XCTAssertEqual(e.worst.map(\.page.source), ["det.txt:3", "det.txt:4", "det.txt:2"])
        XCTAssertEqual(e.worst.map { $0.image != nil }, [true, false, false], "keepWorstImages = 1")
        XCTAssertEqual(asked, ["det.txt:2", "det.txt:3"], "asked only when entering the first keepImages places")
        let third = e.worst[0].page.result
        XCTAssertEqual(third.missedGroundTruth, [1])
        XCTAssertEqual(third.falseDetections, [1, 2], "the split halves; the detection on ### is ignored")
    }

    func testNotReadPagesAreListedNeverScoredTwice() throws {
        var e = try evaluate(pages())
        let issues = [DataIssue(file: "det.txt", line: 5, category: DataIssue.Category.missingImage, message: "image 'p5.jpg' does not exist"),
                      DataIssue(file: "det.txt", line: 7, category: DataIssue.Category.undecodableImage, message: "cannot decode 'p7.jpg'")]
        try e.recordNotScored(issues)
        XCTAssertEqual(e.notScored.map(\.location), ["det.txt:5", "det.txt:7"])
        XCTAssertEqual(e.pages.count, 4, "not-read pages are not scored")
        XCTAssertEqual(e.table["pages"], 4)
        XCTAssertThrowsError(try e.recordNotScored([DataIssue(file: "det.txt", line: 2, category: "x", message: "y")])) {
            XCTAssertTrue("\($0)".contains("det.txt:2: listed as not read but already scored"), "\($0)")
        }
        XCTAssertThrowsError(try e.add(source: "det.txt:5", predictions: [], groundTruth: [])) {
            XCTAssertTrue("\($0)".contains("det.txt:5: page given to the detection evaluation twice"), "\($0)")
        }
        XCTAssertThrowsError(try evaluate(pages() + [pages()[0]])) {
            XCTAssertTrue("\($0)".contains("det.txt:1: page given"), "\($0)")
        }
    }

    func testProbabilityMapsArePostProcessedAndRescaled() throws {
        // A 100 x 50 map of a 400 x 200 page: one solid region 20..79 x 10..29 (map pixels). The
        // region is the kernel unclip grows back to about (10..90) x (2..38) on the map.
        var map = [Float](repeating: 0, count: 100 * 50)
        for y in 10...29 { for x in 20...79 { map[y * 100 + x] = 0.9 } }
        let truth = [region(rect(40, 8, 360, 152))]
        var queue = [0]
        let e = try DetectionEvaluator().evaluate(next: { queue.popLast() }) { _ in
            [DetectionEvaluator.PageOutput(source: "page.png", groundTruth: truth,
                                           prediction: .probability(map, width: 100, height: 50, sourceWidth: 400, sourceHeight: 200))]
        }
        XCTAssertEqual(e.pages.first?.result.matched, 1)
        XCTAssertGreaterThan(e.pages.first?.result.pairs.first?.iou ?? 0, 0.8)
        XCTAssertThrowsError(try DetectionEvaluator().evaluate(next: { queue.isEmpty ? (queue.append(1), 0).1 : nil }) { _ in
            [DetectionEvaluator.PageOutput(source: "bad.png", groundTruth: [],
                                           prediction: .probability([0, 0], width: 100, height: 50, sourceWidth: 400, sourceHeight: 200))]
        }) { XCTAssertTrue("\($0)".hasPrefix("bad.png: DB post-processing: a 100x50 map needs 5000"), "\($0)") }
    }
}
