import Foundation
import NN
import OCRModels
import OCRRun
import Torch
import XCTest
@testable import OCRImport

/// PaddleOCR's PP-OCR v2.0 angle classifier (RapidOCR's ch_ppocr_mobile_v2.0_cls_infer.onnx:
/// paddle2onnx at opset 11, conv biases as Reshape + Add) imported into OCRKit's MobileNetV3
/// classifier from configs/cls/cls_mv3.yml, against onnxruntime on the original file.
final class ClassifierImportTests: XCTestCase {
    func testClassifierLogitsMatchOnnxRuntime() throws {
        try ImportFixtures.requireModel(ImportFixtures.clsModel)
        let run = try RunConfig(path: ImportFixtures.clsConfig)
        let (imported, checkpoint) = try PaddleModelImport.checkpoint(ImportFixtures.clsModel, config: run)
        XCTAssertEqual(checkpoint.task.kind, .cls)
        XCTAssertEqual(checkpoint.task.labels, ["0", "180"])
        let model = try XCTUnwrap(imported.model as? AngleClassifier)
        try model.load(imported.state, strict: true)
        model.eval()
        XCTAssertEqual(model.inputShape, [3, 48, 192])
        let lines = try ImportFixtures.renderLines(["hello", "Invoice 42", "upside"])
        let input = try ImportFixtures.batch(lines, height: 48, width: 192)
        let ours = try noGrad { try model(Tensor(input, shape: [3, 3, 48, 192])) }
        let reference = try ImportFixtures.referenceLogits(model: ImportFixtures.clsModel, input: input, batch: 3, width: 192)
        XCTAssertEqual(ours.shape, reference.shape)
        let diff = zip(try ours.contiguous().toArray(Float.self), reference.values).map { abs($0 - $1) }.max() ?? .infinity
        print("PP-OCR v2.0 cls import: batch 3, 3x48x192: logits max |diff| = \(diff) (limit 1e-4)")
        XCTAssertLessThan(diff, 1e-4)
    }

    /// The recogniser file given to the classifier config, and the reverse: the first differing node.
    func testRecogniserAndClassifierFilesAreNotInterchangeable() throws {
        try ImportFixtures.requireModel(ImportFixtures.clsModel)
        let rec = try RecognitionRunConfig(path: ImportFixtures.recConfig)
        let m = thrownMessage { try PaddleModelImport.load(ImportFixtures.clsModel, architecture: rec.architecture, inputShape: rec.inputShape) }
        // The cls file has no charset metadata: refused before any matching.
        XCTAssertTrue(m.hasPrefix(ImportFixtures.clsModel + ": no 'character' metadata"), m)
    }
}
