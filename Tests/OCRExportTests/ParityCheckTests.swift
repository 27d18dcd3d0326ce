import Foundation
import NN
import OCRCore
import OCRExport
import OCRInference
import OCRModels
import Torch
import XCTest

/// The Swift-side parity check `ocr-export` runs: OCRInference's ONNX Runtime session against
/// the LibTorch forward, plus the inference side's reading of the metadata.
final class ParityCheckTests: XCTestCase {
    func testExportedRecognisersPassThroughTheInferenceSession() throws {
        for (label, m) in [("CRNN MobileNetV3-large (crnn_mv3.yml)", try TestModels.crnnLarge()), ("SVTR-Tiny", try TestModels.svtrTiny())] {
            let onnx = try RecognizerExporter.export(model: m.model, metadata: m.metadata)
            m.model.train()
            let report = try ParityCheck.run(onnx, against: m.model)
            print("\(label) through OCRInference.InferenceSession\n\(report)")
            XCTAssertTrue(report.passed, "\(label): \(report)")
            XCTAssertNoThrow(try report.requirePassed())
            XCTAssertEqual(report.measurements.map { $0.batch }, m.model.fixedInputWidth == nil ? [1, 3, 1, 3, 1, 3] : [1, 3])
            XCTAssertTrue(m.model.isTraining, "the module's mode is restored")
        }
    }

    /// The inference side reads what the exporter wrote: charset, sizes, policy, scores.
    func testInferenceSideReadsTheMetadata() throws {
        let m = try TestModels.svtrTiny()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ocrkit-info-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try RecognizerExporter.export(model: m.model, metadata: m.metadata).write(to: dir + "/svtr.onnx")
        let info = try RecognitionModelInfo(session: InferenceSession(path: dir + "/svtr.onnx"))
        XCTAssertEqual(info.origin, .ocrkit)
        XCTAssertEqual(info.charset, m.metadata.charset)
        XCTAssertEqual(info.charset.classCount, m.model.classes)
        XCTAssertEqual(info.resize.imageShape, [3, 32, 100])
        XCTAssertFalse(info.resize.padding)
        XCTAssertTrue(info.fixedWidth)
        XCTAssertEqual(info.scores, .logits)
        XCTAssertEqual(info.inputName, "x")
        XCTAssertEqual(info.outputName, "logits")
        XCTAssertEqual(info.algorithm, "SVTR")
    }

    /// A model checked against a module with other weights fails, naming the difference.
    func testWrongWeightsFail() throws {
        let exported = try TestModels.crnnSmall(), other = try TestModels.crnnSmall()
        let onnx = try RecognizerExporter.export(model: exported.model, metadata: exported.metadata)
        let report = try ParityCheck.run(onnx, against: other.model, batches: [2], widths: [100])
        XCTAssertFalse(report.passed)
        XCTAssertGreaterThan(report.maxAbsDiff, 1e-3)
        XCTAssertThrowsError(try report.requirePassed()) { error in
            XCTAssertTrue("\(error)".contains("FAILED"), "\(error)")
        }
    }
}
