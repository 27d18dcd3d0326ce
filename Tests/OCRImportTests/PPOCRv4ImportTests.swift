import Foundation
import NN
import OCRCore
import OCRModels
import OCRRun
import OCRTrain
import Torch
import XCTest
@testable import OCRImport

/// PaddleOCR's PP-OCRv4 recogniser imported into OCRKit's PPLCNetV3 + SVTR neck + CTC head:
/// LibTorch's logits against onnxruntime's on the original file, the checkpoint `ocr-train
/// import` writes, the charset change on import, and files or configs that do not match.
final class PPOCRv4ImportTests: XCTestCase {
    static let texts = ["hello", "OCRKit 2026", "The quick brown fox jumps", "Invoice 2026-11-26", "recognition", "Total: 12.50 EUR"]

    func config(_ overrides: [String] = []) throws -> RecognitionRunConfig {
        try RecognitionRunConfig(path: ImportFixtures.recConfig, overrides: overrides)
    }

    func importedModel() throws -> (model: any Recognizer, imported: PaddleModelImport.Imported) {
        try ImportFixtures.importedRecognizer(ImportFixtures.recModel, config: ImportFixtures.recConfig)
    }

    /// Probabilities within 1e-4 of onnxruntime's on the original file (logits within 1e-4 of the
    /// largest logit), batch 1 and 3, widths 160, 320 and 480.
    func testLogitsMatchOnnxRuntimeOnTheOriginalFile() throws {
        let (model, imported) = try importedModel()
        XCTAssertEqual(model.classes, 6625)
        XCTAssertEqual(imported.report.entries.count, model.namedParameters().count + model.namedBuffers().count
                       - model.namedBuffers().filter { $0.path.hasSuffix("num_batches_tracked") }.count)
        let lines = try ImportFixtures.renderLines(Self.texts)
        for width in [160, 320, 480] {
            for batch in (width == 320 ? [1, 3, 6] : [1, 3]) {
                let chosen = Array(lines[(batch == 6 ? 0 : width / 160 - 1)...].prefix(batch))
                try ImportFixtures.assertRecognitionParity(model, file: ImportFixtures.recModel, lines: chosen, width: width,
                                                           classes: 6625, name: "PP-OCRv4 import")
            }
        }
    }

    /// `ocr-train import`'s checkpoint reads back through ocr-eval's loader with the file's charset.
    func testCheckpointKeepsWeightsAndCharset() throws {
        try ImportFixtures.requireModel()
        let dir = try ImportFixtures.scratchDirectory("ckpt")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try config()
        let (imported, checkpoint) = try PaddleModelImport.checkpoint(ImportFixtures.recModel, config: run.base)
        try checkpoint.write(to: dir + "/v4.h5")
        let (model, charset, _) = try CheckpointEvaluation.loadModel(run, checkpoint: dir + "/v4.h5")
        XCTAssertEqual(charset.classCount, 6625)
        XCTAssertTrue(charset.useSpaceChar)
        let w = try XCTUnwrap(model.namedParameters().first { $0.path == "head/fc/weight" }).tensor
        let source = try XCTUnwrap(imported.state["head/fc/weight"])
        XCTAssertEqual(try w.toArray(Float.self), try source.toArray(Float.self))
    }

    /// Fine-tuning on en_ascii keeps the rows of the characters PaddleOCR's charset has too.
    func testCharsetChangeKeepsSharedRows() throws {
        let (_, imported) = try importedModel()
        let ascii = try Charset(contentsOf: ImportFixtures.packageRoot + "/configs/dicts/en_ascii.txt", useSpaceChar: true)
        let run = try config()
        let target = try RecognizerFactory.build(run.architecture, classes: ascii.classCount, inputShape: run.inputShape)
        let task = RecognitionTask(forward: { try target($0) }, charset: ascii)
        var state = imported.state
        let notes = try task.adaptPretrained(&state, saved: imported.task, model: target, path: "ch_PP-OCRv4_rec_infer.onnx")
        print("PP-OCRv4 -> en_ascii: " + notes.joined(separator: "; "))
        let old = try Charset(dictionaryText: imported.task.charset, useSpaceChar: true, keepingDuplicates: true)
        let shared = (1..<ascii.classCount).filter { c in ascii.character(forClass: c).flatMap { old.classIndex(of: $0) } != nil }.count
        XCTAssertTrue(notes.contains { $0.contains("head/fc/weight: kept \(shared + 1) of \(ascii.classCount)") }, "\(notes)")
        XCTAssertGreaterThan(shared, 90, "ASCII letters, digits and punctuation are in ppocr_keys_v1")
        let report = try target.load(state, strict: true)
        XCTAssertTrue(report.isExact)
        // 'A' keeps its row.
        let a = try XCTUnwrap(ascii.classIndex(of: "A")), oldA = try XCTUnwrap(old.classIndex(of: "A"))
        let newRow = try XCTUnwrap(state["head/fc/weight"]).narrow(0, start: a, length: 1).toArray(Float.self)
        let oldRow = try XCTUnwrap(imported.state["head/fc/weight"]).narrow(0, start: oldA, length: 1).toArray(Float.self)
        XCTAssertEqual(newRow, oldRow)
    }

    /// ppocr_keys_v1.txt is a training dictionary: its 6,623 lines (two CJK compatibility
    /// ideographs among them) are 6,623 classes, each decoding to its own code points, and a
    /// config that trains on it fine-tunes the imported model with no row remapped.
    func testPPOCRKeysV1IsATrainingDictionary() throws {
        let (_, imported) = try importedModel()
        let path = ImportFixtures.packageRoot + "/.deps/models/ppocr_keys_v1.txt"
        let keys = try Charset(contentsOf: path, useSpaceChar: true)
        XCTAssertEqual(keys.classCount, 6625)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 6623)
        for (i, line) in lines.enumerated() {
            let encoded = keys.encode(String(line))
            XCTAssertEqual(encoded.classes, [i + 1], "line \(i + 1)")
            XCTAssertTrue(try keys.decode(encoded.classes).unicodeScalars.elementsEqual(line.unicodeScalars), "line \(i + 1)")
        }
        XCTAssertEqual(keys.classIndex(of: "\u{90CE}"), 4974)
        XCTAssertEqual(keys.classIndex(of: "\u{F92C}"), 5930)
        let run = try config()
        let target = try RecognizerFactory.build(run.architecture, classes: keys.classCount, inputShape: run.inputShape)
        let task = RecognitionTask(forward: { try target($0) }, charset: keys)
        var state = imported.state
        XCTAssertEqual(try task.adaptPretrained(&state, saved: imported.task, model: target, path: "ch_PP-OCRv4_rec_infer.onnx"), [])
        XCTAssertNoThrow(try task.checkResume(from: imported.task, path: "v4.h5"))
        // A dictionary that spells one class differently is another charset: resuming is refused.
        var swapped = imported.task
        swapped.charset = String(swapped.charset.unicodeScalars.map { $0 == "\u{F92C}" ? "\u{90CE}" : $0 }.map(Character.init))
        XCTAssertThrowsError(try task.checkResume(from: swapped, path: "v4.h5"))
    }

    /// Another size of the same architecture, another architecture, a classifier config: each
    /// refused with the file and the first differing node.
    func testMismatchedArchitecturesNameTheFirstDifferingNode() throws {
        try ImportFixtures.requireModel()
        let path = ImportFixtures.recModel
        let half = try config(["Architecture.Backbone.scale=0.5"])
        let m1 = thrownMessage { try PaddleModelImport.load(path, architecture: half.architecture, inputShape: half.inputShape) }
        XCTAssertTrue(m1.hasPrefix(path + ": the graph does not match"), m1)
        // x0.5 keeps the stem's 16 channels (make_divisible by 16); the first block's pointwise conv differs.
        XCTAssertTrue(m1.contains("weight node #11 is 'p2o.Conv.2' Conv([32, 16, 1, 1], [32])"), m1)
        XCTAssertTrue(m1.contains("expects Conv([16, 16, 1, 1], [16]) for backbone/blocks2/0/pw_conv/conv"), m1)

        let crnn = try RecognitionRunConfig(path: ImportFixtures.packageRoot + "/configs/rec/crnn_mv3.yml",
                                            overrides: ["Train.dataset.transforms=[{RecResizeImg: {image_shape: [3, 48, 320]}}]"])
        let m2 = thrownMessage { try PaddleModelImport.load(path, architecture: crnn.architecture, inputShape: [3, 48, 320]) }
        XCTAssertTrue(m2.hasPrefix(path + ": the CRNN model cannot be matched"), m2)
        XCTAssertTrue(m2.contains("LSTM at neck/encoder/lstm"), m2)

        let cls = try RunConfig(path: ImportFixtures.packageRoot + "/configs/cls/cls_mv3.yml")
        let m3 = thrownMessage { try PaddleModelImport.checkpoint(path, config: cls) }
        XCTAssertTrue(m3.hasPrefix(path + ": the graph does not match the AngleClassifier(CLS) model: weight node #1 is 'p2o.Conv.0'"), m3)
        print("mismatch messages:\n\(m1)\n\(m2)\n\(m3)")
    }

    func testTruncatedFileIsRefusedByTheImporter() throws {
        try ImportFixtures.requireModel()
        let dir = try ImportFixtures.scratchDirectory("trunc")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: ImportFixtures.recModel))
        let cut = dir + "/cut.onnx"
        try bytes.prefix(1_000_000).write(to: URL(fileURLWithPath: cut))
        let run = try config()
        let m = thrownMessage { try PaddleModelImport.load(cut, architecture: run.architecture, inputShape: run.inputShape) }
        XCTAssertTrue(m.hasPrefix(cut + ": not a readable ONNX model"), m)
        XCTAssertTrue(m.contains("at byte"), m)
    }
}
