import OCRCore
import XCTest

/// PaddleOCR's end-to-end scoring (tools/end2end/eval_end2end.py): greedy matching by IoU from
/// the highest, IoU >= 0.5, exact text after full-width folding, don't-care lines out of the counts.
final class EndToEndMetricsTests: XCTestCase {
    func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Polygon {
        Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    }

    func region(_ text: String, _ p: Polygon) -> TextRegion { TextRegion(transcription: text, polygon: p) }

    func testHitsMissesAndFalseLines() {
        var m = EndToEndMetrics()
        let gt = [region("total", rect(0, 0, 100, 20)), region("date", rect(0, 40, 100, 60)),
                  region("missed", rect(0, 80, 100, 100)), region("###", rect(200, 0, 300, 20))]
        let predictions: [(polygon: Polygon, text: String)] = [
            (rect(0, 0, 100, 20), "total"),       // hit
            (rect(0, 42, 100, 60), "dale"),       // matched (IoU 0.9), one substitution
            (rect(200, 0, 300, 20), "smudge"),    // on the don't-care line: out of the counts
            (rect(400, 0, 450, 20), "extra"),     // matches nothing: counts against precision
        ]
        let r = m.add(predictions: predictions, groundTruth: gt)
        XCTAssertEqual(r.hits, 1)
        XCTAssertEqual(r.groundTruth, 3, "total, date, missed; not ###")
        XCTAssertEqual(r.predictions, 3, "total, dale, extra; not the one on ###")
        XCTAssertEqual(r.editDistance, 0 + 1 + 5 + 6, "dale 1, extra 5, missed 6")
        XCTAssertEqual(r.groundTruthCharacters, 5 + 4 + 6)
        XCTAssertEqual(r.pairs.map(\.hit), [true, false])
        XCTAssertEqual(m.recall, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(m.precision, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(m.characterAccuracy, 1 - 12.0 / 15, accuracy: 1e-12)
    }

    func testGreedyByHighestIoUAndThresholdIsInclusive() {
        let m = EndToEndMetrics()
        // Two predictions overlap one line; the higher IoU wins even though it comes second.
        let gt = [region("abc", rect(0, 0, 100, 20))]
        let r = m.evaluate(predictions: [(rect(0, 0, 80, 20), "xyz"), (rect(0, 0, 100, 20), "abc")], groundTruth: gt)
        XCTAssertEqual(r.pairs.map(\.prediction), [1])
        XCTAssertEqual(r.hits, 1)
        // IoU exactly 0.5 matches (>=), where the detection metric needs more than 0.5.
        let half = m.evaluate(predictions: [(rect(0, 0, 50, 20), "abc")], groundTruth: gt)
        XCTAssertEqual(half.pairs.first?.iou ?? 0, 0.5, accuracy: 1e-12)
        XCTAssertEqual(half.hits, 1)
        let below = m.evaluate(predictions: [(rect(0, 0, 49, 20), "abc")], groundTruth: gt)
        XCTAssertEqual(below.hits, 0)
        XCTAssertEqual(below.predictions, 1)
        XCTAssertEqual(below.groundTruth, 1)
    }

    func testFullWidthFormsCompareAsASCII() {
        XCTAssertEqual(EndToEndMetrics.halfWidth("ＡＢＣ１２３\u{3000}！"), "ABC123 !")
        XCTAssertEqual(EndToEndMetrics.halfWidth("中文"), "中文", "only full-width forms change")
        let r = EndToEndMetrics().evaluate(predictions: [(rect(0, 0, 100, 20), "Total：１２")],
                                           groundTruth: [region("Total:12", rect(0, 0, 100, 20))])
        XCTAssertEqual(r.hits, 1)
    }

    func testIgnoreSpaceComparesMatchedLinesWithoutSpaces() {
        let gt = [region("price of", rect(0, 0, 100, 20))]
        let read: [(polygon: Polygon, text: String)] = [(rect(0, 0, 100, 20), "priceof")]
        let exact = EndToEndMetrics().evaluate(predictions: read, groundTruth: gt)
        XCTAssertEqual([exact.hits, exact.editDistance, exact.groundTruthCharacters], [0, 1, 8])
        var m = EndToEndMetrics(ignoreSpace: true)
        let loose = m.add(predictions: read, groundTruth: gt)
        XCTAssertEqual([loose.hits, loose.editDistance, loose.groundTruthCharacters], [1, 0, 7])
        XCTAssertTrue(m.emptyCopy.ignoreSpace)
        XCTAssertEqual(m.emptyCopy.images, 0)
    }

    func testEmptyPage() {
        var m = EndToEndMetrics()
        let r = m.add(predictions: [], groundTruth: [])
        XCTAssertEqual([r.precision, r.recall], [1, 1])
        XCTAssertEqual([m.precision, m.recall, m.fmeasure], [0, 0, 0], "no lines at all: nothing to average")
    }

    func testDontCareRuleOfTheDetectionMetric() {
        let d = DetectionMetrics()
        let dontCare = [rect(0, 0, 100, 100)]
        XCTAssertTrue(d.isDontCare(rect(10, 10, 60, 30), dontCareRegions: dontCare))
        XCTAssertFalse(d.isDontCare(rect(80, 10, 180, 30), dontCareRegions: dontCare), "only a fifth inside")
    }
}
