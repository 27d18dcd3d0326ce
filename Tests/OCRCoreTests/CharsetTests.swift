import XCTest
@testable import OCRCore

final class CharsetTests: XCTestCase {
    func testLoadsDictionaryFileWithSpaceLineAndTrailingNewline() throws {
        let dir = try TemporaryDirectory()
        // Line 3 is a single space: a character like any other.
        let path = try dir.write("dict.txt", "a\nb\n \nc\n")
        let cs = try Charset(contentsOf: path, useSpaceChar: false)
        XCTAssertEqual(cs.characters, ["a", "b", " ", "c"])
        XCTAssertEqual(cs.classCount, 5)   // blank + 4
        XCTAssertEqual(cs.dictionaryCount, 4)
        XCTAssertEqual(cs.encode("ab c").classes, [1, 2, 3, 4])
        XCTAssertEqual(cs.source, path)
    }

    func testUseSpaceCharAppendsSpaceAsLastClass() throws {
        let cs = try Charset(dictionaryText: "a\nb\n", useSpaceChar: true)
        XCTAssertEqual(cs.characters, ["a", "b", " "])
        XCTAssertEqual(cs.classCount, 4)
        XCTAssertEqual(cs.dictionaryCount, 2)
        XCTAssertEqual(cs.encode("a b").classes, [1, 3, 2])
        XCTAssertEqual(try cs.decode([1, 3, 2]), "a b")
    }

    func testWithoutUseSpaceCharSpaceIsOutsideCharset() throws {
        let cs = try Charset(dictionaryText: "a\nb\n", useSpaceChar: false)
        let e = cs.encode("a b")
        XCTAssertEqual(e.classes, [1, 2])
        XCTAssertEqual(e.unknown, [" "])
        XCTAssertFalse(e.isComplete)
    }

    func testSpaceInDictionaryAndUseSpaceCharKeepsPaddleLayout() throws {
        // PaddleOCR appends a second space class and maps " " to the appended (last) one.
        let cs = try Charset(dictionaryText: "a\n \n", useSpaceChar: true)
        XCTAssertEqual(cs.classCount, 4)
        XCTAssertEqual(cs.encode(" ").classes, [3])
        XCTAssertEqual(try cs.decode([2]), " ")
    }

    func testDuplicatesAreReportedWithAllLineNumbers() throws {
        let e = assertThrows(CharsetError.self) { try Charset(dictionaryText: "a\nb\na\nc\nb\na\n", source: "d.txt", useSpaceChar: false) }
        XCTAssertEqual(e?.problems, [.duplicate(character: "a", lines: [1, 3, 6]), .duplicate(character: "b", lines: [2, 5])])
        let message = e?.description ?? ""
        XCTAssertTrue(message.contains("d.txt"), message)
        XCTAssertTrue(message.contains("lines 1, 3, 6"), message)
        XCTAssertTrue(message.contains("lines 2, 5"), message)
    }

    func testCanonicallyEquivalentButDifferentlySpeltLinesAreDistinctClasses() throws {
        // U+00E9 and e + U+0301 are the same Character in Swift but two code point sequences, as in Python.
        let cs = try Charset(dictionaryText: "\u{E9}\ne\u{301}\n", useSpaceChar: false)
        XCTAssertEqual(cs.classCount, 3)
        XCTAssertEqual(cs.encode("e\u{301}\u{E9}").classes, [2, 1])
        XCTAssertEqual(try cs.decode([2, 1]).unicodeScalars.map(\.value), [0x65, 0x301, 0xE9])
        // Exactly repeated scalars are still duplicates.
        let e = assertThrows(CharsetError.self) { try Charset(dictionaryText: "\u{E9}\ne\u{301}\n\u{E9}\n", useSpaceChar: false) }
        XCTAssertEqual(e?.problems, [.duplicate(character: "\u{E9}", lines: [1, 3])])
    }

    /// PaddleOCR's ppocr_keys_v1.txt lists U+90CE (line 4974) and U+F92C (line 5930), U+51C9 and
    /// U+F979: equal as Swift Characters, distinct code points. Each is its own class both ways.
    func testCJKCompatibilityIdeographsAreDistinctClasses() throws {
        let c = try Charset(dictionaryText: "\u{90CE}\nb\n\u{F92C}\n\u{51C9}\n\u{F979}\n", useSpaceChar: true)
        XCTAssertEqual(c.classCount, 7)
        let text = "\u{F92C}b\u{90CE} \u{F979}\u{51C9}"
        XCTAssertEqual(c.encode(text).classes, [3, 2, 1, 6, 5, 4])
        XCTAssertEqual(try c.decode(c.encode(text).classes).unicodeScalars.map(\.value), text.unicodeScalars.map(\.value))
        XCTAssertEqual(c.classIndex(of: "\u{90CE}"), 1)
        XCTAssertEqual(c.classIndex(of: "\u{F92C}"), 3)
        XCTAssertEqual(c.character(forClass: 3).map { String($0).unicodeScalars.map(\.value) }, [0xF92C])
        // A form the dictionary lacks falls back to its canonical equivalent.
        let unified = try Charset(dictionaryText: "\u{90CE}\n", useSpaceChar: false)
        XCTAssertEqual(unified.encode("\u{F92C}").classes, [1])
        XCTAssertNil(unified.classIndex(of: "\u{F92C}"))
    }

    /// Charsets differing only in the spelling of one class are different class lists.
    func testEqualityAndFingerprintCompareScalars() throws {
        let a = try Charset(dictionaryText: "\u{90CE}\nb\n", useSpaceChar: false)
        let b = try Charset(dictionaryText: "\u{F92C}\nb\n", useSpaceChar: false)
        XCTAssertNotEqual(a, b)
        XCTAssertNotEqual(a.fingerprint, b.fingerprint)
        XCTAssertEqual(a, try Charset(dictionaryText: a.dictionaryText, useSpaceChar: false))
    }

    /// A trained model's dictionary keeps every line as a class, even an exact repeat; a repeated
    /// character encodes to its last class, as PaddleOCR's lookup table does.
    func testKeepingDuplicatesKeepsEveryLineAsAClass() throws {
        let c = try Charset(dictionaryText: "a\nb\na\n", useSpaceChar: true, keepingDuplicates: true)
        XCTAssertEqual(c.classCount, 5)
        XCTAssertEqual(c.encode("ab").classes, [3, 2])
        XCTAssertEqual(try c.decode([1, 3]), "aa")
        XCTAssertNotNil(assertThrows(CharsetError.self) { try Charset(dictionaryText: "a\nb\na\n", useSpaceChar: false) })
    }

    func testEmptyDictionaryAndEmptyLinesAreErrors() throws {
        XCTAssertEqual(assertThrows(CharsetError.self) { try Charset(dictionaryText: "", useSpaceChar: true) }?.problems, [.empty])
        // "a\n\nb\n": line 2 is empty. A final newline does not make an empty line.
        XCTAssertEqual(assertThrows(CharsetError.self) { try Charset(dictionaryText: "a\n\nb\n", useSpaceChar: false) }?.problems,
                       [.emptyLine(line: 2)])
        XCTAssertEqual(assertThrows(CharsetError.self) { try Charset(dictionaryText: "a\nb\n\n", useSpaceChar: false) }?.problems,
                       [.emptyLine(line: 3)])
    }

    func testLineWithSeveralCharactersIsAnError() throws {
        let e = assertThrows(CharsetError.self) { try Charset(dictionaryText: "a\nab\nc \n", useSpaceChar: false) }
        XCTAssertEqual(e?.problems, [.severalCharacters(line: 2, text: "ab"), .severalCharacters(line: 3, text: "c ")])
    }

    func testMissingFileNamesThePath() throws {
        let path = "/nonexistent/dir/ppocr_keys_v1.txt"
        let e = assertThrows(FileReadError.self) { try Charset(contentsOf: path, useSpaceChar: false) }
        XCTAssertEqual(e, .notFound(path: path))
        XCTAssertTrue(e?.description.contains(path) ?? false)
    }

    func testCRLFAndByteOrderMarkAreStripped() throws {
        let cs = try Charset(dictionaryText: "\u{FEFF}a\r\nb\r\n", useSpaceChar: false)
        XCTAssertEqual(cs.characters, ["a", "b"])
    }

    func testInvalidUTF8LineIsReported() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("bad.txt", Data([0x61, 0x0A, 0xFF, 0xFE, 0x0A, 0x62, 0x0A]))
        let e = assertThrows(CharsetError.self) { try Charset(contentsOf: path, useSpaceChar: false) }
        XCTAssertEqual(e?.problems, [.invalidUTF8(line: 2)])
    }

    func testOutOfCharsetCharactersAreReturnedOnceInOrder() throws {
        let cs = try Charset(characters: "abc")
        let e = cs.encode("azbz!c")
        XCTAssertEqual(e.classes, [1, 2, 3])
        XCTAssertEqual(e.unknown, ["z", "!"])
    }

    func testCJKAndEmojiCharacters() throws {
        let cs = try Charset(characters: "你好👍🏽")
        XCTAssertEqual(cs.characters.count, 3)  // 👍🏽 (thumb + skin tone) is one grapheme
        XCTAssertEqual(cs.encode("好👍🏽你").classes, [2, 3, 1])
        XCTAssertEqual(try cs.decode([3, 1]), "👍🏽你")
    }

    func testCombiningMarksFallBackToPerScalarClassesAsPaddleOCR() throws {
        // Devanagari dictionaries list the virama and vowel signs as their own lines.
        let cs = try Charset(dictionaryText: "क\n\u{94D}\nष\n\u{93E}\n", useSpaceChar: false)
        // "क्षा" is क + ् + ष + ा (one or two graphemes depending on Unicode version).
        XCTAssertEqual(cs.encode("क\u{94D}ष\u{93E}").classes, [1, 2, 3, 4])
        XCTAssertEqual(try cs.decode([1, 2, 3, 4]), "क\u{94D}ष\u{93E}")
        // A mark that is missing is reported on its own.
        let partial = cs.encode("क\u{93F}")
        XCTAssertEqual(partial.classes, [1])
        XCTAssertEqual(partial.unknown, ["\u{93F}"])
    }

    func testPrecomposedDictionaryEntryMatchesDecomposedText() throws {
        let cs = try Charset(characters: "caf\u{E9}")
        XCTAssertEqual(cs.encode("cafe\u{301}").classes, [1, 2, 3, 4])
    }

    func testDecodeSkipsBlankAndRejectsOutOfRangeClass() throws {
        let cs = try Charset(characters: "ab")
        XCTAssertEqual(try cs.decode([0, 1, 0, 2, 0]), "ab")
        let e = assertThrows(CharsetError.self) { try cs.decode([1, 3]) }
        XCTAssertEqual(e?.problems, [.classOutOfRange(index: 3, classCount: 3)])
        XCTAssertNil(cs.character(forClass: 0))
        XCTAssertEqual(cs.character(forClass: 2), "b")
        XCTAssertEqual(cs.classIndex(of: "b"), 2)
    }

    func testCharactersInitRejectsDuplicatesAndLineBreaks() throws {
        XCTAssertEqual(assertThrows(CharsetError.self) { try Charset(characters: "abca") }?.problems,
                       [.duplicate(character: "a", lines: [1, 4])])
        XCTAssertEqual(assertThrows(CharsetError.self) { try Charset(characters: "a\nb") }?.problems, [.lineBreak(position: 2)])
        XCTAssertEqual(assertThrows(CharsetError.self) { try Charset(characters: "a\r\nb") }?.problems, [.lineBreak(position: 2)])
    }

    func testDictionaryTextRoundTripsAndFingerprintIsStable() throws {
        let cs = try Charset(dictionaryText: "a\nb\nc\n", useSpaceChar: true)
        XCTAssertEqual(cs.dictionaryText, "a\nb\nc\n")
        let again = try Charset(dictionaryText: cs.dictionaryText, useSpaceChar: true)
        XCTAssertEqual(again, cs)
        XCTAssertEqual(again.fingerprint, cs.fingerprint)
        // sha256("ocrkit-charset-v1\nblank=0\na\nb\nc\n \n"), from Python's hashlib.
        XCTAssertEqual(cs.fingerprint.hex, "100dcff233f914776cc181fb4f6d45f3d8f4e9d8a6806e6947c2c7b95a0e9398")
        XCTAssertNotEqual(try Charset(dictionaryText: "b\na\nc\n", useSpaceChar: true).fingerprint, cs.fingerprint)
        XCTAssertNotEqual(try Charset(dictionaryText: "a\nb\nc\n", useSpaceChar: false).fingerprint, cs.fingerprint)
    }
}
