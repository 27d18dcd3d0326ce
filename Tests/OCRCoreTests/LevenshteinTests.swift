import XCTest
@testable import OCRCore

final class LevenshteinTests: XCTestCase {
    func testKnownPairs() {
        XCTAssertEqual(Levenshtein.distance("kitten", "sitting"), 3)   // k->s, e->i, +g
        XCTAssertEqual(Levenshtein.distance("sitting", "kitten"), 3)
        XCTAssertEqual(Levenshtein.distance("flaw", "lawn"), 2)        // -f, +n
        XCTAssertEqual(Levenshtein.distance("abc", "abc"), 0)
        XCTAssertEqual(Levenshtein.distance("abc", "acb"), 2)          // no transpositions
    }

    func testEmptyCases() {
        XCTAssertEqual(Levenshtein.distance("", ""), 0)
        XCTAssertEqual(Levenshtein.distance("", "abc"), 3)
        XCTAssertEqual(Levenshtein.distance("abcd", ""), 4)
    }

    func testUnicodeUnits() {
        XCTAssertEqual(Levenshtein.distance("你好世界", "你好世间"), 1)
        XCTAssertEqual(Levenshtein.distance("a👨‍👩‍👧", "a"), 1)  // family emoji: one grapheme
        XCTAssertEqual(Levenshtein.distance("a👨‍👩‍👧", "a", unit: .unicodeScalar), 5)  // 3 people + 2 ZWJ
        // Precomposed vs decomposed é: equal as Characters, 2 scalar edits (e->é, -U+0301).
        XCTAssertEqual(Levenshtein.distance("cafe\u{301}", "caf\u{E9}"), 0)
        XCTAssertEqual(Levenshtein.distance("cafe\u{301}", "caf\u{E9}", unit: .unicodeScalar), 2)
    }

    func testWordDistance() {
        XCTAssertEqual(Levenshtein.wordDistance("the cat sat", "the bat sat"), 1)
        XCTAssertEqual(Levenshtein.wordDistance("  a   b ", "a b"), 0)
        XCTAssertEqual(Levenshtein.wordDistance("a b c", "a c"), 1)
        XCTAssertEqual(Levenshtein.wordDistance("", "one two"), 2)
    }

    func testAlignmentOperations() {
        let ops = Levenshtein.alignment(reference: Array("abc"), hypothesis: Array("axcd"))
        XCTAssertEqual(ops, [.match("a"), .substitution(reference: "b", hypothesis: "x"), .match("c"), .insertion("d")])
        XCTAssertEqual(Levenshtein.alignment(reference: Array("ab"), hypothesis: []), [.deletion("a"), .deletion("b")])
        XCTAssertEqual(Levenshtein.alignment(reference: [Character](), hypothesis: Array("z")), [.insertion("z")])
    }

    func testAlignmentCostEqualsDistanceOnRandomStrings() {
        var rng = SplitMix64(seed: 7)
        let alphabet = Array("abcd")
        for _ in 0..<300 {
            let a = (0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let b = (0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let ops = Levenshtein.alignment(reference: a, hypothesis: b)
            XCTAssertEqual(ops.filter(\.isError).count, Levenshtein.distance(a, b))
            // Replaying the alignment yields both strings.
            var ref = [Character](), hyp = [Character]()
            for op in ops {
                switch op {
                case .match(let c): ref.append(c); hyp.append(c)
                case .substitution(let r, let h): ref.append(r); hyp.append(h)
                case .deletion(let r): ref.append(r)
                case .insertion(let h): hyp.append(h)
                }
            }
            XCTAssertEqual(ref, a)
            XCTAssertEqual(hyp, b)
        }
    }
}
