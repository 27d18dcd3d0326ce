import Foundation
import XCTest
@testable import OCRCore

final class RecognitionMetricsTests: XCTestCase {
    /// Five hand-scored lines (options .exact, grapheme units):
    ///
    /// | # | gt      | pred    | ed | norm ed   | gt chars | matched | word ed | group |
    /// |---|---------|---------|----|-----------|----------|---------|---------|-------|
    /// | 1 | hello   | hello   | 0  | 0         | 5        | 5       | 0       | A     |
    /// | 2 | World   | world   | 1  | 1/5 = .2  | 5        | 4       | 1       | A     |
    /// | 3 | cat     | cut     | 1  | 1/3       | 3        | 2       | 1       | A     |
    /// | 4 | abc     | (empty) | 3  | 3/3 = 1   | 3        | 0       | 1       | B     |
    /// | 5 | ab      | abxy    | 2  | 2/4 = .5  | 2        | 2       | 1       | B     |
    func handScored(worst: Int = 3) -> RecognitionMetrics {
        var m = RecognitionMetrics(options: .init(ignoreSpace: false, worstSampleCount: worst))
        m.add(prediction: "hello", groundTruth: "hello", group: "A", id: "1")
        m.add(prediction: "world", groundTruth: "World", group: "A", id: "2")
        m.add(prediction: "cut", groundTruth: "cat", group: "A", id: "3")
        m.add(prediction: "", groundTruth: "abc", group: "B", id: "4")
        m.add(prediction: "abxy", groundTruth: "ab", group: "B", id: "5")
        return m
    }

    func testOverallMetricsOnHandScoredSet() {
        let s = handScored().overall
        XCTAssertEqual(s.samples, 5)
        XCTAssertEqual(s.lineAccuracy, 1.0 / 5, accuracy: 1e-12)                 // only #1
        XCTAssertEqual(s.caseInsensitiveLineAccuracy, 2.0 / 5, accuracy: 1e-12)  // #1, #2
        // NED = 1 - (0 + .2 + 1/3 + 1 + .5) / 5 = 1 - 2.0333../5 = 0.593333...
        XCTAssertEqual(s.normalizedEditDistance, 1 - (0.2 + 1.0 / 3 + 1 + 0.5) / 5, accuracy: 1e-12)
        XCTAssertEqual(s.normalizedEditDistance, 0.5933333333, accuracy: 1e-9)
        // CER = (0+1+1+3+2) / (5+5+3+3+2) = 7/18.
        XCTAssertEqual(s.characterEdits, 7)
        XCTAssertEqual(s.groundTruthCharacters, 18)
        XCTAssertEqual(s.characterErrorRate, 7.0 / 18, accuracy: 1e-12)
        // Character accuracy = matched / gt chars = (5+4+2+0+2)/18 = 13/18.
        XCTAssertEqual(s.characterAccuracy, 13.0 / 18, accuracy: 1e-12)
        // WER: one word per line, 4 of 5 wrong.
        XCTAssertEqual(s.wordErrorRate, 4.0 / 5, accuracy: 1e-12)
        XCTAssertEqual(s.predictedCharacters, 5 + 5 + 3 + 0 + 4)
    }

    func testPerGroupBreakdown() {
        let m = handScored()
        XCTAssertEqual(m.groupKeys, ["A", "B"])
        let a = m.groups["A"]!, b = m.groups["B"]!
        XCTAssertEqual(a.samples, 3)
        XCTAssertEqual(a.lineAccuracy, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(a.characterErrorRate, 2.0 / 13, accuracy: 1e-12)      // (0+1+1)/(5+5+3)
        XCTAssertEqual(b.characterErrorRate, 5.0 / 5, accuracy: 1e-12)       // (3+2)/(3+2)
        XCTAssertEqual(b.characterAccuracy, 2.0 / 5, accuracy: 1e-12)
        XCTAssertEqual(b.normalizedEditDistance, 1 - (1 + 0.5) / 2, accuracy: 1e-12)
    }

    func testConfusions() {
        let c = handScored().confusions
        XCTAssertEqual(c.substitutions, [.init(groundTruth: "W", prediction: "w"): 1, .init(groundTruth: "a", prediction: "u"): 1])
        XCTAssertEqual(c.deletions, ["a": 1, "b": 1, "c": 1])
        XCTAssertEqual(c.insertions, ["x": 1, "y": 1])
        XCTAssertEqual(c.topSubstitutions(1).first?.pair, .init(groundTruth: "W", prediction: "w"))  // tie: "W" < "a"
    }

    func testConfusionCountsAccumulate() {
        var m = RecognitionMetrics(options: .exact)
        m.add(prediction: "0O0", groundTruth: "000")
        m.add(prediction: "O", groundTruth: "0")
        m.add(prediction: "l1", groundTruth: "11")
        let top = m.confusions.topSubstitutions(2)
        XCTAssertEqual(top.map(\.pair), [.init(groundTruth: "0", prediction: "O"), .init(groundTruth: "1", prediction: "l")])
        XCTAssertEqual(top.map(\.count), [2, 1])
    }

    func testWorstSamplesByEditDistance() {
        let worst = handScored(worst: 3).worstSamples
        // ed 3 (#4), ed 2 (#5), then the ed-1 tie broken by normalised ed: #3 (1/3) before #2 (1/5).
        XCTAssertEqual(worst.map(\.id), ["4", "5", "3"])
        XCTAssertEqual(worst.map(\.editDistance), [3, 2, 1])
        XCTAssertEqual(worst[0].group, "B")
        // Correct lines are never listed, even with room left.
        XCTAssertEqual(handScored(worst: 10).worstSamples.count, 4)
    }

    func testPaddleOCRDefaultsIgnoreSpaces() {
        var paddle = RecognitionMetrics()            // .paddleOCR: ignore_space = True
        var exact = RecognitionMetrics(options: .exact)
        paddle.add(prediction: "ab", groundTruth: "a b")
        exact.add(prediction: "ab", groundTruth: "a b")
        XCTAssertEqual(paddle.overall.lineAccuracy, 1)
        XCTAssertEqual(paddle.overall.characterErrorRate, 0)
        XCTAssertEqual(exact.overall.lineAccuracy, 0)
        XCTAssertEqual(exact.overall.characterErrorRate, 1.0 / 3, accuracy: 1e-12)  // one deleted space of 3 chars
        // WER uses the words before space removal: [a, b] vs [ab] = 2 edits / 2 words.
        XCTAssertEqual(paddle.overall.wordErrorRate, 1)
    }

    func testAlphanumericFilterAsPaddleIsFilter() {
        var m = RecognitionMetrics(options: .init(ignoreSpace: true, alphanumericOnly: true))
        m.add(prediction: "hello world", groundTruth: "Hello, World!")
        XCTAssertEqual(m.overall.lineAccuracy, 1)
        XCTAssertEqual(m.overall.wordErrorRate, 0)
    }

    func testScalarUnitMatchesPaddleCounting() {
        // "é" decomposed in the prediction: equal as graphemes, 2 scalar edits vs precomposed.
        var chars = RecognitionMetrics(options: .exact)
        var scalars = RecognitionMetrics(options: .init(ignoreSpace: false, unit: .unicodeScalar))
        chars.add(prediction: "cafe\u{301}", groundTruth: "caf\u{E9}")
        scalars.add(prediction: "cafe\u{301}", groundTruth: "caf\u{E9}")
        XCTAssertEqual(chars.overall.characterEdits, 0)
        XCTAssertEqual(scalars.overall.characterEdits, 2)
        // norm ed = 2 / max(5, 4) = 0.4
        XCTAssertEqual(scalars.overall.normalizedEditDistance, 0.6, accuracy: 1e-12)
    }

    func testEmptyAccumulatorAndEmptyStrings() {
        let empty = RecognitionMetrics()
        XCTAssertEqual(empty.overall.lineAccuracy, 0)
        XCTAssertEqual(empty.overall.normalizedEditDistance, 0)
        XCTAssertEqual(empty.overall.characterErrorRate, 0)
        var m = RecognitionMetrics(options: .exact)
        m.add(prediction: "", groundTruth: "")
        XCTAssertEqual(m.overall.lineAccuracy, 1)
        XCTAssertEqual(m.overall.normalizedEditDistance, 1)   // ed 0 / max(0,0,1)
        XCTAssertEqual(m.overall.characterErrorRate, 0)
        m.add(prediction: "ab", groundTruth: "")
        XCTAssertEqual(m.overall.characterErrorRate, 2)       // 2 insertions against 0 gt chars: 2/max(0,1)
    }

    func testMergeEqualsSinglePass() {
        let whole = handScored(worst: 5)
        var first = RecognitionMetrics(options: .init(ignoreSpace: false, worstSampleCount: 5))
        var second = first
        first.add(prediction: "hello", groundTruth: "hello", group: "A", id: "1")
        first.add(prediction: "world", groundTruth: "World", group: "A", id: "2")
        second.add(prediction: "cut", groundTruth: "cat", group: "A", id: "3")
        second.add(prediction: "", groundTruth: "abc", group: "B", id: "4")
        second.add(prediction: "abxy", groundTruth: "ab", group: "B", id: "5")
        first.merge(second)
        XCTAssertEqual(first.overall, whole.overall)
        XCTAssertEqual(first.groups, whole.groups)
        XCTAssertEqual(first.confusions, whole.confusions)
        XCTAssertEqual(first.worstSamples, whole.worstSamples)
    }

    func testSummaryJSONCarriesRatesAndRoundTrips() throws {
        let s = handScored().overall
        let json = try JSONEncoder().encode(s)
        let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        XCTAssertEqual(object?["characterErrorRate"] as? Double ?? -1, 7.0 / 18, accuracy: 1e-12)
        XCTAssertEqual(object?["lineAccuracy"] as? Double ?? -1, 0.2, accuracy: 1e-12)
        XCTAssertEqual(try JSONDecoder().decode(RecognitionMetrics.Summary.self, from: json), s)
    }
}
