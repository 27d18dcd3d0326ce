import Foundation
import Imaging
import OCRData
import OCREval
import XCTest

/// The one report writer every task uses: each of its four outputs carries the tables, the
/// samples not read and the gallery; the HTML page embeds the gallery's pixels losslessly.
final class ReportWriterTests: XCTestCase {
    let bgr = ReportImage(width: 3, height: 2, bgr: (0..<18).map { UInt8($0 * 13) })
    let gray = ReportImage(width: 2, height: 2, gray: [0, 80, 160, 240])

    func makeWriter() -> ReportWriter {
        let tables = [
            ReportTable(header: ["group", "lines", "acc"], rows: [[.text("all"), .count(20), .share(0.95)],
                                                                  [.text("fonts/a.ttf"), .count(12), .share(0.9166)]]),
            ReportTable(title: "Confusion matrix", header: ["truth", "0", "180"], rows: [[.text("0"), .count(11), .count(1)],
                                                                                       [.text("180"), .count(0), .count(8)]]),
        ]
        let notRead = [DataIssue(file: "eval.txt", line: 2, category: "undecodable-image", message: "cannot decode image 'img/t.png'"),
                       DataIssue(file: "eval.txt", line: 7, category: "missing-image", message: "image 'img/gone.png' does not exist"),
                       DataIssue(file: "eval.txt", line: 9, category: "missing-tab", message: "no tab")]
        let gallery = ReportGallery(
            title: "Worst samples", key: "worst", columns: [.init("truth"), .init("read"), .init("edits", key: "edit_distance")],
            entries: [.init(image: bgr, captions: [.code("a<b>|c"), .code("abc"), .count(2)]),
                      .init(image: gray, captions: [.code("xy"), .code("x"), .count(1)]),
                      .init(image: nil, captions: [.code("q"), .code(""), .count(1)])])
        var w = ReportWriter(title: "fixture", summary: ["20 lines scored, 3 could not be read"], tables: tables, notRead: notRead,
                             gallery: gallery)
        w.fields = ["lines_scored": 20, "title": "a task field may not replace the writer's own"]
        w.notReadListed = 2
        return w
    }

    func testTerminalCarriesTablesGalleryAndTheFirstSamplesNotRead() {
        let text = makeWriter().terminalTable()
        let lines = text.split(separator: "\n").map(String.init)
        let cells = lines.map { $0.split(separator: " ").map(String.init) }
        for row in [["all", "20", "95.00%"], ["fonts/a.ttf", "12", "91.66%"], ["180", "0", "8"]] {
            XCTAssertTrue(cells.contains(row), "terminal lacks the row \(row):\n\(text)")
        }
        let all = lines.first { $0.hasPrefix("all ") }!, font = lines.first { $0.hasPrefix("fonts/a.ttf") }!
        XCTAssertEqual(all.count, font.count, "columns are aligned:\n\(all)\n\(font)")
        for expected in ["fixture\n20 lines scored, 3 could not be read", "confusion matrix:", "worst samples:", #"truth "a<b>|c"  read "abc"  edits 2"#,
                         #"read """#, "eval.txt:2: cannot decode image 'img/t.png'", "eval.txt:7: image", "... and 1 more"] {
            XCTAssertTrue(text.contains(expected), "terminal lacks \(expected.debugDescription):\n\(text)")
        }
        XCTAssertFalse(text.contains("eval.txt:9"), "the terminal lists notReadListed = 2 only")
    }

    func testJSONHoldsTypedTablesEveryIssueAndTheGallery() throws {
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: makeWriter().json()) as? [String: Any])
        XCTAssertEqual(json["title"] as? String, "fixture", "the writer's keys win over the task's fields")
        XCTAssertEqual(json["lines_scored"] as? Int, 20)
        let tables = try XCTUnwrap(json["tables"] as? [[String: Any]])
        XCTAssertEqual(tables.count, 2)
        XCTAssertEqual(tables[0]["header"] as? [String], ["group", "lines", "acc"])
        let row = try XCTUnwrap((tables[0]["rows"] as? [[Any]])?.first)
        XCTAssertEqual(row[0] as? String, "all")
        XCTAssertEqual(row[1] as? Int, 20)
        XCTAssertEqual(row[2] as? Double, 0.95, "a share is written as a fraction, not as \"95.00%\"")
        XCTAssertEqual(tables[1]["title"] as? String, "Confusion matrix")
        XCTAssertEqual((json["not_read"] as? [[String: Any]])?.compactMap { $0["location"] as? String },
                       ["eval.txt:2", "eval.txt:7", "eval.txt:9"])
        let worst = try XCTUnwrap(json["worst"] as? [[String: Any]])
        XCTAssertEqual(worst.compactMap { $0["truth"] as? String }, ["a<b>|c", "xy", "q"])
        XCTAssertEqual(worst.compactMap { $0["edit_distance"] as? Int }, [2, 1, 1])
    }

    func testMarkdownCarriesTablesGalleryAndEveryIssue() {
        let md = makeWriter().markdown()
        for expected in ["# fixture", "20 lines scored, 3 could not be read", "| group | lines | acc |", "| all | 20 | 95.00% |",
                         "## Confusion matrix", "| 180 | 0 | 8 |", "## Worst samples", "| `a<b>\\|c` | `abc` | 2 |",
                         "- `eval.txt:2`: cannot decode", "- `eval.txt:7`:", "- `eval.txt:9`: no tab"] {
            XCTAssertTrue(md.contains(expected), "report.md lacks \(expected.debugDescription):\n\(md)")
        }
    }

    func testHTMLEmbedsTheGalleryPixelsAsPNG() throws {
        let html = makeWriter().html()
        for expected in ["<h1>fixture</h1>", "<td>all</td><td>20</td><td>95.00%</td>", "<h2>Confusion matrix</h2>",
                         "<td class=c>a&lt;b&gt;|c</td>", "<code>eval.txt:9</code>: no tab"] {
            XCTAssertTrue(html.contains(expected), "report.html lacks \(expected.debugDescription)")
        }
        XCTAssertFalse(html.contains("a<b>"), "captions are escaped")
        let uris = html.components(separatedBy: "<img src=\"data:image/png;base64,").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        XCTAssertEqual(uris.count, 2, "one image per entry with pixels; the third has none")
        let first = try Image(decoding: XCTUnwrap(Data(base64Encoded: uris[0])), mode: .keep)
        XCTAssertEqual([first.width, first.height, first.channels], [3, 2, 3])
        XCTAssertEqual(first.pixels, bgr.pixels, "PNG is lossless: the page shows the pixels given")
        let second = try Image(decoding: XCTUnwrap(Data(base64Encoded: uris[1])), mode: .keep)
        XCTAssertEqual([second.width, second.height, second.channels], [2, 2, 1])
        XCTAssertEqual(second.pixels, gray.pixels)
    }

    func testWriteCreatesAllThreeFiles() throws {
        let dir = NSTemporaryDirectory() + "ocrkit-report-\(getpid())-\(UInt32.random(in: 0...UInt32.max))/eval"
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        try makeWriter().write(to: dir)
        for file in ["report.json", "report.md", "report.html"] {
            let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
            XCTAssertTrue(text.contains("eval.txt:9") && text.contains("a.ttf") && text.contains("xy"), file)  // JSON writes fonts\/a.ttf
        }
    }
}
