import Foundation
import Imaging
import OCRCore
import OCRData
import OCREval
import OCRPostprocess
import XCTest

/// The detection report through the shared writer: figures, every page's counts in report.json,
/// the worst pages drawn into the HTML, the pages not read.
final class DetectionReportTests: XCTestCase {
    func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Polygon {
        Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    }

    /// Page a: one match, one miss (gt 2), one false detection; page b: perfect; 200 x 100 white pages.
    func evaluation(keep: Int) throws -> DetectionEvaluation {
        var e = DetectionEvaluation(keepImages: keep)
        let white = ReportImage(width: 200, height: 100, bgr: [UInt8](repeating: 255, count: 200 * 100 * 3))
        try e.add(source: "det.txt:1",
                  predictions: [DetectedText(polygon: rect(10, 10, 90, 30), score: 0.9), DetectedText(polygon: rect(120, 60, 180, 90), score: 0.7)],
                  groundTruth: [TextRegion(transcription: "a", polygon: rect(10, 10, 90, 30)),
                                TextRegion(transcription: "b", polygon: rect(10, 50, 90, 80))]) { white }
        try e.add(source: "det.txt:2", predictions: [DetectedText(polygon: rect(10, 10, 90, 30), score: 0.9)],
                  groundTruth: [TextRegion(transcription: "c", polygon: rect(10, 10, 90, 30))]) { white }
        try e.recordNotScored([DataIssue(file: "det.txt", line: 3, category: DataIssue.Category.missingImage, message: "image 'p3.png' does not exist")])
        return e
    }

    func testReportContents() throws {
        let report = DetectionReport(title: "det fixture", result: try evaluation(keep: 5))
        let text = report.terminalTable()
        XCTAssertTrue(text.contains("2 pages scored, 1 could not be read\nhmean 66.67% (precision 66.67%, recall 66.67%)"), text)
        let cells = text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertTrue(cells.contains(["all", "2", "3", "3", "2", "66.67%", "66.67%", "66.67%"]), text)
        XCTAssertTrue(text.contains("source det.txt:1  precision 50.00%  recall 50.00%  hmean 50.00%  missed 1  false 1"), text)
        XCTAssertFalse(text.contains("source det.txt:2"), "a perfect page is not among the worst")
        XCTAssertTrue(text.contains("det.txt:3: image 'p3.png' does not exist"), text)

        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: report.json()) as? [String: Any])
        XCTAssertEqual(json["hmean"] as? Double ?? 0, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(json["pages_scored"] as? Int, 2)
        XCTAssertEqual(json["pages_not_read"] as? Int, 1)
        XCTAssertEqual([json["ground_truth"], json["detections"], json["matched"]] as? [Int], [3, 3, 2])
        let pages = try XCTUnwrap(json["pages"] as? [[String: Any]])
        XCTAssertEqual(pages.compactMap { $0["source"] as? String }, ["det.txt:1", "det.txt:2"])
        XCTAssertEqual(pages.compactMap { $0["missed"] as? Int }, [1, 0])
        XCTAssertEqual(pages.compactMap { $0["hmean"] as? Double }, [0.5, 1])
        let worst = try XCTUnwrap(json["worst"] as? [[String: Any]])
        XCTAssertEqual(worst.compactMap { $0["false_detections"] as? Int }, [1])
        XCTAssertEqual((json["not_read"] as? [[String: Any]])?.first?["location"] as? String, "det.txt:3")

        let html = report.html()
        XCTAssertEqual(html.components(separatedBy: "data:image/png;base64,").count - 1, 1, "the one worst page, drawn")
        XCTAssertTrue(html.contains("style=\"height:480px\""))
        XCTAssertTrue(html.contains("Pages that could not be read"))
        XCTAssertTrue(report.markdown().contains("| all | 2 | 3 | 3 | 2 | 66.67% | 66.67% | 66.67% |"), report.markdown())
    }

    func testDrawingMarksMissesAndFalseDetections() throws {
        let e = try evaluation(keep: 5)
        let drawn = try XCTUnwrap(DetectionDrawing.draw(e.worst[0]))
        XCTAssertEqual([drawn.width, drawn.height], [200, 100])
        func bgr(_ x: Int, _ y: Int) -> [UInt8] { Array(drawn.pixels[(y * 200 + x) * 3..<(y * 200 + x) * 3 + 3]) }
        XCTAssertEqual(bgr(50, 50), [0, 0, 255], "the missed gt's top edge is red")
        XCTAssertEqual(bgr(150, 60), [255, 0, 255], "the false detection's top edge is magenta")
        XCTAssertEqual(bgr(50, 10), [255, 140, 0], "the matched detection is drawn over its gt")
        XCTAssertEqual(bgr(50, 20), [255, 255, 255], "inside stays as it was")
        // Wide pages are scaled down for the report, the drawing with them.
        let small = try XCTUnwrap(DetectionDrawing.draw(e.worst[0], maxWidth: 100))
        XCTAssertEqual([small.width, small.height], [100, 50])
        XCTAssertEqual(Array(small.pixels[(25 * 100 + 25) * 3..<(25 * 100 + 25) * 3 + 3]), [0, 0, 255])
    }

    func testWithoutImagesTheReportStillHasItsRows() throws {
        let report = DetectionReport(title: "no pictures", result: try evaluation(keep: 0))
        XCTAssertFalse(report.html().contains("data:image/png"))
        XCTAssertTrue(report.html().contains("det.txt:1"))
    }
}
