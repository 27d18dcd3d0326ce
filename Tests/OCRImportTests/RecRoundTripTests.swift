import Foundation
import NN
import OCRExport
import OCRInference
import OCRModels
import OCRRun
import OCRTrain
import Torch
import XCTest

/// Issue 10's round trip for the recogniser: PaddleOCR's file (PP-OCRv4, PP-OCRv6 small) ->
/// fine-tuned (a few steps on rendered lines, en_ascii) -> `ocr-export`'s pipeline (FP32 through
/// the parity gate, INT8 through the accuracy gate) -> read by `TextRecognizer`, what
/// `ocr predict --lines` runs.
/// Sized for CI: 8 lines, 2 steps of batch 4, 8 calibration lines, no per-layer sensitivity.
final class RecRoundTripTests: XCTestCase {
    static let texts = ["hello world", "OCRKit 2026", "Invoice 42", "Total: 12.50", "fine tune", "Quick brown fox", "ref A-17",
                        "Delta 7"]

    func testImportFineTuneExportInt8AndPredict() throws {
        try roundTrip(model: ImportFixtures.recModel, config: ImportFixtures.recConfig, name: "roundtrip")
    }

    /// PPLCNetV4 (branch stem with "SAME" 2 x 2 convs and pool, GELU blocks, SE) and the light
    /// SVTR neck through the same pipeline.
    func testPPOCRv6ImportFineTuneExportInt8AndPredict() throws {
        try roundTrip(model: ImportFixtures.v6RecModel, config: ImportFixtures.v6RecConfig, name: "roundtrip-v6")
    }

    func roundTrip(model: String, config: String, name: String) throws {
        try ImportFixtures.requireModel(model)
        let dir = try ImportFixtures.scratchDirectory(name)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = try ImportFixtures.writeLabelledLines(Self.texts, to: dir)
        let run = try ImportFixtures.fineTuneRun(config: config, model: model, dir: dir, steps: 2, batch: 4)
        _ = try run.makeTrainer { _ in }.run { _ in }
        let checkpoint = dir + "/run/latest.h5"
        XCTAssertTrue(FileManager.default.fileExists(atPath: checkpoint))

        // ocr-export -c ppocrv4_rec.yml --checkpoint latest.h5 --int8 (default parity tolerance)
        var options = ExportJob.Options(out: dir + "/export")
        options.int8 = true
        options.calibrationImages = 8
        options.sensitivity = false
        let report = try ExportJob(config: run.base, checkpoint: checkpoint, options: options).run { print($0) }
        print(report.markdown())
        XCTAssertTrue(report.parityPassed, "\(report.parity)")
        XCTAssertEqual(report.parityTolerance, .default)
        XCTAssertTrue(report.parity[0].contains("probabilities (softmax of logits)"), "\(report.parity)")
        XCTAssertTrue(report.parity.contains { $0.contains("real lines") }, "\(report.parity)")
        let fp32 = try XCTUnwrap(report.fp32.accuracy), int8 = try XCTUnwrap(report.int8?.accuracy)
        XCTAssertGreaterThanOrEqual(fp32, 0.75, "the fine-tuned model still reads clean lines")
        XCTAssertNotNil(report.int8Accepted, "the INT8 gate ran")
        print("\(name): FP32 line accuracy \(fp32), INT8 \(int8), INT8 accepted: \(report.int8Accepted ?? false)")

        // ocr predict --lines --rec model.onnx
        let exported = dir + "/export/model.onnx"
        let read = try TextRecognizer(modelPath: exported).recognize(files: (0..<lines.count).map { dir + "/\($0).png" })
        let texts = try read.map { try $0.result.get().text }
        let right = zip(texts, Self.texts).filter { $0 == $1 }.count
        print("ocr predict --lines: " + zip(texts, Self.texts).map { "\($1) -> \($0)" }.joined(separator: ", "))
        XCTAssertGreaterThanOrEqual(Double(right) / Double(lines.count), fp32 - 1e-9, "predict reads as the export's evaluation did")

        // The gate still fails a broken export: the same file against the model with one weight changed by 5%.
        let saved = try Checkpoint.read(from: checkpoint)
        let (_, recognizer) = try RecognizerExporter.export(checkpoint: saved, path: checkpoint, config: run)
        let weight = try XCTUnwrap(recognizer.namedParameters().first { $0.path.hasPrefix("neck") && $0.tensor.rank == 4 })
        try noGrad { try weight.tensor.copy(from: weight.tensor * 1.05) }
        let broken = try ParityCheck.run(modelAt: exported, against: recognizer)
        print("against the model with \(weight.path) x 1.05:\n\(broken)")
        XCTAssertFalse(broken.passed, "\(broken)")
    }
}
