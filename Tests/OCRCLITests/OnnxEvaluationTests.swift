import Foundation
import Imaging
import OCRCLI
import OCRCore
import OCRTrain
import XCTest

/// `ocr-eval` on an .onnx model: the training loader with the model's preprocessing, then the same
/// RecognitionEvaluator and EvalReport as a checkpoint. Uses OCRInferenceTests' column-reading
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
        XCTAssertEqual(result.worst.first?.image?.width, 3, "the worst line's pixels, cropped to its width")
        XCTAssertTrue(messages.first?.contains("OCRKit recogniser") == true, messages.first ?? "")

        let report = EvalReport(title: "fixture", result: result)
        try report.write(to: dir + "/eval")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/eval/report.json"))) as! [String: Any]
        XCTAssertEqual((json["overall"] as? [String: Any])?["lines"] as? Int, 6)
    }

    func testWithoutConfigOrDataIsAnError() {
        XCTAssertThrowsError(try OnnxEvaluation.run(model: Self.fixtures + "/rec_ocrkit.onnx", config: nil, data: nil) { _ in }) { e in
            XCTAssertTrue("\(e)".contains("--data"), "\(e)")
        }
    }
}
