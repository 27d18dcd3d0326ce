import Foundation
import OCRData
import OCREval
import XCTest

/// A classifier's scoring and report, without a model: `ClassificationEvaluator` on hand-made
/// batches and probabilities, then `ClassificationReport` through the shared writer.
final class ClassificationReportTests: XCTestCase {
    /// A batch of `texts` (labels), 1 x 2 x 2 pixels each; entry i has the gray value i / 10.
    func batch(_ texts: [String], group: String, first: Int) -> LineBatch {
        LineBatch(pixels: texts.indices.flatMap { i in [Float](repeating: Float(first + i) / 10, count: 3 * 2 * 2) },
                  batch: texts.count, channels: 3, height: 2, width: 2, labels: [], texts: texts,
                  sources: texts.indices.map { "eval.txt:\(first + $0 + 1)" }, groups: Array(repeating: group, count: texts.count),
                  validWidths: Array(repeating: 2, count: texts.count))
    }

    func evaluate(_ batches: [LineBatch], probabilities: [[Float]], keep: Int) throws -> ClassificationEvaluation {
        var queue = batches, rows = probabilities[...]
        return try ClassificationEvaluator(labels: .angles, keepWorstImages: keep).evaluate(next: { queue.isEmpty ? nil : queue.removeFirst() }) { b in
            defer { rows = rows.dropFirst(b.batch) }
            return rows.prefix(b.batch).flatMap { $0 }
        }
    }

    func testScoresMissesGroupsAndReport() throws {
        let empty = batch([], group: "a", first: 0)
        let batches = [batch(["0", "0", "180"], group: "a", first: 0), empty, batch(["180", "0", "180"], group: "b", first: 3)]
        // Predicted: 0, 180 (p .9, wrong), 180 | 0 (p .6, wrong), 180 (p .7, wrong), 180.
        let probs: [[Float]] = [[0.8, 0.2], [0.1, 0.9], [0.3, 0.7], [0.6, 0.4], [0.3, 0.7], [0.2, 0.8]]
        let r = try evaluate(batches, probabilities: probs, keep: 2)
        XCTAssertEqual(r.samples, 6, "the empty batch is passed over")
        XCTAssertEqual(r.confusion, [[1, 2], [1, 2]])
        XCTAssertEqual(r.accuracy, 0.5, accuracy: 1e-12)
        XCTAssertEqual(r.recall(1), 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(r.groups["a"], [[1, 1], [0, 1]])
        XCTAssertEqual(r.groups["b"], [[0, 1], [1, 1]])
        XCTAssertEqual(r.misses.map(\.source), ["eval.txt:2", "eval.txt:5", "eval.txt:4"], "most confidently wrong first")
        XCTAssertEqual(r.misses.map(\.predicted), ["180", "180", "0"])
        XCTAssertEqual(r.misses.map { $0.image != nil }, [true, true, false], "images for the keepWorstImages = 2 first")
        // Entry 1 of the first batch has the value 0.1 -> (0.1 * 0.5 + 0.5) * 255 = 140.25.
        XCTAssertEqual(r.misses[0].image?.pixels, [UInt8](repeating: 140, count: 2 * 2 * 3))
        XCTAssertEqual(r.table.summaryLine, "acc 50.00%, recall_0 33.33%, recall_180 66.67%, samples 6")

        var report = ClassificationReport(title: "cls fixture", result: r)
        report.worstCount = 2
        let text = report.terminalTable()
        XCTAssertTrue(text.contains("6 lines scored, 0 could not be read\naccuracy 50.00%"), text)
        let cells = text.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        for row in [["group", "lines", "acc", "recall", "0", "recall", "180"], ["all", "6", "50.00%", "33.33%", "66.67%"],
                    ["a", "3", "66.67%", "50.00%", "100.00%"], ["0", "1", "2"], ["180", "1", "2"]] {
            XCTAssertTrue(cells.contains(row), "terminal lacks \(row):\n\(text)")
        }
        XCTAssertTrue(text.contains(#"truth "0"  predicted "180"  confidence 0.900  source eval.txt:2"#), text)
        XCTAssertFalse(text.contains("eval.txt:4"), "worstCount = 2")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: report.json()) as? [String: Any])
        XCTAssertEqual((json["confusion"] as? [String: Any])?["matrix"] as? [[Int]], [[1, 2], [1, 2]])
        XCTAssertEqual((json["recall"] as? [String: Double])?["180"] ?? 0, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(json["lines_scored"] as? Int, 6)
        XCTAssertEqual((json["worst"] as? [[String: Any]])?.compactMap { $0["source"] as? String }, ["eval.txt:2", "eval.txt:5"])
        XCTAssertEqual(report.html().components(separatedBy: "data:image/png;base64,").count - 1, 2)
    }

    func testRecallOfAClassWithoutSamplesIsShownAsMissingNotZero() throws {
        let r = try evaluate([batch(["0", "0"], group: "a", first: 0)], probabilities: [[0.9, 0.1], [0.2, 0.8]], keep: 0)
        let report = ClassificationReport(title: "only upright lines", result: r)
        let cells = report.terminalTable().split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        XCTAssertTrue(cells.contains(["all", "2", "50.00%", "50.00%", "-"]), report.terminalTable())
        let recall = try XCTUnwrap((JSONSerialization.jsonObject(with: report.json()) as? [String: Any])?["recall"] as? [String: Any])
        XCTAssertEqual(recall["0"] as? Double, 0.5)
        XCTAssertTrue(recall["180"] is NSNull, "\(recall)")
    }

    func testBadLabelsAndShortOutputsAreErrors() throws {
        XCTAssertThrowsError(try evaluate([batch(["0", "90"], group: "a", first: 0)], probabilities: [[1, 0], [1, 0]], keep: 0)) { e in
            XCTAssertTrue("\(e)".contains("eval.txt:2") && "\(e)".contains("'90'"), "\(e)")
        }
        XCTAssertThrowsError(try evaluate([batch(["0", "180"], group: "a", first: 0)], probabilities: [[1, 0]], keep: 0)) { e in
            XCTAssertTrue("\(e)".contains("2 probabilities for a batch of 2"), "\(e)")
        }
    }
}
