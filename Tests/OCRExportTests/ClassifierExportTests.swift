import Foundation
import NN
import OCRCore
import OCRData
import OCRExport
import OCRInference
import OCRModels
import Torch
import XCTest

/// The angle classifier (configs/cls/cls_mv3.yml) exported to ONNX: ONNX Runtime through
/// OCRInference's session and the independent Python checker against LibTorch's eval-mode
/// forward, max |diff| <= 1e-4, plus the metadata the inference side reads.
final class ClassifierExportTests: XCTestCase {
    static let configPath = PythonONNXCheck.packageRoot + "/configs/cls/cls_mv3.yml"

    override func setUp() { Torch.seed(3) }

    /// cls_mv3 at 3 x 48 x 192 with BatchNorm statistics of image-like input and a head that
    /// tells such images apart: a fresh head's logits are all near 0, and a head with merely
    /// larger weights gives every image nearly the same saturated probabilities (the pooled
    /// features share a large common part). Either would hide a wrong export behind probabilities
    /// that hardly move, so the head is calibrated like the norms: a random direction per class,
    /// centred and scaled on 16 images so each logit varies between images with std 2.
    func classifier(seed: UInt64 = 11) throws -> AngleClassifier {
        Torch.seed(seed)                                // random weights and inputs: the same every run
        let model = try ClassifierFactory.build(.clsMobileNetV3, inputShape: [3, 48, 192])
        try calibrateBatchNorms(in: model, on: lines([8, 3, 48, 192])) { try model($0) }
        try noGrad {
            let features = try model.head.pool(model.backbone(lines([16, 3, 48, 192]))).flatten(1)   // 16 x 200
            let w = try Tensor.randn([2, 200])
            let z = try features.matmul(w.transpose(0, 1))                                           // 16 x 2
            let mean = try z.mean(dims: [0]), std = try ((z - z.mean(dims: [0])) * (z - z.mean(dims: [0]))).mean(dims: [0]).sqrt()
            try model.head.fc.weight.copy(from: w * 2 / std.unsqueeze(1))
            try model.head.fc.bias!.copy(from: mean * -2 / std)
        }
        return model
    }

    /// Image-like inputs and LibTorch's probabilities (eval mode); batches over 1 must spread.
    func cases(_ model: AngleClassifier, batches: [Int], file: StaticString = #filePath, line: UInt = #line) throws -> [PythonONNXCheck.Case] {
        model.eval()
        return try batches.map { b in
            let x = try lines([b, 3, 48, 192])
            let probs = try noGrad { try model.probabilities(x) }
            if b > 1 {
                let s = try inputSensitivity(probs)
                print("cls probabilities spread over batch \(b): \(String(format: "%.3f", s))")
                XCTAssertGreaterThan(s, 0.2, "probabilities hardly depend on the input (max spread \(s))", file: file, line: line)
            }
            return PythonONNXCheck.Case(input: x, expected: probs)
        }
    }

    func testParityThroughInferenceSession() throws {
        let model = try classifier()
        let onnx = try ClassifierExporter.export(model: model, metadata: ClassifierMetadata())
        _ = try cases(model, batches: [3])
        model.train()
        let report = try ParityCheck.run(onnx, against: model)
        print("AngleClassifier (cls_mv3) through OCRInference.InferenceSession\n\(report)")
        XCTAssertTrue(report.passed, "\(report)")
        XCTAssertEqual(report.measurements.map(\.batch), [1, 3])
        XCTAssertEqual(report.measurements.map(\.width), [192, 192])
        XCTAssertTrue(report.description.contains("LibTorch probs"), report.description)
        XCTAssertTrue(model.isTraining, "the module's mode is restored")

        // The same check against other weights fails: the comparison can see a wrong export.
        let other = try classifier(seed: 12)
        let wrong = try ParityCheck.run(onnx, against: other, batches: [3])
        print("against other weights: max |diff| = \(String(format: "%.2e", wrong.maxAbsDiff))")
        XCTAssertFalse(wrong.passed)
        XCTAssertGreaterThan(wrong.maxAbsDiff, 1e-2)
    }

    /// Python's onnx full checker and onnxruntime: the exported file (probs) and the module's own
    /// graph (logits, through `ONNXExportable`) against LibTorch; names, shapes, ops, metadata.
    func testPythonCheckerAndMetadata() throws {
        let model = try classifier()
        let metadata = ClassifierMetadata(sourceCheckpoint: "cls.h5", configSHA256: "0")
        let exported = try ClassifierExporter.export(model: model, metadata: metadata)
        let probCases = try cases(model, batches: [1, 3])
        let logitCases = try probCases.map { c in PythonONNXCheck.Case(input: c.input, expected: try noGrad { try model(c.input) }) }
        let reports = try PythonONNXCheck.run([(exported, probCases), (try layerModel(model, inputRank: 4, outputRank: 2), logitCases)])
        assertParity(reports[0], probCases, "AngleClassifier cls_mv3 probs")
        assertParity(reports[1], logitCases, "AngleClassifier cls_mv3 logits")

        let r = reports[0]
        XCTAssertEqual(r.inputs.map(\.name), ["x"])
        XCTAssertEqual(r.inputs[0].dims, [.param("batch"), .value(3), .value(48), .value(192)])
        XCTAssertEqual(r.outputs.map(\.name), ["probs"])
        XCTAssertEqual(r.outputs[0].dims, [.param("batch"), .value(2)])
        XCTAssertEqual(r.opsets, ["": 17])
        for op in ["GlobalAveragePool", "Flatten", "MatMul", "Softmax", "HardSigmoid", "MaxPool"] {
            XCTAssertTrue(r.opTypes.contains(op), "\(op) in \(r.opTypes)")
        }
        XCTAssertFalse(r.opTypes.contains("BatchNormalization"), "BatchNorm is folded by default")
        XCTAssertTrue(r.initializers.contains("head/fc/weight"))
        XCTAssertEqual(r.metadataKeys, metadata.properties.map(\.key))
        let expected: [String: String] = [
            "ocrkit.kind": "cls", "ocrkit.format_version": "1", "ocrkit.algorithm": "CLS", "ocrkit.labels": "0,180",
            "ocrkit.threshold": "0.9", "ocrkit.input_channels": "3", "ocrkit.input_height": "48", "ocrkit.input_width": "192",
            "ocrkit.fixed_width": "true", "ocrkit.resize": "keep_ratio_pad", "ocrkit.mean": "0.5,0.5,0.5", "ocrkit.std": "0.5,0.5,0.5",
            "ocrkit.color_order": "BGR", "ocrkit.output": "probs", "ocrkit.precision": "fp32", "ocrkit.source_checkpoint": "cls.h5",
            "ocrkit.config_sha256": "0",
        ]
        XCTAssertEqual(r.metadata, expected)
    }

    /// configs/cls/cls_mv3.yml: the Architecture decodes strictly to PaddleOCR's preset and builds
    /// the classifier at Train's ClsResizeImg shape; the metadata follows the config's label_list
    /// and transforms. A CTCHead key under ClsHead is an unknown key.
    func testShippedConfigBuildsTheExportedModel() throws {
        let tree = try ConfigTree(contentsOf: Self.configPath)
        let arch = try tree.decode(ArchitectureConfig.self, at: "Architecture")
        XCTAssertEqual(arch, .clsMobileNetV3)
        let train = try tree.decode(ClsDataSection.self, at: "Train")
        let model = try ClassifierFactory.build(arch, inputShape: train.dataset.transforms.resize.imageShape)
        XCTAssertEqual(model.inputShape, [3, 48, 192])
        let labels = try XCTUnwrap(try tree.strings("PostProcess.label_list"))
        XCTAssertEqual(try tree.strings("Global.label_list"), labels, "PaddleOCR reads Global's; PostProcess repeats it")
        let metadata = ClassifierMetadata(labels: labels, resize: train.dataset.transforms.resize, decodeMode: train.dataset.transforms.decodeMode)
        XCTAssertEqual(metadata, ClassifierMetadata())
        XCTAssertNoThrow(try ClassifierExporter.export(model: model, metadata: metadata))

        let typo = try String(contentsOfFile: Self.configPath, encoding: .utf8)
            .replacingOccurrences(of: "    class_dim: 2", with: "    class_dim: 2\n    fc_decay: 0")
        XCTAssertThrowsError(try ConfigTree(yaml: typo).decode(ArchitectureConfig.self, at: "Architecture")) { error in
            XCTAssertTrue("\(error)".contains("Architecture.Head.fc_decay"), "\(error)")
        }
    }

    func testMetadataMustDescribeTheModel() throws {
        let model = try ClassifierFactory.build(.clsMobileNetV3, inputShape: [3, 48, 192])
        let cases: [(ClassifierMetadata, String)] = [
            (ClassifierMetadata(labels: ["0", "90", "180"]), "3 labels"),
            (ClassifierMetadata(labels: ["0", "1,8"]), "free of commas"),
            (ClassifierMetadata(inputShape: [3, 48, 320]), "input shape [3, 48, 320], model [3, 48, 192]"),
            (ClassifierMetadata(threshold: 1.5), "threshold 1.5"),
            (ClassifierMetadata(mean: [0.5]), "mean/std need 3 values"),
        ]
        for (metadata, message) in cases {
            XCTAssertThrowsError(try ClassifierExporter.export(model: model, metadata: metadata)) { error in
                XCTAssertTrue("\(error)".contains(message), "\(error)")
            }
        }
    }
}
