import Foundation
import XCTest
@testable import OCRData

/// LineTextGenerator: the realistic benchmark's line texts.
final class LineTextGeneratorTests: XCTestCase {
    static let words = ["invoice", "total", "Aaron's", "well-known", "paid", "Monday", "receipt", "order",
                        "street", "amount", "due", "balance", "customer", "delivery", "signature"]

    func testLinesAreDeterministicAndInRange() throws {
        let g = try LineTextGenerator(words: Self.words)
        let a = g.lines(count: 3000, seed: 7), b = g.lines(count: 3000, seed: 7)
        XCTAssertEqual(a, b)
        XCTAssertEqual(g.line(at: 1234, seed: 7), a[1234])  // a pure function of (seed, index)
        XCTAssertNotEqual(a, g.lines(count: 3000, seed: 8))
        for line in a {
            XCTAssertTrue((5...50).contains(line.count), "\(line.count): \(line)")
            XCTAssertEqual(line, line.trimmingCharacters(in: .whitespaces), line)
            XCTAssertFalse(line.contains("  "), line)
            XCTAssertTrue(line.unicodeScalars.allSatisfy { $0.value >= 32 && $0.value < 127 }, line)
        }
        // 38% of the lines are long (30+ characters), the rest shorter.
        let long = Double(a.filter { $0.count >= 30 }.count) / Double(a.count)
        XCTAssertEqual(long, 0.38, accuracy: 0.04, "share of 30+ character lines")
        // 15% in capitals throughout, plus those that are by chance (codes, upper-case words).
        func capitals(_ lines: [String]) -> Double {
            Double(lines.filter { $0 == $0.uppercased() }.count) / Double(lines.count)
        }
        let byChance = capitals(try LineTextGenerator(words: Self.words, capsShare: 0).lines(count: 3000, seed: 7))
        XCTAssertEqual(capitals(a), byChance + 0.15 * (1 - byChance), accuracy: 0.03, "share of lines in capitals")
        XCTAssertEqual(capitals(try LineTextGenerator(words: Self.words, capsShare: 1).lines(count: 300, seed: 7)), 1)
        XCTAssertGreaterThan(a.filter { $0.count <= 12 }.count, 100)
    }

    func testLinesMixTheCharacterKinds() throws {
        let lines = try LineTextGenerator(words: Self.words).lines(count: 2000, seed: 1)
        func share(_ pattern: String) -> Double {
            let re = try! NSRegularExpression(pattern: pattern)
            let hits = lines.filter { re.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }
            return Double(hits.count) / Double(lines.count)
        }
        // Every kind shows up in a fair share of the lines.
        let kinds: [(String, String)] = [
            ("a price", #"\$[0-9,]+\.[0-9]{2}|[0-9.]+,[0-9]{2} EUR|EUR [0-9.]+,[0-9]{2}"#),
            ("an ISO date", #"(19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]"#), ("a d/m/y date", #"[0-3][0-9]/[01][0-9]/[12][0-9]{3}"#),
            ("a month name", #"[0-9]{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4}"#),
            ("a time", #"[0-9]{1,2}:[0-5][0-9]"#), ("an invoice code", #"[A-Z]{2,3}-20[0-9]{2}-[0-9]{5}"#),
            ("a phone number", #"\([0-9]{3}\) [0-9]{3}-[0-9]{4}|\+[0-9]{1,2} [0-9]"#), ("a percentage", #"[0-9]%"#),
            ("round brackets", #"\([^)]+\)"#), ("square brackets", #"\[[^\]]+\]"#), ("quotes", #""[^"]+"|'[^']+'"#),
            ("an UPPER CASE word", #"\b[A-Z]{4,}\b"#), ("a Title Case word", #"\b[A-Z][a-z]{3,}\b"#),
            ("a lower case word", #"\b[a-z]{4,}\b"#), ("sentence punctuation", #"[a-z][,.;:!?]( |$)"#),
        ]
        for (name, pattern) in kinds {
            XCTAssertGreaterThan(share(pattern), 0.01, "\(name) (\(pattern)) in too few lines")
        }
        let digits = lines.reduce(0) { $0 + $1.filter(\.isNumber).count }
        let letters = lines.reduce(0) { $0 + $1.filter(\.isLetter).count }
        XCTAssertGreaterThan(Double(digits) / Double(letters), 0.15, "digits are a minority, but not a rare one")
    }

    func testWordsComeOnlyFromTheGivenList() throws {
        let g = try LineTextGenerator(words: ["alpha", "12345", "x.y", "beta", "(gamma)"], capsShare: 0)
        XCTAssertEqual(g.words, ["alpha", "beta"])  // tokens that are not words are left out
        XCTAssertEqual(try LineTextGenerator(words: ["o'clock", "Aaron's", "well-known", "-x", "y-"]).words,
                       ["o'clock", "well-known"])  // possessives too
        let vocabulary: Set<String> = ["alpha", "beta"]
        for line in g.lines(count: 300, seed: 3) {
            for token in line.split(separator: " ") {
                let core = token.trimmingCharacters(in: CharacterSet(charactersIn: "()[]\"',.;:!?"))
                guard core.allSatisfy(\.isLetter), core.count > 3 else { continue }
                // The only letter runs of 4+ that are not month names or fixed codes are the words.
                if ["EUR", "USD", "SKU"].contains(core) || LineTextGeneratorTests.months.contains(core) { continue }
                XCTAssertTrue(vocabulary.contains(core.lowercased()), "\(core) in \(line)")
            }
        }
    }

    static let months: Set<String> = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    func testBadSettingsAreRefusedWithTheReason() throws {
        XCTAssertThrowsError(try LineTextGenerator(words: ["123", "4.5"])) { XCTAssertTrue("\($0)".contains("no usable words"), "\($0)") }
        XCTAssertThrowsError(try LineTextGenerator(words: Self.words, lengths: 3...50)) { XCTAssertTrue("\($0)".contains("5 or more"), "\($0)") }
        XCTAssertThrowsError(try LineTextGenerator(words: Self.words, lengths: 5...30, longFrom: 40)) { XCTAssertTrue("\($0)".contains("long_from 40"), "\($0)") }
        XCTAssertThrowsError(try LineTextGenerator(words: Self.words, longShare: 1.5)) { XCTAssertTrue("\($0)".contains("long_share"), "\($0)") }
        XCTAssertThrowsError(try LineTextGenerator(words: Self.words, capsShare: -0.1)) { XCTAssertTrue("\($0)".contains("caps_share"), "\($0)") }
        XCTAssertThrowsError(try LineTextGenerator(wordsFile: "/nonexistent/words.txt")) { XCTAssertTrue("\($0)".contains("/nonexistent/words.txt"), "\($0)") }
    }

    func testShortRangesStillHoldEveryLine() throws {
        // Lengths 5...8 leave little room: lines that long tokens miss are topped up with a number.
        let g = try LineTextGenerator(words: ["extraordinarily"], lengths: 5...8, longShare: 0.5, longFrom: 7)
        for line in g.lines(count: 500, seed: 2) {
            XCTAssertTrue((5...8).contains(line.count), "\(line.count): \(line)")
        }
    }
}
