import Foundation
import XCTest
@testable import OCRCore

/// Character recall per class, from the alignment RecognitionMetrics already makes; every
/// expected number is counted by hand in the comments.
final class CharacterClassRecallTests: XCTestCase {
    func testClassesOfCharacters() {
        XCTAssertEqual("aZé".map(CharacterClass.init), [.letter, .letter, .letter])
        XCTAssertEqual("07".map(CharacterClass.init), [.digit, .digit])
        XCTAssertEqual("$,.()[]\"'%-/#:".map(CharacterClass.init), Array(repeating: .symbol, count: 14))
        XCTAssertEqual(" \t".map(CharacterClass.init), [.space, .space])
    }

    func testRecallPerClassOfOneLine() {
        // truth "Total: $12.50" read as "Tota1: $12,5":
        //   letters T o t a l -> 4 matched (l read as 1);  digits 1 2 5 0 -> 3 matched (0 missed);
        //   symbols : $ . -> 2 matched (. read as ,);  space -> matched.
        var m = RecognitionMetrics(options: .exact)
        m.add(prediction: "Tota1: $12,5", groundTruth: "Total: $12.50")
        let r = m.overall.characterClasses
        XCTAssertEqual(r.characters, [.letter: 5, .digit: 4, .symbol: 3, .space: 1])
        XCTAssertEqual(r.matched, [.letter: 4, .digit: 3, .symbol: 2, .space: 1])
        XCTAssertEqual(r.recall(.letter)!, 0.8, accuracy: 1e-12)
        XCTAssertEqual(r.recall(.digit)!, 0.75, accuracy: 1e-12)
        XCTAssertEqual(r.recall(.symbol)!, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(r.recall(.space)!, 1)
        // The classes add up to the character accuracy's counts.
        XCTAssertEqual(r.matched.values.reduce(0, +), m.overall.matchedCharacters)
        XCTAssertEqual(r.characters.values.reduce(0, +), m.overall.groundTruthCharacters)
    }

    func testInsertionsCountNowhereAndSpacesFollowIgnoreSpace() {
        // "(AB)" read as "((AB)) x": the extra characters are insertions: every truth character matched.
        var m = RecognitionMetrics(options: .exact)
        m.add(prediction: "((AB)) x", groundTruth: "(AB)")
        XCTAssertEqual(m.overall.characterClasses.recall(.symbol), 1)
        XCTAssertEqual(m.overall.characterClasses.recall(.letter), 1)
        XCTAssertNil(m.overall.characterClasses.recall(.digit), "no digits in the truth: no figure, not 0")
        // PaddleOCR's default removes spaces before aligning: no space figure.
        var p = RecognitionMetrics(options: .paddleOCR)
        p.add(prediction: "a b", groundTruth: "a b")
        XCTAssertNil(p.overall.characterClasses.recall(.space))
        XCTAssertEqual(p.overall.characterClasses.characters, [.letter: 2])
    }

    func testGroupsMergeAndJSONRoundTrip() throws {
        // group x: "ab1" read "ab7" (letters 2/2, digits 0/1); group y: "9!" read "9" (digit 1/1, symbol 0/1).
        var a = RecognitionMetrics(options: .exact), b = RecognitionMetrics(options: .exact)
        a.add(prediction: "ab7", groundTruth: "ab1", group: "x")
        b.add(prediction: "9", groundTruth: "9!", group: "y")
        a.merge(b)
        XCTAssertEqual(a.groups["x"]!.characterClasses.recall(.digit), 0)
        XCTAssertEqual(a.groups["y"]!.characterClasses.recall(.digit), 1)
        XCTAssertEqual(a.overall.characterClasses.recall(.digit), 0.5)   // 1 of 2
        XCTAssertEqual(a.overall.characterClasses.recall(.symbol), 0)    // 0 of 1
        XCTAssertEqual(a.overall.characterClasses.recall(.letter), 1)    // 2 of 2

        let data = try JSONEncoder().encode(a.overall)
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let classes = json["characterClasses"] as! [String: [String: Any]]
        XCTAssertEqual(Set(classes.keys), ["letter", "digit", "symbol"])
        XCTAssertEqual(classes["digit"]?["characters"] as? Int, 2)
        XCTAssertEqual(classes["digit"]?["matched"] as? Int, 1)
        XCTAssertEqual(classes["digit"]?["recall"] as? Double, 0.5)
        XCTAssertEqual(try JSONDecoder().decode(RecognitionMetrics.Summary.self, from: data), a.overall)

        // A summary written before the per-class figures still reads (no classes).
        var old = json
        old.removeValue(forKey: "characterClasses")
        let decoded = try JSONDecoder().decode(RecognitionMetrics.Summary.self, from: JSONSerialization.data(withJSONObject: old))
        XCTAssertEqual(decoded.characterClasses, CharacterClassRecall())
        // An unknown class is an error naming it.
        let bad = Data(#"{"vowel": {"characters": 1, "matched": 1}}"#.utf8)
        XCTAssertThrowsError(try JSONDecoder().decode(CharacterClassRecall.self, from: bad)) { error in
            XCTAssertTrue("\(error)".contains("vowel"), "\(error)")
        }
        let impossible = Data(#"{"digit": {"characters": 1, "matched": 2}}"#.utf8)
        XCTAssertThrowsError(try JSONDecoder().decode(CharacterClassRecall.self, from: impossible)) { error in
            XCTAssertTrue("\(error)".contains("'digit': matched 2"), "\(error)")
        }
    }
}
