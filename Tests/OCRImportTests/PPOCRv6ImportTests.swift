import Foundation
import NN
import OCRCore
import OCREval
import OCRModels
import OCRRun
import OCRTrain
import Torch
import XCTest
@testable import OCRImport

/// PP-OCRv6 small's recogniser (RapidOCR 3.10.0's PP-OCRv6_rec_small.onnx: weights in
/// initializers, opset 11) imported into PPLCNetV4 small + the light SVTR neck + a CTC head over
/// 18,710 classes: LibTorch against onnxruntime on the original file, and zero-shot equality.
final class PPOCRv6ImportTests: XCTestCase {
    static let texts = ["hello", "OCRKit 2026", "The quick brown fox jumps", "Invoice 2026-11-26", "recognition", "Total: 12.50 EUR"]

    func importedModel() throws -> (model: any Recognizer, imported: PaddleModelImport.Imported) {
        try ImportFixtures.importedRecognizer(ImportFixtures.v6RecModel, config: ImportFixtures.v6RecConfig)
    }

    /// Probabilities within 1e-4 of onnxruntime's on the original file, batch 1 and 3, widths
    /// 160, 320 and 480 (logits within 1e-4 of the largest logit, as for PP-OCRv4).
    func testProbabilitiesMatchOnnxRuntimeOnTheOriginalFile() throws {
        let (model, imported) = try importedModel()
        print(imported.report.description.split(separator: "\n").first ?? "")
        XCTAssertEqual(model.classes, 18710)
        XCTAssertEqual(imported.report.entries.count, model.namedParameters().count + model.namedBuffers().count
                       - model.namedBuffers().filter { $0.path.hasSuffix("num_batches_tracked") }.count)
        let lines = try ImportFixtures.renderLines(Self.texts)
        for width in [160, 320, 480] {
            for batch in [1, 3] {
                let chosen = Array(lines[(width / 160 - 1)...].prefix(batch))
                try ImportFixtures.assertRecognitionParity(model, file: ImportFixtures.v6RecModel, lines: chosen, width: width,
                                                           classes: 18710, name: "PP-OCRv6 small import")
            }
        }
    }

    /// The checkpoint `ocr-train import` writes, scored by ocr-eval's checkpoint path, reads the
    /// same rendered lines as the original file through ocr-eval's ONNX path.
    func testZeroShotEqualityWithTheOriginalFile() throws {
        try ImportFixtures.assertZeroShotEquality(model: ImportFixtures.v6RecModel, config: ImportFixtures.v6RecConfig,
                                                  texts: ZeroShotEvalTests.words, name: "PP-OCRv6 small")
    }

    /// PP-OCRv6 small det's backbone (PPLCNetV4 small, det layout) imported as the first part of
    /// PP-OCRv6_det_small.onnx (its RepLKFPN neck and DB head follow there and are not built yet),
    /// against onnxruntime's values of the four stage outputs (the residual adds that end stages
    /// s1-s4, which the neck's 1 x 1 convs read).
    func testDetBackboneFeaturesMatchOnnxRuntime() throws {
        let model = ImportFixtures.packageRoot + "/.deps/models/PP-OCRv6_det_small.onnx"
        try ImportFixtures.requireModel(model)
        let backbone = try PPLCNetV4(Path.root / "backbone", modelSize: "small", det: true)
        XCTAssertEqual(backbone.featureChannels, [48, 96, 192, 384])
        let file = try ONNXModelFile(contentsOf: model)
        let (state, report) = try PaddleImporter.state(from: file, for: backbone, prefix: true)
        try backbone.load(state, strict: true)
        backbone.eval()
        print("PP-OCRv6 det backbone: \(report.entries.count) tensors from \(report.nodesMatched) weight nodes")
        let names = ["p2o.pd_op.add.14.0", "p2o.pd_op.add.27.0", "p2o.pd_op.add.50.0", "p2o.pd_op.add.63.0"]
        for (b, h, w) in [(1, 320, 320), (2, 96, 160)] {
            let input = try ImportFixtures.batch(try ImportFixtures.renderLines(Array(Self.texts.prefix(b))), height: h, width: w)
            let ours = try noGrad { try backbone.features(Tensor(input, shape: [b, 3, h, w])) }
            let references = try ImportFixtures.referenceOutputs(model: model, input: input, shape: [b, 3, h, w], names: names)
            for (i, (t, reference)) in zip(ours, references).enumerated() {
                XCTAssertEqual(t.shape, [b, [48, 96, 192, 384][i], h >> (i + 2), w >> (i + 2)])
                let diff = zip(try t.contiguous().toArray(Float.self), reference).map { abs($0 - $1) }.max() ?? .infinity
                let scale = reference.map(abs).max() ?? 0
                print("PP-OCRv6 det backbone \(b)x\(h)x\(w) feature \(i) \(t.shape): max |diff| = \(diff) at max |value| \(scale) "
                      + "(limit 1e-4 x max(1, max |value|))")
                XCTAssertLessThan(diff, 1e-4 * max(1, scale))
            }
        }
    }

    /// `Global.pretrained_model: PP-OCRv6_rec_small.onnx` with en_ascii: the run imports the file,
    /// keeps the head rows of the characters both charsets have, trains through PPLCNetV4 and the
    /// light SVTR neck, and still reads clean lines after a step at the warm-up rate.
    func testFineTuningStartsFromTheOnnxFile() throws {
        try ImportFixtures.requireModel(ImportFixtures.v6RecModel)
        let dir = try ImportFixtures.scratchDirectory("pretrained-v6")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try ImportFixtures.writeLabelledLines(["hello", "OCRKit", "fine tune", "Invoice 42"], to: dir)
        let run = try ImportFixtures.fineTuneRun(config: ImportFixtures.v6RecConfig, model: ImportFixtures.v6RecModel, dir: dir, steps: 1, batch: 2)
        let (text, evaluations) = try ImportFixtures.recordingEvents { record in _ = try run.makeTrainer(events: record).run(events: record) }
        XCTAssertTrue(text.contains("imported \(ImportFixtures.v6RecModel)"), text)
        XCTAssertTrue(text.contains("head/fc/weight: kept 96 of 96 class rows, 0 new characters start fresh"), text)
        let last = try XCTUnwrap(evaluations.last)
        print("PP-OCRv6 after 1 fine-tuning step: \(last.metrics)")
        XCTAssertGreaterThanOrEqual(last.mainMetric, 0.75)
    }

    /// The v4 recogniser's file given with the v6 config is refused at its first node.
    func testPPOCRv4FileIsRefusedForTheV6Architecture() throws {
        try ImportFixtures.requireModel()
        let run = try RecognitionRunConfig(path: ImportFixtures.v6RecConfig)
        let m = thrownMessage { try PaddleModelImport.load(ImportFixtures.recModel, architecture: run.architecture, inputShape: run.inputShape) }
        print(m)
        XCTAssertTrue(m.hasPrefix(ImportFixtures.recModel + ": the graph does not match the SVTR_LCNet model: weight node #1"), m)
    }
}
