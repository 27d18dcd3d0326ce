import Foundation
import NN
import OCRCore
import OCRExport
import OCRInference
import OCRModels
import Torch
import XCTest

/// The DB detector exported to ONNX: a small DBNet (MobileNetV3 small x0.35 + RSEFPN 16, or
/// DBFPN 32 as det_mv3_db.yml's neck) with BatchNorm statistics of image-like pages, checked by
/// ONNX Runtime through OCRInference's session and by the independent Python checker against
/// LibTorch's eval-mode probability map, at several page sizes from one graph.
final class DetectorExportTests: XCTestCase {
    static func architecture(neck: NeckConfig = .rseFPN(outChannels: 16, shortcut: true)) -> ArchitectureConfig {
        ArchitectureConfig(modelType: "det", algorithm: "DB", backbone: .mobileNetV3(MobileNetV3Config(modelName: "small", scale: 0.35)),
                           neck: neck, head: .dbHead(k: 50))
    }

    /// A detector whose map depends on the page: fresh BatchNorms let a random-init backbone's
    /// signal fade and the sigmoid give about the same map for every input, which would hide a
    /// wrong export; so every norm gets the statistics of its own input on image-like pages.
    func detector(seed: UInt64 = 21, neck: NeckConfig = .rseFPN(outChannels: 16, shortcut: true)) throws -> DBNet {
        Torch.seed(seed)
        let model = try DetectorFactory.make(Self.architecture(neck: neck))
        try calibrateBatchNorms(in: model, on: lines([4, 3, 128, 128])) { try model($0) }
        model.eval()
        let maps = try noGrad { try model(lines([3, 3, 128, 128])) }
        let spread = try inputSensitivity(maps)
        print("det maps spread over 3 pages: \(String(format: "%.3f", spread))")
        XCTAssertGreaterThan(spread, 0.05, "the probability map hardly depends on the page")
        return model
    }

    let sizes: [(batch: Int, height: Int, width: Int)] = [(1, 320, 320), (2, 640, 480), (1, 960, 640)]

    /// One graph, several page sizes, BatchNorm folded and not: ONNX Runtime within 1e-4 of
    /// LibTorch; the module's mode is restored; other weights fail the same check.
    func testParityAtSeveralSizes() throws {
        let model = try detector()
        model.train()
        let onnx = try DetectorExporter.export(model: model, metadata: DetectorMetadata())
        let report = try ParityCheck.run(onnx, against: model, sizes: sizes)
        print("DBNet (small x0.35, RSEFPN 16), BatchNorm folded\n\(report)")
        XCTAssertTrue(report.passed, "\(report)")
        XCTAssertEqual(report.measurements.map(\.height), [320, 640, 960])
        XCTAssertEqual(report.measurements.map(\.width), [320, 480, 640])
        XCTAssertEqual(report.measurements.map(\.batch), [1, 2, 1])
        XCTAssertTrue(report.description.contains("LibTorch maps"), report.description)
        XCTAssertTrue(report.description.contains("size 640 x 480"), report.description)
        XCTAssertTrue(model.isTraining, "the module's mode is restored")
        XCTAssertNil(node(onnx, "BatchNormalization"), "every BatchNorm is folded")
        XCTAssertNotNil(node(onnx, "ConvTranspose", in: "head/binarize/conv2"))
        XCTAssertNil(onnx.graph.nodes.first { $0.name.hasPrefix("head/thresh") }, "the threshold branch is not exported")

        let unfolded = try DetectorExporter.export(model: model, metadata: DetectorMetadata(), options: ExportOptions(foldBatchNorm: false))
        XCTAssertNotNil(node(unfolded, "BatchNormalization"))
        let r2 = try ParityCheck.run(unfolded, against: model, sizes: [(1, 320, 320)])
        XCTAssertTrue(r2.passed, "\(r2)")

        let wrong = try ParityCheck.run(onnx, against: detector(seed: 22), sizes: [(1, 320, 320)])
        print("against other weights: max |diff| = \(String(format: "%.2e", wrong.maxAbsDiff))")
        XCTAssertFalse(wrong.passed)
        XCTAssertGreaterThan(wrong.maxAbsDiff, 1e-2)
    }

    /// det_mv3_db.yml's neck (DBFPN: plain convs, no SE) exports as well.
    func testDBFPNNeck() throws {
        let model = try detector(seed: 23, neck: .dbFPN(outChannels: 32))
        let report = try ParityCheck.run(try DetectorExporter.export(model: model, metadata: DetectorMetadata()), against: model,
                                         sizes: [(2, 320, 256)])
        print("DBNet (small x0.35, DBFPN 32)\n\(report)")
        XCTAssertTrue(report.passed, "\(report)")
    }

    /// PaddleOCR's two full-size presets (det_mv3_db.yml: large x0.5 + DBFPN 256; the PP-OCRv3
    /// student: large x0.5 without SE + RSEFPN 96) stay within 1e-4 at 640 x 640 and 960 x 640: the
    /// deeper pyramid sums more float error than the small model.
    func testFullSizePresets() throws {
        for arch in [ArchitectureConfig.dbMobileNetV3, .dbRSEFPN] {
            Torch.seed(31)
            let model = try DetectorFactory.make(arch)
            try calibrateBatchNorms(in: model, on: lines([2, 3, 256, 256])) { try model($0) }
            let report = try ParityCheck.run(try DetectorExporter.export(model: model, metadata: DetectorMetadata()), against: model,
                                             sizes: [(1, 640, 640), (1, 960, 640)])
            print("DBNet \(model.kind)\n\(report)")
            XCTAssertTrue(report.passed, "\(model.kind): \(report)")
        }
    }

    /// PP-OCRv4's mobile detector as OCRKit builds it (PPLCNetV3 det x0.75 + RSEFPN 96 + DBHead),
    /// the model an imported PaddleOCR detector is fine-tuned in, exports through the same writer.
    func testPPOCRv4DetectorLayout() throws {
        Torch.seed(41)
        let arch = ArchitectureConfig(modelType: "det", algorithm: "DB", backbone: .ppLCNetV3(PPLCNetV3Config(scale: 0.75, det: true)),
                                      neck: .rseFPN(outChannels: 96, shortcut: true), head: .dbHead(k: 50))
        let model = try DetectorFactory.make(arch)
        try calibrateBatchNorms(in: model, on: lines([2, 3, 256, 256])) { try model($0) }
        let report = try ParityCheck.run(try DetectorExporter.export(model: model, metadata: DetectorMetadata()), against: model,
                                         sizes: [(1, 320, 320), (2, 640, 480)])
        print("DBNet \(model.kind)\n\(report)")
        XCTAssertTrue(report.passed, "\(model.kind): \(report)")
    }

    /// Python's onnx full checker and onnxruntime on the file: opset 17, symbolic batch, height
    /// and width, one output `maps` B x 1 x H x W, the det metadata, and the maps at two sizes.
    func testPythonCheckerAndGraph() throws {
        let model = try detector()
        let metadata = DetectorMetadata(sourceCheckpoint: "det.h5", configSHA256: "0")
        let onnx = try DetectorExporter.export(model: model, metadata: metadata)
        let cases = try [[1, 3, 320, 320], [2, 3, 256, 416]].map { shape in
            let x = try lines(shape)
            return PythonONNXCheck.Case(input: x, expected: try noGrad { try model(x) })
        }
        let report = try PythonONNXCheck.run(onnx, cases: cases)
        assertParity(report, cases, "DBNet small x0.35 + RSEFPN 16")
        XCTAssertEqual(report.opsets[""], 17)
        XCTAssertEqual(report.inputs.map(\.name), ["x"])
        XCTAssertEqual(report.inputs[0].dims.map(\.description), ["batch", "3", "height", "width"])
        XCTAssertEqual(report.outputs.map(\.name), ["maps"])
        XCTAssertEqual(report.outputs[0].dims.map(\.description), ["batch", "1", "height", "width"])
        XCTAssertEqual(report.cases.map(\.outputShape), [[1, 1, 320, 320], [2, 1, 256, 416]])
        XCTAssertEqual(report.metadata["ocrkit.kind"], "det")
        XCTAssertEqual(report.metadataKeys, metadata.properties.map(\.key))
        XCTAssertTrue(Set(report.opTypes).isSuperset(of: ["Conv", "ConvTranspose", "Resize", "Concat", "HardSwish", "Sigmoid"]), "\(report.opTypes)")
        XCTAssertFalse(report.opTypes.contains("BatchNormalization"))
    }

    /// A metadata that does not describe the model is refused before anything is written.
    func testMetadataMustFitTheModel() throws {
        let model = try DetectorFactory.make(Self.architecture())
        XCTAssertThrowsError(try DetectorExporter.export(model: model, metadata: DetectorMetadata(inputChannels: 1))) { e in
            XCTAssertTrue("\(e)".contains("input channels 1, model 3"), "\(e)")
        }
        var bad = DetectorMetadata()
        bad.postProcess.unclipRatio = 0
        XCTAssertThrowsError(try DetectorExporter.export(model: model, metadata: bad)) { e in
            XCTAssertTrue("\(e)".contains("unclip_ratio"), "\(e)")
        }
    }
}
