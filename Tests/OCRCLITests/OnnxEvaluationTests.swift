import Foundation
import Imaging
import OCRCLI
import OCRCore
import OCRData
import OCRInference
import OCRTrain
import XCTest

/// `ocr-eval` on an .onnx model: the training datasets under policy exclude, each line read by
/// TextRecognizer as `ocr predict` reads it, then the same RecognitionEvaluator and EvalReport as
/// a checkpoint. Uses OCRInferenceTests' column-reading
/// fixture (Tests/OCRInferenceTests/Fixtures/make_fixtures.py): the blue byte 128 + 25 k of a
/// column's top row reads as class k (1 a, 2 b, 3 c, 4 space), 0 as the blank.
final class OnnxEvaluationTests: XCTestCase {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("OCRInferenceTests/Fixtures").path

    func columnImage(_ classes: [Int]) throws -> Data {
        var pixels = [UInt8](repeating: 0, count: 4 * classes.count * 3)
        for (x, k) in classes.enumerated() where k > 0 { pixels[x * 3] = UInt8(128 + 25 * k) }
        return try Image(width: classes.count, height: 4, colorOrder: .bgr, pixels: pixels).encoded(as: .png)
    }

    func testReportFromLabelFilesWithoutAConfig() throws {
        let dir = NSTemporaryDirectory() + "ocrkit-onnx-eval-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir + "/img", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // What each image spells, and its label: the last label is wrong on purpose ("cab" read as "cb").
        let samples: [([Int], String)] = [([1, 2, 3], "abc"), ([2, 0, 2], "bb"), ([1, 4, 3], "a c"), ([3], "c"),
                                          ([2, 1, 1, 2], "bab"), ([3, 0, 2], "cab")]
        var labels = ""
        for (i, (classes, text)) in samples.enumerated() {
            XCTAssertTrue(FileManager.default.createFile(atPath: "\(dir)/img/\(i).png", contents: try columnImage(classes)))
            labels += "img/\(i).png\t\(text)\n"
        }
        try labels.write(toFile: dir + "/labels.txt", atomically: true, encoding: .utf8)

        var messages = [String]()
        let result = try OnnxEvaluation.run(model: Self.fixtures + "/rec_ocrkit.onnx", config: nil, data: [dir + "/labels.txt"],
                                            worstImages: 5) { event in
            if case .message(let m) = event { messages.append(m) }
        }
        XCTAssertEqual(result.metrics.overall.samples, 6)
        XCTAssertEqual(result.metrics.overall.lineAccuracy, 5.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(result.worst.map(\.truth), ["cab"])
        XCTAssertEqual(result.worst.first?.text, "cb")
        XCTAssertEqual(result.worst.first?.image?.width, 3, "the worst line's image as decoded")
        XCTAssertTrue(messages.first?.contains("OCRKit recogniser") == true, messages.first ?? "")

        let report = EvalReport(title: "fixture", result: result)
        try report.write(to: dir + "/eval")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/eval/report.json"))) as! [String: Any]
        XCTAssertEqual((json["overall"] as? [String: Any])?["lines"] as? Int, 6)
    }

    func testUnreadableImagesAreListedAndEveryGoodLineScoredOnce() throws {
        let dir = NSTemporaryDirectory() + "ocrkit-onnx-eval-bad-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir + "/img", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let good: [([Int], String)] = [([1, 2, 3], "abc"), ([2, 0, 2], "bb"), ([3, 1], "ca")]
        for (i, (classes, _)) in good.enumerated() {
            XCTAssertTrue(FileManager.default.createFile(atPath: "\(dir)/img/\(i).png", contents: try columnImage(classes)))
        }
        let png = try columnImage([1, 2, 3, 4, 1, 2, 3, 4])
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/img/truncated.png", contents: png.prefix(png.count / 2)))
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/img/empty.jpg", contents: Data()))
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/img/notes.png", contents: Data("a text file\n".utf8)))
        let labels = dir + "/labels.txt"
        try """
            img/0.png\tabc
            img/truncated.png\tabca
            img/1.png\tbb
            img/empty.jpg\tab
            no tab on this line
            img/notes.png\tcab
            img/2.png\tca
            img/2.png\tcaz

            """.write(toFile: labels, atomically: true, encoding: .utf8)

        let result = try OnnxEvaluation.run(model: Self.fixtures + "/rec_ocrkit.onnx", config: nil, data: [labels],
                                            worstImages: 5) { _ in }
        XCTAssertEqual(result.scoredCount, 3, "the three good lines, once each (a replacement would be scored again)")
        XCTAssertEqual(result.metrics.overall.lineAccuracy, 1, "each read as its own image")
        XCTAssertEqual(result.notScored.map(\.location), [2, 4, 5, 6, 8].map { "\(labels):\($0)" })
        XCTAssertEqual(result.notScored.map(\.category), ["undecodable-image", "undecodable-image", "missing-tab",
                                                          "undecodable-image", "outside-charset"])
        let first = result.notScored.first?.message ?? ""
        XCTAssertTrue(first.contains("img/truncated.png"), first)

        var report = EvalReport(title: "fixture", result: result)
        report.notReadListed = 2
        let table = report.terminalTable()
        XCTAssertTrue(table.contains("3 lines scored, 5 could not be read"), table)
        XCTAssertTrue(table.contains("\(labels):2: image 'img/truncated.png'"), table)
        XCTAssertTrue(table.contains("... and 3 more"), table)
        try report.write(to: dir + "/eval")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/eval/report.json"))) as! [String: Any]
        XCTAssertEqual(json["lines_scored"] as? Int, 3)
        XCTAssertEqual(json["lines_not_read"] as? Int, 5)
        XCTAssertEqual((json["not_read"] as? [[String: Any]])?.compactMap { $0["location"] as? String },
                       result.notScored.map(\.location))
        for file in ["report.md", "report.html"] {
            let text = try String(contentsOfFile: dir + "/eval/" + file, encoding: .utf8)
            XCTAssertTrue(text.contains("3 lines scored, 5 could not be read"), file)
            for issue in result.notScored { XCTAssertTrue(text.contains(issue.location), "\(file) lists \(issue.location)") }
        }
    }

    /// The issue's case: a long line, far wider than PP-OCRv4's 320-pixel input. `ocr-eval` must
    /// read it as `ocr predict` does (TextRecognizer widens the batch), not squeezed into 320 pixels.
    func testLongLineIsReadExactlyAsOcrPredictReadsIt() throws {
        let model = URL(fileURLWithPath: Self.fixtures).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path + "/.deps/models/ch_PP-OCRv4_rec_infer.onnx"
        guard FileManager.default.fileExists(atPath: model) else {
            throw InferenceError(.fileNotFound, "\(model) is missing: run scripts/setup.sh")  // fails, never skips
        }
        let dir = NSTemporaryDirectory() + "ocrkit-onnx-eval-long-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = "Invoice 2026-11-26 total 1,234.50 EUR ok"  // 40 characters
        let line = try LineRenderer(options: .clean)
            .render(text, font: FontFile(path: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"), seed: 7)
        try line.image.encoded(as: .png).write(to: URL(fileURLWithPath: dir + "/long.png"))
        // A wrong label on purpose: the line then appears among the worst, with what was read.
        try "long.png\tx\n".write(toFile: dir + "/labels.txt", atomically: true, encoding: .utf8)

        // `ocr predict`'s path, with its defaults (batch 8, default threads).
        let recognizer = try TextRecognizer(modelPath: model, options: .init(intraOpThreads: 0, interOpThreads: 1))
        let predicted = try recognizer.recognize(files: [dir + "/long.png"])[0].result.get()
        let result = try OnnxEvaluation.run(model: model, config: nil, data: [dir + "/labels.txt"], worstImages: 1) { _ in }
        let evaluated = try XCTUnwrap(result.worst.first)
        print("long line (\(line.image.width) x \(line.image.height)): ocr predict \(predicted.text.debugDescription) "
              + "\(predicted.confidence), ocr-eval \(evaluated.text.debugDescription) \(evaluated.confidence)")
        XCTAssertEqual(evaluated.text, predicted.text)
        XCTAssertEqual(evaluated.confidence, predicted.confidence, "bit for bit: the same preprocessing, batch and model run")
        XCTAssertEqual(predicted.text.trimmingCharacters(in: .whitespaces), text, "PP-OCRv4 reads the unsqueezed line")
        XCTAssertEqual(evaluated.image?.width, line.image.width, "the worst line's image is the decoded line, not the model input")

        // What the training loader feeds (padded to the 320-pixel input) reads it differently:
        // the test would catch a return to that path.
        let batch = try OnnxEvaluation.loader(for: recognizer.info, config: nil, data: [dir + "/labels.txt"]).batch(epoch: 0, index: 0)
        let squeezed = try recognizer.recognize(batch: FloatTensor(batch.pixels, shape: batch.shape))[0]
        print("squeezed into \(batch.width) pixels: \(squeezed.text.debugDescription) \(squeezed.confidence)")
        XCTAssertEqual(batch.width, 320)
        XCTAssertNotEqual(squeezed.text, predicted.text)
    }

    func testWithoutConfigOrDataIsAnError() {
        XCTAssertThrowsError(try OnnxEvaluation.run(model: Self.fixtures + "/rec_ocrkit.onnx", config: nil, data: nil) { _ in }) { e in
            XCTAssertTrue("\(e)".contains("--data"), "\(e)")
        }
    }
}
