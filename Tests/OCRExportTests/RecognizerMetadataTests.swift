import Foundation
import NN
import OCRCore
import OCRExport
import OCRModels
import OCRTrain
import Torch
import XCTest

final class RecognizerMetadataTests: XCTestCase {
    static let keys = [
        "ocrkit.kind", "ocrkit.format_version", "ocrkit.algorithm", "character", "ocrkit.use_space_char", "ocrkit.blank_index",
        "ocrkit.input_channels", "ocrkit.input_height", "ocrkit.input_width", "ocrkit.fixed_width", "ocrkit.resize",
        "ocrkit.mean", "ocrkit.std", "ocrkit.color_order", "ocrkit.decoder", "ocrkit.output", "ocrkit.precision",
        "ocrkit.source_checkpoint", "ocrkit.config_sha256",
    ]

    /// A checkpoint written as the trainer writes one (config, charset, weights), exported by
    /// path: the metadata is read back from the file by Python's onnx, the weights by running it.
    func testExportFromCheckpointRoundTripsMetadata() throws {
        let config = try RecognitionRunConfig(path: TestModels.crnnLargeConfig)
        let charset = try config.charset()
        let trained = try config.makeModel(charset: charset)
        try calibrateBatchNorms(trained, on: lines([8, 3, 32, 100]))
        var checkpoint = Checkpoint()
        checkpoint.model = Dictionary(uniqueKeysWithValues: trained.stateDict().map { ($0.path, $0.tensor) })
        checkpoint.config = try config.tree.yaml()
        checkpoint.charset = charset.dictionaryText
        checkpoint.useSpaceChar = charset.useSpaceChar
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ocrkit-meta-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/best.h5"
        try checkpoint.write(to: path)

        let (onnx, loaded) = try RecognizerExporter.export(checkpointAt: path)
        let x = try lines([2, 3, 32, 100])
        let c = [PythonONNXCheck.Case(input: x, expected: try noGrad { try trained(x) })]
        let report = try PythonONNXCheck.run(onnx, cases: c)
        assertParity(report, c, "CRNN exported from a checkpoint")
        XCTAssertFalse(loaded.isTraining)

        XCTAssertEqual(report.metadataKeys, Self.keys)
        let m = report.metadata
        XCTAssertEqual(m["ocrkit.kind"], "rec")
        XCTAssertEqual(m["ocrkit.format_version"], "1")
        XCTAssertEqual(m["ocrkit.algorithm"], "CRNN")
        let lines = try XCTUnwrap(m["character"]).components(separatedBy: "\n")
        XCTAssertEqual(lines.count, 94, "en_ascii.txt's 94 characters; no blank, no appended space")
        XCTAssertEqual(lines, try String(contentsOfFile: PythonONNXCheck.packageRoot + "/configs/dicts/en_ascii.txt", encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty })
        XCTAssertFalse(lines.contains(" "))
        XCTAssertEqual(m["ocrkit.use_space_char"], "true")
        XCTAssertEqual(lines.count + 2, onnx.graph.outputs[0].dims[2].size, "blank + characters + space = classes")
        XCTAssertEqual(m["ocrkit.blank_index"], "0")
        XCTAssertEqual(m["ocrkit.input_channels"], "3")
        XCTAssertEqual(m["ocrkit.input_height"], "32")
        XCTAssertEqual(m["ocrkit.input_width"], "320")   // crnn_mv3.yml trains at 3x32x320
        XCTAssertEqual(m["ocrkit.fixed_width"], "false")
        XCTAssertEqual(m["ocrkit.resize"], "keep_ratio_pad")
        XCTAssertEqual(m["ocrkit.mean"], "0.5,0.5,0.5")
        XCTAssertEqual(m["ocrkit.std"], "0.5,0.5,0.5")
        XCTAssertEqual(m["ocrkit.color_order"], "BGR")
        XCTAssertEqual(m["ocrkit.decoder"], "ctc_greedy")
        XCTAssertEqual(m["ocrkit.output"], "logits")
        XCTAssertEqual(m["ocrkit.precision"], "fp32")
        XCTAssertEqual(m["ocrkit.source_checkpoint"], path)
        XCTAssertEqual(m["ocrkit.config_sha256"], SHA256Digest(of: checkpoint.config).hex)
        XCTAssertEqual(m["ocrkit.config_sha256"]?.count, 64)
    }

    func testSVTRMetadataSaysFixedWidthAndStretch() {
        let charset = try! Charset(characters: "ab")
        let m = RecognizerMetadata(algorithm: "SVTR", charset: charset, inputShape: [3, 32, 100], fixedWidth: true, resize: .stretch)
        let props = Dictionary(uniqueKeysWithValues: m.properties.map { ($0.key, $0.value) })
        XCTAssertEqual(m.properties.map(\.key), Self.keys)
        XCTAssertEqual(props["ocrkit.fixed_width"], "true")
        XCTAssertEqual(props["ocrkit.resize"], "stretch")
        XCTAssertEqual(props["ocrkit.use_space_char"], "false")
        XCTAssertEqual(props["character"], "a\nb")
    }

    /// Metadata that does not describe the model is refused, naming each difference.
    func testMismatchedMetadataIsRefused() throws {
        let charset = try Charset(characters: "0123456789")
        var arch = ArchitectureConfig.crnnMobileNetV3
        arch.backbone = .mobileNetV3(MobileNetV3Config(modelName: "small", scale: 0.5, smallStride: [1, 2, 2, 2]))
        let model = try RecognizerFactory.build(arch, classes: charset.classCount, inputShape: [3, 32, 100])
        let good = RecognizerMetadata(algorithm: "CRNN", charset: charset, inputShape: [3, 32, 100], fixedWidth: false, resize: .keepRatioPad)
        XCTAssertNoThrow(try good.check(against: model))

        var wrong = good
        wrong.charset = try Charset(characters: "0123456789", useSpaceChar: true)
        wrong.inputHeight = 48
        wrong.fixedWidth = true
        XCTAssertThrowsError(try RecognizerExporter.export(model: model, metadata: wrong)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("12 classes"), message)
            XCTAssertTrue(message.contains("input height 48"), message)
            XCTAssertTrue(message.contains("fixed_width true"), message)
        }
    }

    /// `write(to:)` replaces the file whole and creates the folder.
    func testWriteIsAtomicAndComplete() throws {
        let charset = try Charset(characters: "01")
        var arch = ArchitectureConfig.crnnMobileNetV3
        arch.neck = NeckConfig(encoderType: "reshape")
        let model = try RecognizerFactory.build(arch, classes: charset.classCount, inputShape: [3, 32, 64])
        let onnx = try RecognizerExporter.export(model: model, metadata: RecognizerMetadata(
            algorithm: "CRNN", charset: charset, inputShape: [3, 32, 64], fixedWidth: false, resize: .keepRatioPad))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ocrkit-write-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/sub/model.onnx"
        try onnx.write(to: path)
        try onnx.write(to: path)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data(onnx.serialized()))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/sub"), ["model.onnx"], "no temporary file left")
    }
}
