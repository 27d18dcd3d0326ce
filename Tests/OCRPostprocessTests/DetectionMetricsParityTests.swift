import Foundation
import OCRCore
import XCTest

/// Parity of OCRCore's `DetectionMetrics` with PaddleOCR's DetectionIoUEvaluator (shapely):
/// Fixtures/make_det_metric_reference.py scores 40 random pages - turned boxes, jittered,
/// split, duplicated and merged detections, don't-care regions, false detections,
/// self-intersecting polygons - and every page's counts, pairs and IoUs must agree. (Kept here,
/// beside the DB fixtures and their script, rather than giving OCRCoreTests resources.)
final class DetectionMetricsParityTests: XCTestCase {
    struct Reference: Decodable {
        struct Page: Decodable {
            var ground_truth: [TextRegion]
            var predictions: [Polygon]
            var gt_care: Int
            var det_care: Int
            var matched: Int
            /// [gt index, prediction index, iou]
            var pairs: [[Double]]
        }
        var pages: [Page]
    }

    func testMatchesPaddleOCRsEvaluatorPageByPage() throws {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
            .appendingPathComponent("det_metric_reference.json")
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        var metrics = DetectionMetrics()
        var maxIoUDiff = 0.0
        for (n, page) in reference.pages.enumerated() {
            let r = metrics.add(predictions: page.predictions, groundTruth: page.ground_truth)
            XCTAssertEqual([r.groundTruthCare, r.detectionCare, r.matched], [page.gt_care, page.det_care, page.matched], "page \(n)")
            XCTAssertEqual(r.pairs.map { [$0.groundTruth, $0.prediction] }, page.pairs.map { [Int($0[0]), Int($0[1])] }, "page \(n)")
            for (p, q) in zip(r.pairs, page.pairs) { maxIoUDiff = max(maxIoUDiff, abs(p.iou - q[2])) }
        }
        print("\(reference.pages.count) pages: max |IoU diff| = \(maxIoUDiff) (limit 1e-9)")
        XCTAssertLessThanOrEqual(maxIoUDiff, 1e-9)
        XCTAssertEqual([metrics.groundTruthCare, metrics.detectionCare, metrics.matched], [129, 175, 95])
    }
}
