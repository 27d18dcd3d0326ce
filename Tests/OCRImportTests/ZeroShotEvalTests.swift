import Foundation
import OCREval
import OCRRun
import XCTest
@testable import OCRImport

/// Zero-shot equality: the checkpoint `ocr-train import` writes, scored by ocr-eval's checkpoint
/// path (LibTorch), gives the same line accuracy as the original .onnx scored by ocr-eval's ONNX
/// path (onnxruntime, PaddleOCR's preprocessing) on the same rendered lines.
final class ZeroShotEvalTests: XCTestCase {
    static let words = ["alpha", "Bravo", "charlie", "Delta 42", "echo", "FOXTROT", "golf", "Hotel 7",
                        "india", "Juliet", "kilo 2026", "Lima", "mike", "November", "oscar", "Papa 13",
                        "quebec", "Romeo", "sierra", "Tango 8", "uniform", "Victor", "whiskey", "X-ray 99",
                        "yankee", "Zulu", "price 12.50", "total: 3", "item #5", "ref A-17", "qty 250", "OK"]

    func testImportedCheckpointAndOnnxReadTheSameLines() throws {
        try ImportFixtures.requireModel()
        let dir = try ImportFixtures.scratchDirectory("zeroshot")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = try ImportFixtures.renderLines(Self.words)
        var labels = ""
        for (i, line) in lines.enumerated() {
            try line.image.encoded(as: .png).write(to: URL(fileURLWithPath: dir + "/\(i).png"))
            labels += "\(i).png\t\(line.text)\n"
        }
        try labels.write(toFile: dir + "/labels.txt", atomically: true, encoding: .utf8)

        let run = try RecognitionRunConfig(path: ImportFixtures.recConfig,
                                           overrides: ["Eval.dataset.data_dir=\(dir)", "Eval.dataset.label_file_list=[\(dir)/labels.txt]"])
        let (_, checkpoint) = try PaddleModelImport.checkpoint(ImportFixtures.recModel, config: run.base)
        try checkpoint.write(to: dir + "/v4.h5")
        let torch = try CheckpointEvaluation.run(run, checkpoint: dir + "/v4.h5", data: nil, events: { _ in })
        let onnx = try OnnxEvaluation.run(model: ImportFixtures.recModel, config: run.evalSettings, data: nil, events: { _ in })
        let (a, b) = (torch.metrics.overall, onnx.metrics.overall)
        print("zero-shot on \(lines.count) rendered lines: checkpoint acc \(a.lineAccuracy) (\(a.samples) lines), "
              + "onnx acc \(b.lineAccuracy) (\(b.samples) lines); misread by the checkpoint: "
              + torch.worst.map { "\($0.truth) -> \($0.text)" }.joined(separator: ", "))
        XCTAssertEqual(a.samples, lines.count)
        XCTAssertEqual(b.samples, lines.count)
        XCTAssertEqual(a.lineAccuracy, b.lineAccuracy)
        XCTAssertEqual(a.normalizedEditDistance, b.normalizedEditDistance, accuracy: 1e-9)
        // Not only the scores: the same lines misread the same way (PP-OCRv4 reads some left
        // margins as a space, which PaddleOCR's metric ignores).
        XCTAssertEqual(Set(torch.worst.map { "\($0.truth) -> \($0.text)" }), Set(onnx.worst.map { "\($0.truth) -> \($0.text)" }))
        XCTAssertGreaterThan(a.lineAccuracy, 0.8, "PP-OCRv4 reads clean rendered lines")
    }
}
