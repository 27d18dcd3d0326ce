import Foundation
import OCRCore
import XCTest
@testable import OCREval

/// The recognition report's per-class figures: a table in the terminal/Markdown/HTML report and
/// `char_classes` in report.json, overall and per group.
final class EvalReportClassTests: XCTestCase {
    func testReportShowsRecallPerClassOverallAndPerGroup() throws {
        var metrics = RecognitionMetrics(options: .exact)
        // print: "Due 3 Dec" read "Due 8 Dec" (letters 6/6, digit 0/1, spaces 2/2).
        metrics.add(prediction: "Due 8 Dec", groundTruth: "Due 3 Dec", group: "print")
        // script: "(42)" read "42" (digits 2/2, symbols 0/2).
        metrics.add(prediction: "42", groundTruth: "(42)", group: "script")
        let result = RecognitionEvaluator.Result(metrics: metrics, worst: [], samplesPerSecond: 1)
        let writer = EvalReport(title: "classes", result: result).writer

        let table = try XCTUnwrap(writer.tables.first { $0.title?.hasPrefix("Character recall per class") == true })
        XCTAssertEqual(table.header, ["group", "letters", "digits", "punct./symbols", "space"])
        XCTAssertEqual(table.rows[0], [.text("all"), .share(1), .share(2.0 / 3), .share(0), .share(1)])
        XCTAssertEqual(table.rows[1], [.text("print"), .share(1), .share(0), .text("-"), .share(1)])
        XCTAssertEqual(table.rows[2], [.text("script"), .text("-"), .share(1), .share(0), .text("-")])
        XCTAssertTrue(writer.terminalTable().contains("character recall per class"), writer.terminalTable())
        XCTAssertTrue(writer.markdown().contains("| script | - | 100.00% | 0.00% | - |"), writer.markdown())

        let json = try JSONSerialization.jsonObject(with: writer.json()) as! [String: Any]
        let overall = (json["overall"] as! [String: Any])["char_classes"] as! [String: [String: Any]]
        XCTAssertEqual(overall["digit"]?["characters"] as? Int, 3)
        XCTAssertEqual(overall["digit"]?["matched"] as? Int, 2)
        XCTAssertEqual(overall["symbol"]?["recall"] as? Double, 0)
        let script = ((json["groups"] as! [String: Any])["script"] as! [String: Any])["char_classes"] as! [String: [String: Any]]
        XCTAssertEqual(Set(script.keys), ["digit", "symbol"])
    }

    func testNoClassTableWithoutCharacters() {
        var metrics = RecognitionMetrics(options: .exact)
        metrics.add(prediction: "", groundTruth: "")
        let writer = EvalReport(title: "empty", result: RecognitionEvaluator.Result(metrics: metrics, worst: [], samplesPerSecond: 1)).writer
        XCTAssertNil(writer.tables.first { $0.title?.hasPrefix("Character recall") == true })
    }
}
