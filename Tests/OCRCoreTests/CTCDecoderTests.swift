import Foundation
import XCTest
@testable import OCRCore

final class CTCDecoderTests: XCTestCase {
    // Classes: 0 blank, 1 h, 2 e, 3 l, 4 o.
    let charset = try! Charset(characters: "helo")
    let C = 5

    /// One probability row: `p` on class `k`, the rest shared equally.
    func row(_ k: Int, _ p: Float) -> [Float] {
        (0..<C).map { $0 == k ? p : (1 - p) / Float(C - 1) }
    }

    func testCollapsesRepeatsAndKeepsRepeatsSeparatedByBlank() throws {
        // steps: h h e _ l l _ l o  ->  "hello"
        let steps: [(Int, Float)] = [(1, 0.9), (1, 0.5), (2, 0.8), (0, 0.9), (3, 0.7), (3, 0.6), (0, 0.95), (3, 0.9), (4, 0.6)]
        let flat = steps.flatMap { row($0.0, $0.1) }
        let r = try CTCGreedyDecoder(charset: charset).decode(flat, steps: steps.count, classes: C)
        XCTAssertEqual(r.text, "hello")
        XCTAssertEqual(r.classes, [1, 2, 3, 3, 4])
        XCTAssertEqual(r.steps, [0...1, 2...2, 4...5, 7...7, 8...8])
        // Probabilities at the first step of each kept run: h 0.9, e 0.8, l 0.7, l 0.9, o 0.6.
        XCTAssertEqual(r.probabilities, [0.9, 0.8, 0.7, 0.9, 0.6])
        // Confidence = mean = 3.9 / 5 = 0.78 (PaddleOCR: np.mean of kept max probs).
        XCTAssertEqual(r.confidence, 0.78, accuracy: 1e-6)
    }

    func testAdjacentRepeatsWithoutBlankMerge() throws {
        let flat = [row(3, 0.9), row(3, 0.9), row(3, 0.9)].flatMap { $0 }
        let r = try CTCGreedyDecoder(charset: charset).decode(flat, steps: 3, classes: C)
        XCTAssertEqual(r.text, "l")
        XCTAssertEqual(r.steps, [0...2])
    }

    func testAllBlankGivesEmptyTextAndZeroConfidence() throws {
        let flat = [row(0, 0.9), row(0, 0.8)].flatMap { $0 }
        let r = try CTCGreedyDecoder(charset: charset).decode(flat, steps: 2, classes: C)
        XCTAssertEqual(r.text, "")
        XCTAssertEqual(r.classes, [])
        XCTAssertEqual(r.confidence, 0)
        // Zero steps too.
        XCTAssertEqual(try CTCGreedyDecoder(charset: charset).decode([], steps: 0, classes: C).text, "")
    }

    func testLogitsUseSoftmaxMaxProbability() throws {
        // Row logits [0, ln 3, 0, 0, 0]: exp -> [1, 3, 1, 1, 1], max softmax = 3/7.
        // Row logits [ln 2, 0, ln 6, 0, 0]: exp -> [2, 1, 6, 1, 1], max softmax = 6/11.
        let flat: [Float] = [0, Float(log(3.0)), 0, 0, 0, Float(log(2.0)), 0, Float(log(6.0)), 0, 0]
        let r = try CTCGreedyDecoder(charset: charset, scores: .logits).decode(flat, steps: 2, classes: C)
        XCTAssertEqual(r.text, "he")
        XCTAssertEqual(r.probabilities[0], 3.0 / 7.0, accuracy: 1e-6)
        XCTAssertEqual(r.probabilities[1], 6.0 / 11.0, accuracy: 1e-6)
        XCTAssertEqual(r.confidence, Float((3.0 / 7.0 + 6.0 / 11.0) / 2), accuracy: 1e-6)
    }

    func testArgmaxTieGoesToLowerClass() throws {
        // blank and 'h' tie at 0.4: numpy.argmax picks the blank.
        let r = try CTCGreedyDecoder(charset: charset).decode([0.4, 0.4, 0.1, 0.05, 0.05], steps: 1, classes: C)
        XCTAssertEqual(r.text, "")
    }

    func testBatchDecodesEachSequence() throws {
        let a = [row(1, 0.9), row(0, 0.9), row(4, 0.9)].flatMap { $0 }   // "ho"
        let b = [row(2, 0.6), row(2, 0.6), row(3, 0.5)].flatMap { $0 }   // "el"
        let results = try CTCGreedyDecoder(charset: charset).decodeBatch(a + b, batch: 2, steps: 3, classes: C)
        XCTAssertEqual(results.map(\.text), ["ho", "el"])
        XCTAssertEqual(results[1].confidence, 0.55, accuracy: 1e-6)
    }

    func testShapeAndClassCountErrors() throws {
        let d = CTCGreedyDecoder(charset: charset)
        XCTAssertEqual(assertThrows(CTCDecodingError.self) { try d.decode([Float](repeating: 0, count: 9), steps: 2, classes: C) },
                       .shapeMismatch(count: 9, expected: 10, shape: [2, 5]))
        let e = assertThrows(CTCDecodingError.self) { try d.decode([Float](repeating: 0, count: 12), steps: 2, classes: 6) }
        XCTAssertEqual(e, .classCountMismatch(modelClasses: 6, charsetClasses: 5))
        XCTAssertTrue(e?.description.contains("use_space_char") ?? false)
        var nan = row(1, 0.9); nan[3] = .nan
        XCTAssertEqual(assertThrows(CTCDecodingError.self) { try d.decode(nan, steps: 1, classes: C) },
                       .nonFiniteScore(batch: 0, step: 0, classIndex: 3))
    }

    func testBeamSearchSumsAlignments() throws {
        // Two steps, each P(blank)=0.6, P(a)=0.4. Best path is "" (0.36), but
        // P("a") = 0.4*0.6 + 0.6*0.4 + 0.4*0.4 = 0.64.
        let cs = try Charset(characters: "a")
        let flat: [Float] = [0.6, 0.4, 0.6, 0.4]
        XCTAssertEqual(try CTCGreedyDecoder(charset: cs).decode(flat, steps: 2, classes: 2).text, "")
        let beams = try CTCBeamSearchDecoder(charset: cs, beamWidth: 4).decode(flat, steps: 2, classes: 2)
        XCTAssertEqual(beams.map(\.text), ["a", ""])
        XCTAssertEqual(beams[0].logProbability, log(0.64), accuracy: 1e-6)
        XCTAssertEqual(beams[1].logProbability, log(0.36), accuracy: 1e-6)
        // "aa" needs a blank between: impossible in 2 steps, so it never appears.
        XCTAssertFalse(beams.contains { $0.text == "aa" })
    }

    func testBeamSearchRepeatNeedsBlank() throws {
        // Three steps a, blank, a (certain): "aa". Probabilities of all labellings sum to 1.
        let cs = try Charset(characters: "a")
        let flat: [Float] = [0.1, 0.9, 0.8, 0.2, 0.1, 0.9]
        let beams = try CTCBeamSearchDecoder(charset: cs, beamWidth: 10).decode(flat, steps: 3, classes: 2)
        XCTAssertEqual(beams[0].text, "aa")
        // P("aa") = only path a,_,a = 0.9*0.8*0.9 = 0.648.
        XCTAssertEqual(exp(beams[0].logProbability), 0.648, accuracy: 1e-6)
        let total = beams.map { exp($0.logProbability) }.reduce(0, +)
        XCTAssertEqual(total, 1, accuracy: 1e-6)   // "", "a", "aa" cover every path (Float inputs)
    }

    func testBeamSearchAgreesWithGreedyOnConfidentInput() throws {
        let steps: [(Int, Float)] = [(1, 0.9), (2, 0.9), (0, 0.9), (3, 0.9), (0, 0.9), (3, 0.9), (4, 0.9)]
        let flat = steps.flatMap { row($0.0, $0.1) }
        let logits = flat.map { Float(log(Double($0))) }
        let beam = try CTCBeamSearchDecoder(charset: charset, beamWidth: 5, scores: .logits).decode(logits, steps: steps.count, classes: C)
        XCTAssertEqual(beam.first?.text, "hello")
        XCTAssertThrowsError(try CTCBeamSearchDecoder(charset: charset, beamWidth: 0))
    }
}
