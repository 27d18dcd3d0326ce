import Foundation
import XCTest
@testable import OCRCore

final class LabelReaderTests: XCTestCase {
    let letters = try! Charset(characters: "abcdefghijklmnopqrstuvwxyz")

    /// Line by line: 1 ok, 2 no tab, 3 empty path, 4 empty text, 5 blank, 6 too long (11 > 10),
    /// 7 'ö' outside charset, 8 extra tab, 9 ok with CRLF, 10 two issues (too long + outside).
    let recognitionLabels = """
    img1.png\thello
    img2.png hello
    \tfoo
    img4.png\t

    img6.png\tabcdefghijk
    img7.png\twörld
    img8.png\ta\tb
    img9.png\tok\r
    img10.png\tabcdefghijkl!

    """

    func testRecognitionIssuesCarryLineNumbersAndNothingIsDropped() throws {
        let reader = RecognitionLabelReader(charset: letters, maxTextLength: 10, policy: .skip)
        let r = try reader.parse(contents: recognitionLabels, file: "train.txt")
        XCTAssertEqual(r.records.map(\.imagePath), ["img1.png", "img9.png"])
        XCTAssertEqual(r.records.map(\.text), ["hello", "ok"])          // "\r" of the CRLF line removed
        XCTAssertEqual(r.records.map(\.line), [1, 9])
        XCTAssertEqual(r.issues.map(\.line), [2, 3, 4, 6, 7, 8, 10, 10])
        XCTAssertEqual(r.issues.map(\.kind), [
            .missingTab, .emptyPath, .emptyText, .textTooLong(length: 11, limit: 10),
            .charactersOutsideCharset(["ö"]), .extraTab,
            .charactersOutsideCharset(["!"]), .textTooLong(length: 12, limit: 10),
        ])
        XCTAssertTrue(r.issues.allSatisfy { $0.file == "train.txt" })
        XCTAssertEqual(r.issues[0].description, "train.txt:2: no tab between image path and label")
        XCTAssertTrue(r.issues[4].description.contains("U+F6"), r.issues[4].description)

        // Every line is accounted for: 2 records + 1 blank + 7 skipped = 10 lines.
        let s = try XCTUnwrap(r.summaries.first)
        XCTAssertEqual(s.lines, 10)
        XCTAssertEqual(s.records, 2)
        XCTAssertEqual(s.blankLines, 1)
        XCTAssertEqual(s.skippedLines, 7)
        XCTAssertEqual(s.records + s.blankLines + s.skippedLines, s.lines)
        XCTAssertEqual(s.issueCounts, ["missing-tab": 1, "empty-path": 1, "empty-text": 1, "text-too-long": 2,
                                       "outside-charset": 2, "extra-tab": 1])
        XCTAssertTrue(s.description.contains("10 lines, 2 records, 1 blank, 7 skipped"), s.description)
    }

    func testFailPolicyThrowsNamingFileAndLine() throws {
        let reader = RecognitionLabelReader(charset: letters, policy: .fail)
        let e = assertThrows(LabelFileError.self) { try reader.parse(contents: recognitionLabels, file: "train.txt") }
        XCTAssertEqual(e?.issues, [LabelIssue(file: "train.txt", line: 2, kind: .missingTab)])
        XCTAssertTrue(e?.description.hasPrefix("train.txt:2: ") ?? false, e?.description ?? "")
        // A clean file passes under .fail.
        XCTAssertEqual(try reader.parse(contents: "a.png\tabc\nb.png\tdef\n").records.count, 2)
    }

    func testWithoutCharsetLengthCountsCharacters() throws {
        let r = try RecognitionLabelReader(maxTextLength: 3).parse(contents: "a.png\t你好世\nb.png\t你好世界\n")
        XCTAssertEqual(r.records.map(\.text), ["你好世"])
        XCTAssertEqual(r.issues.map(\.kind), [.textTooLong(length: 4, limit: 3)])
        XCTAssertEqual(r.issues.map(\.line), [2])
    }

    func testTextIsKeptVerbatimIncludingSpaces() throws {
        let r = try RecognitionLabelReader().parse(contents: "x/y z.png\t  two  words \n")
        XCTAssertEqual(r.records.first?.imagePath, "x/y z.png")
        XCTAssertEqual(r.records.first?.text, "  two  words ")
    }

    func testReadsFilesAndReportsInvalidUTF8Line() throws {
        let dir = try TemporaryDirectory()
        var bytes = Data("a.png\tok\n".utf8)
        bytes += Data([0x62, 0x2E, 0x70, 0x6E, 0x67, 0x09, 0xC3, 0x28, 0x0A])   // "b.png\t" + invalid UTF-8
        bytes += Data("c.png\tfine".utf8)                                       // no final newline
        let first = try dir.write("a.txt", bytes)
        let second = try dir.write("b.txt", "d.png\tmore\n")
        let r = try RecognitionLabelReader().read(files: [first, second])
        XCTAssertEqual(r.records.map(\.text), ["ok", "fine", "more"])
        XCTAssertEqual(r.records.map(\.file), [first, first, second])
        XCTAssertEqual(r.issues, [LabelIssue(file: first, line: 2, kind: .invalidUTF8)])
        XCTAssertEqual(r.summaries.map(\.lines), [3, 1])
        let missing = dir.url.appendingPathComponent("nope.txt").path
        XCTAssertEqual(assertThrows(FileReadError.self) { try RecognitionLabelReader().read(file: missing) }, .notFound(path: missing))
    }

    // MARK: - Detection labels

    let detectionLabels = """
    a.png\t[{"transcription": "hi", "points": [[0,0],[10,0],[10,5],[0,5]]}, {"transcription": "###", "points": [[0,0],[1,0],[1,1]]}]
    b.png\t[{"transcription": "x", "points": [[0,0],[1,0]]}]
    c.png\t[{"transcription": "x", "points": [[0,0],[1,0],[1,true]]}]
    d.png\tnot json
    e.png\t[]
    f.png\t{"transcription": "x", "points": [[0,0],[1,0],[1,1]]}
    g.png\t[{"points": [[0,0],[1,0],[1,1]]}, {"transcription": 5, "points": [[0,0],[1,0],[1,1]]}]
    h.png\t[{"transcription": "x", "points": [[0,0],[1,0],[1,1]], "difficult": false}]
    i.png [{"transcription": "x", "points": [[0,0],[1,0],[1,1]]}]
    """

    func testDetectionLabelsAndIssues() throws {
        let r = try DetectionLabelReader().parse(contents: detectionLabels, file: "det.txt")
        XCTAssertEqual(r.records.map(\.imagePath), ["a.png", "e.png", "h.png"])
        let a = r.records[0]
        XCTAssertEqual(a.regions.count, 2)
        XCTAssertEqual(a.regions[0].transcription, "hi")
        XCTAssertEqual(a.regions[0].polygon.points, [Point(0, 0), Point(10, 0), Point(10, 5), Point(0, 5)])
        XCTAssertFalse(a.regions[0].isDontCare)
        XCTAssertTrue(a.regions[1].isDontCare)
        XCTAssertEqual(r.records[1].regions, [])

        XCTAssertEqual(r.issues.map(\.line), [2, 3, 4, 6, 7, 7, 9])
        XCTAssertEqual(r.issues[0].kind, .invalidRegion(index: 0, reason: "2 points; a region needs at least 3"))
        XCTAssertEqual(r.issues[1].kind, .invalidRegion(index: 0, reason: "point 2 is not [x, y] with two finite numbers"))
        XCTAssertEqual(r.issues[2].category, "invalid-json")
        XCTAssertTrue(r.issues[2].description.hasPrefix("det.txt:4: annotation is not valid JSON"), r.issues[2].description)
        XCTAssertEqual(r.issues[3].kind, .invalidJSON("expected a list of regions [{...}, ...]"))
        XCTAssertEqual(r.issues[4].kind, .invalidRegion(index: 0, reason: "missing \"transcription\""))
        XCTAssertEqual(r.issues[5].kind, .invalidRegion(index: 1, reason: "\"transcription\" is not a string"))
        XCTAssertEqual(r.issues[6].kind, .missingTab)
        let s = r.summaries[0]
        XCTAssertEqual([s.lines, s.records, s.skippedLines], [9, 3, 6])
    }

    func testDetectionFailPolicy() throws {
        let e = assertThrows(LabelFileError.self) { try DetectionLabelReader(policy: .fail).parse(contents: detectionLabels, file: "det.txt") }
        XCTAssertEqual(e?.issues.first?.line, 2)
        XCTAssertTrue(e?.description.hasPrefix("det.txt:2: region 0:") ?? false, e?.description ?? "")
    }

    func testDetectionCoordinatesZeroAndOneAreNumbers() throws {
        // 0 and 1 must not be mistaken for booleans.
        let r = try DetectionLabelReader().parse(contents: "a.png\t[{\"transcription\": \"t\", \"points\": [[0,1],[1,0],[1,1.5]]}]\n")
        XCTAssertEqual(r.records.first?.regions.first?.polygon.points, [Point(0, 1), Point(1, 0), Point(1, 1.5)])
    }
}
