import OCREval
import XCTest

/// The arg-max scoring that in-training evaluation and the evaluation of exported classifiers
/// share: plain Swift on score rows.
final class ClassificationEvaluationTests: XCTestCase {
    func testArgMaxConfusionRecallAndMisses() throws {
        var e = ClassificationEvaluation(labels: ["0", "180"])
        // rows: right "0", right "180", wrong (truth "0", predicted "180" at 0.9), a tie (first class wins)
        try e.add(scores: [0.8, 0.2, 0.3, 0.7, 0.1, 0.9, 0.5, 0.5], truths: [0, 1, 0, 1], sources: ["a", "b", "c", "d"])
        XCTAssertEqual(e.confusion, [[1, 1], [1, 1]])
        XCTAssertEqual(e.samples, 4)
        XCTAssertEqual(e.accuracy, 0.5)
        XCTAssertEqual(e.misses.map(\.source), ["c", "d"], "most confident miss first")
        XCTAssertEqual(e.misses.first?.predicted, "180")
        XCTAssertEqual(e.misses.first?.confidence, 0.9)
        XCTAssertEqual(e.table["recall_0"], 0.5)
        XCTAssertEqual(e.table["samples"], 4)
        XCTAssertEqual(e.table.main, "acc")
    }

    func testRowsThatDoNotFitAreErrors() throws {
        var e = ClassificationEvaluation(labels: ["0", "180"])
        XCTAssertThrowsError(try e.add(scores: [0.5, 0.5, 0.5], truths: [0, 1], sources: ["a", "b"])) {
            XCTAssertTrue("\($0)".contains("3 scores"), "\($0)")
        }
        XCTAssertThrowsError(try e.add(scores: [0.5, 0.5], truths: [2], sources: ["a.png"])) {
            XCTAssertTrue("\($0)".contains("a.png: class 2"), "\($0)")
        }
        XCTAssertEqual(e.samples, 0)
    }
}
