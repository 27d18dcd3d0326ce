import XCTest
@testable import OCRCore

final class DetectionMetricsTests: XCTestCase {
    func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Polygon {
        Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    }
    func gt(_ p: Polygon, _ text: String = "text") -> TextRegion { TextRegion(transcription: text, polygon: p) }

    /// Ground truth: A [0,10]^2, B [20,30]x[0,10], don't-care C [40,50]x[0,10].
    /// Predictions: P1 [1,11]x[0,10]  IoU(A) = 90 / 110 = 0.818  -> match
    ///              P2 [25,35]x[0,10] IoU(B) = 50 / 150 = 0.333  -> no match
    ///              P3 = C exactly, inside don't-care             -> ignored
    ///              P4 [60,70]^2 nowhere                          -> false positive
    /// Care GT = 2, care detections = 3, matched = 1: P = 1/3, R = 1/2, H = 2PR/(P+R) = 0.4.
    func testToyImage() {
        var m = DetectionMetrics()
        let r = m.add(predictions: [rect(1, 0, 11, 10), rect(25, 0, 35, 10), rect(40, 0, 50, 10), rect(60, 60, 70, 70)],
                      groundTruth: [gt(rect(0, 0, 10, 10)), gt(rect(20, 0, 30, 10)), gt(rect(40, 0, 50, 10), "###")])
        XCTAssertEqual(r.groundTruthCare, 2)
        XCTAssertEqual(r.detectionCare, 3)
        XCTAssertEqual(r.matched, 1)
        XCTAssertEqual(r.pairs.map { [$0.groundTruth, $0.prediction] }, [[0, 0]])
        XCTAssertEqual(r.pairs[0].iou, 90.0 / 110, accuracy: 1e-12)
        XCTAssertEqual(r.missedGroundTruth, [1], "B; the don't-care C is no miss")
        XCTAssertEqual(r.falseDetections, [1, 3], "P2 and P4; P3 on the don't-care region is ignored")
        XCTAssertEqual(m.precision, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(m.recall, 0.5, accuracy: 1e-12)
        XCTAssertEqual(m.hmean, 0.4, accuracy: 1e-12)
    }

    func testTotalsAreSummedOverImages() {
        var m = DetectionMetrics()
        // Image 1: 1 gt, 1 perfect prediction.
        m.add(predictions: [rect(0, 0, 10, 10)], groundTruth: [gt(rect(0, 0, 10, 10))])
        // Image 2: 3 gt, nothing detected.
        m.add(predictions: [], groundTruth: [gt(rect(0, 0, 1, 1)), gt(rect(2, 2, 3, 3)), gt(rect(4, 4, 5, 5))])
        // Image 3: no gt, one false positive.
        let r3 = m.add(predictions: [rect(0, 0, 5, 5)], groundTruth: [])
        XCTAssertEqual(r3.recall, 1)       // PaddleOCR per-image convention
        XCTAssertEqual(r3.precision, 0)
        // Totals: matched 1, care gt 4, care det 2 -> P 0.5, R 0.25, H = 2*.125/.75 = 1/3.
        XCTAssertEqual(m.images, 3)
        XCTAssertEqual(m.precision, 0.5, accuracy: 1e-12)
        XCTAssertEqual(m.recall, 0.25, accuracy: 1e-12)
        XCTAssertEqual(m.hmean, 1.0 / 3, accuracy: 1e-12)
    }

    func testIoUMustExceedThresholdStrictly() {
        // Prediction is the top half of the gt: IoU = 50/100 = 0.5 exactly -> not a match (PaddleOCR uses >).
        let m = DetectionMetrics()
        XCTAssertEqual(m.evaluate(predictions: [rect(0, 0, 10, 5)], groundTruth: [gt(rect(0, 0, 10, 10))]).matched, 0)
        XCTAssertEqual(m.evaluate(predictions: [rect(0, 0, 10, 5.1)], groundTruth: [gt(rect(0, 0, 10, 10))]).matched, 1)
    }

    func testOneToOneGreedyMatching() {
        // Two predictions on the same gt: only one matches, the other is a false positive.
        let r = DetectionMetrics().evaluate(predictions: [rect(0, 0, 10, 10), rect(0, 0, 10, 9)], groundTruth: [gt(rect(0, 0, 10, 10))])
        XCTAssertEqual(r.matched, 1)
        XCTAssertEqual(r.detectionCare, 2)
        XCTAssertEqual(r.precision, 0.5)
    }

    func testDontCareNeedsMoreThanHalfOfPredictionInside() {
        let dc = gt(rect(0, 0, 10, 10), "###")
        let m = DetectionMetrics()
        // 60% of the prediction's area inside the don't-care region -> ignored.
        XCTAssertEqual(m.evaluate(predictions: [rect(4, 0, 14, 10)], groundTruth: [dc]).detectionCare, 0)
        // 40% inside -> counts (a false positive).
        XCTAssertEqual(m.evaluate(predictions: [rect(6, 0, 16, 10)], groundTruth: [dc]).detectionCare, 1)
        // "*" is don't-care too, as in PaddleOCR's DetLabelEncode.
        XCTAssertTrue(gt(rect(0, 0, 1, 1), "*").isDontCare)
    }

    func testInvalidPolygonsAreDropped() {
        let bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
        let r = DetectionMetrics().evaluate(predictions: [bowtie, rect(0, 0, 10, 10)], groundTruth: [gt(bowtie), gt(rect(0, 0, 10, 10))])
        XCTAssertEqual(r.groundTruthCare, 1)
        XCTAssertEqual(r.detectionCare, 1)
        XCTAssertEqual(r.matched, 1)
        XCTAssertEqual(r.pairs.map { [$0.groundTruth, $0.prediction] }, [[1, 1]])   // indices into the inputs
        XCTAssertEqual(r.missedGroundTruth + r.falseDetections, [], "invalid polygons are neither")
    }

    func testMerge() {
        var a = DetectionMetrics(), b = DetectionMetrics()
        a.add(predictions: [rect(0, 0, 10, 10)], groundTruth: [gt(rect(0, 0, 10, 10))])
        b.add(predictions: [rect(50, 50, 60, 60)], groundTruth: [gt(rect(0, 0, 10, 10))])
        a.merge(b)
        XCTAssertEqual(a.precision, 0.5)
        XCTAssertEqual(a.recall, 0.5)
        XCTAssertEqual(a.images, 2)
    }

    // --- PaddleOCR's DetectionIoUEvaluator (ppocr/metrics/eval_det_iou.py) on its own cases ---

    /// The example under `__main__` in eval_det_iou.py: two unit-square gts, one prediction
    /// (0.1, 0.1), (1, 0), (1, 1), (0, 1) inside the first (area 0.9, IoU 0.9). PaddleOCR prints
    /// precision 1.0, recall 0.5, hmean 0.6667.
    func testPaddleOCRsOwnExample() {
        var m = DetectionMetrics()
        m.add(predictions: [Polygon([(0.1, 0.1), (1, 0), (1, 1), (0, 1)])],
              groundTruth: [gt(rect(0, 0, 1, 1)), gt(rect(2, 2, 3, 3))])
        XCTAssertEqual(m.precision, 1)
        XCTAssertEqual(m.recall, 0.5)
        XCTAssertEqual(m.hmean, 2.0 / 3, accuracy: 1e-12)
    }

    /// A line detected as two halves: each half has IoU exactly 0.5 (not > 0.5), so the IoU
    /// protocol gives neither credit - 0 matches, two false positives, one miss.
    func testSplitDetectionsGetNoCredit() {
        let r = DetectionMetrics().evaluate(predictions: [rect(0, 0, 50, 20), rect(50, 0, 100, 20)],
                                            groundTruth: [gt(rect(0, 0, 100, 20))])
        XCTAssertEqual([r.matched, r.detectionCare, r.groundTruthCare], [0, 2, 1])
        XCTAssertEqual(r.hmean, 0)
        // Split unevenly, the larger part (IoU 0.6) matches; the smaller one stays a false positive.
        let uneven = DetectionMetrics().evaluate(predictions: [rect(0, 0, 40, 20), rect(40, 0, 100, 20)],
                                                 groundTruth: [gt(rect(0, 0, 100, 20))])
        XCTAssertEqual(uneven.pairs.map { [$0.groundTruth, $0.prediction] }, [[0, 1]])
        XCTAssertEqual(uneven.precision, 0.5)
    }

    /// Two words detected as one box: a prediction matches at most one ground truth.
    func testMergedDetectionMatchesAtMostOne() {
        let words = [gt(rect(0, 0, 45, 20)), gt(rect(55, 0, 100, 20))]
        // Covering both (IoU 0.45 with each): nothing matches.
        XCTAssertEqual(DetectionMetrics().evaluate(predictions: [rect(0, 0, 100, 20)], groundTruth: words).matched, 0)
        // Covering the first and half the gap (IoU 0.9 and 0): one match, the second word missed.
        let r = DetectionMetrics().evaluate(predictions: [rect(0, 0, 50, 20)], groundTruth: words)
        XCTAssertEqual([r.matched, r.detectionCare, r.groundTruthCare], [1, 1, 2])
        XCTAssertEqual(r.recall, 0.5)
    }

    /// Greedy in input order, as PaddleOCR: a ground truth takes the first unmatched prediction
    /// above the threshold, not the one with the highest IoU.
    func testMatchingTakesTheFirstPredictionAboveThresholdNotTheBest() {
        let r = DetectionMetrics().evaluate(predictions: [rect(2, 0, 12, 10), rect(0, 0, 10, 10)],
                                            groundTruth: [gt(rect(0, 0, 10, 10))])
        XCTAssertEqual(r.pairs.map { [$0.groundTruth, $0.prediction] }, [[0, 0]])
        XCTAssertEqual(r.pairs[0].iou, 80.0 / 120, accuracy: 1e-12)
        XCTAssertEqual(r.detectionCare, 2)
    }

    /// A don't-care region neither counts as a miss nor makes the prediction on it a false
    /// positive; a page with only don't-care regions and no predictions scores P = R = 1 on
    /// its own and adds nothing to the totals.
    func testDontCareOnlyPage() {
        var m = DetectionMetrics()
        let r = m.add(predictions: [rect(0, 0, 10, 10)], groundTruth: [gt(rect(0, 0, 10, 10), "###")])
        XCTAssertEqual([r.matched, r.detectionCare, r.groundTruthCare], [0, 0, 0])
        XCTAssertEqual([r.precision, r.recall], [1, 1])
        m.add(predictions: [rect(0, 0, 10, 10)], groundTruth: [gt(rect(0, 0, 10, 10))])
        XCTAssertEqual([m.precision, m.recall], [1, 1])
    }
}
