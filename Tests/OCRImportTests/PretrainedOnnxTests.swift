import Foundation
import OCREval
import OCRRun
import OCRTrain
import XCTest

/// `Global.pretrained_model: file.onnx`: a fine-tuning run on en_ascii starts from PaddleOCR's
/// PP-OCRv4 file through the importer and the charset-change path, and says what it kept.
final class PretrainedOnnxTests: XCTestCase {
    func testFineTuningStartsFromTheOnnxFileWithTheSharedRows() throws {
        try ImportFixtures.requireModel()
        let dir = try ImportFixtures.scratchDirectory("pretrained")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ImportFixtures.writeLabelledLines(["hello", "OCRKit", "fine tune", "Invoice 42"], to: dir)
        let run = try ImportFixtures.fineTuneRun(config: ImportFixtures.recConfig, model: ImportFixtures.recModel, dir: dir, steps: 1, batch: 2)
        let (text, evaluations) = try ImportFixtures.recordingEvents { record in _ = try run.makeTrainer(events: record).run(events: record) }
        XCTAssertTrue(text.contains("imported \(ImportFixtures.recModel): 234 tensors"), text)
        XCTAssertTrue(text.contains("head/fc/weight: kept 96 of 96 class rows, 0 new characters start fresh"), text)
        XCTAssertTrue(text.contains("pretrained \(ImportFixtures.recModel): loaded"), text)
        // One step at a small rate keeps PaddleOCR's reading of clean lines.
        let last = try XCTUnwrap(evaluations.last)
        print("after 1 fine-tuning step: \(last.metrics)")
        XCTAssertGreaterThanOrEqual(last.mainMetric, 0.75)
    }

    /// The same for a detector: PP-OCRv4 det's file initialises configs/det/ppocrv4_det.yml's
    /// model (the threshold branch, not in the file, starts fresh and the run says so), and one
    /// step at the warm-up rate keeps its detection of rendered pages.
    func testDetectorFineTuningStartsFromTheOnnxFile() throws {
        try ImportFixtures.requireModel(DetImportTests.detModel)
        let dir = try ImportFixtures.scratchDirectory("pretrained-det")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try DetImportTests.runConfig(dir, count: 3, overrides: [
            "Global.pretrained_model=\(DetImportTests.detModel)", "Global.max_steps=1", "Global.save_model_dir=\(dir)/run",
            "Global.eval_batch_step=[0, 1]", "Train.loader.batch_size_per_card=2", "Train.loader.num_workers=0",
            "Eval.loader.num_workers=0",
        ])
        let (text, evaluations) = try ImportFixtures.recordingEvents { record in _ = try run.makeTrainer(events: record).run(events: record) }
        XCTAssertTrue(text.contains("imported \(DetImportTests.detModel): 234 tensors"), text)
        XCTAssertTrue(text.contains("head/thresh: not in the file, initialised fresh (training only)"), text)
        XCTAssertTrue(text.contains("pretrained \(DetImportTests.detModel): loaded"), text)
        let last = try XCTUnwrap(evaluations.last)
        print("PP-OCRv4 det after 1 fine-tuning step: \(last.metrics)")
        XCTAssertGreaterThan(last.mainMetric, 0.5)
    }
}
