import Foundation
import Imaging
import OCRCore
import XCTest
@testable import OCRData

/// scripts/render-lines-pil.py, the realistic benchmark's second renderer, read back by OCRKit's
/// own label-file dataset: one group per face (`group_by: first_folder`), every image decodes, a
/// caps-only face's lines are labelled in capitals, and the same seed draws the same files. Runs
/// the test venv's Python (scripts/test-venv.sh); a missing venv fails, never skips.
final class PILLineRendererTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let python = root + "/.deps/pyvenv/bin/python"
    static let script = root + "/scripts/render-lines-pil.py"

    /// Runs the script; returns (exit status, stdout + stderr).
    func render(_ arguments: [String]) throws -> (Int32, String) {
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: Self.python),
                      "\(Self.python) is missing: run scripts/test-venv.sh")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = [Self.script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    func testLinesComeBackPerFaceThroughTheLabelFileDataset() throws {
        let dir = try SynthFixtures.scratchDirectory("pil-lines")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The texts: the benchmark's generator, as `ocr data lines` writes them.
        let texts = try LineTextGenerator(words: ["invoice", "total", "receipt", "Monday", "street", "amount"])
            .lines(count: 40, seed: 3)
        try (texts.joined(separator: "\n") + "\n").write(toFile: dir + "/texts.txt", atomically: true, encoding: .utf8)
        try """
            Eval:
              dataset:
                name: SyntheticLines
                fonts: [\(SynthFixtures.dejaVuSans), \(SynthFixtures.humorSans)]
            """.write(toFile: dir + "/config.yml", atomically: true, encoding: .utf8)
        let args = ["--texts", dir + "/texts.txt", "--config", dir + "/config.yml", "--per-face", "5", "--seed", "9"]
        let (status, output) = try render(args + ["--out", dir + "/a"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("Humor-Sans.ttf: 5 lines (handwriting jitter, caps-only: texts in capitals)"), output)

        var options = LabelFileDataset.Options(dataDir: dir + "/a", labelFiles: [dir + "/a/labels.txt"],
                                               charset: try Charset(characters: (32...126).map { String(UnicodeScalar(UInt8($0))) }.joined()),
                                               maxTextLength: 50, policy: .fail)
        options.grouping = .firstFolder
        options.imageCheck = .decode
        let dataset = try LabelFileDataset(options)
        XCTAssertEqual(dataset.records.count, 10)
        XCTAssertEqual(Dictionary(grouping: dataset.records, by: \.group).mapValues(\.count),
                       ["DejaVuSans.ttf": 5, "Humor-Sans.ttf": 5])
        // Each face draws its own slice of the texts; the caps-only face writes them in capitals.
        XCTAssertEqual(dataset.records.filter { $0.group == "DejaVuSans.ttf" }.map(\.text), Array(texts[0..<5]))
        XCTAssertEqual(dataset.records.filter { $0.group == "Humor-Sans.ttf" }.map(\.text), texts[5..<10].map { $0.uppercased() })
        for r in dataset.records {
            let image = try Image(contentsOf: r.resolvedPath)
            XCTAssertTrue((32...64).contains(image.height), "\(r.imagePath): \(image.height) px high")
            XCTAssertGreaterThan(image.width, image.height, r.imagePath)
        }

        // Deterministic: the same seed draws the same bytes; another seed other images.
        XCTAssertEqual(try render(args + ["--out", dir + "/b"]).0, 0)
        for r in dataset.records {
            XCTAssertEqual(FileManager.default.contents(atPath: r.resolvedPath),
                           FileManager.default.contents(atPath: dir + "/b/" + r.imagePath), r.imagePath)
        }
        XCTAssertEqual(try String(contentsOfFile: dir + "/a/labels.txt", encoding: .utf8),
                       try String(contentsOfFile: dir + "/b/labels.txt", encoding: .utf8))
    }

    func testBadInputIsRefusedNamingIt() throws {
        let dir = try SynthFixtures.scratchDirectory("pil-lines-bad")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "one line\n".write(toFile: dir + "/texts.txt", atomically: true, encoding: .utf8)
        try "Eval:\n  dataset:\n    fonts: [/nonexistent/Face.ttf]\n".write(toFile: dir + "/c.yml", atomically: true, encoding: .utf8)
        var (status, output) = try render(["--texts", dir + "/texts.txt", "--config", dir + "/c.yml", "--out", dir + "/o"])
        XCTAssertEqual(status, 1)
        XCTAssertTrue(output.contains("font file '/nonexistent/Face.ttf' does not exist"), output)

        try "Eval:\n  dataset:\n    fonts: [\(SynthFixtures.dejaVuSans)]\n".write(toFile: dir + "/c.yml", atomically: true, encoding: .utf8)
        (status, output) = try render(["--texts", dir + "/texts.txt", "--config", dir + "/c.yml", "--per-face", "3", "--out", dir + "/o"])
        XCTAssertEqual(status, 1)
        XCTAssertTrue(output.contains("holds 1 texts; 1 faces x 3 need more"), output)
    }
}
