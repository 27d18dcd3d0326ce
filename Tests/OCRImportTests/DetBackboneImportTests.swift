import Foundation
import NN
import OCRModels
import Torch
import XCTest
@testable import OCRImport

/// PP-OCRv4 det's backbone (PPLCNetV3 x0.75, det layout) imported from RapidOCR's
/// ch_PP-OCRv4_det_infer.onnx as the first part of the file (the RSEFPN neck and DB head follow
/// there and belong to the detector), against onnxruntime's values of the same four maps.
final class DetBackboneImportTests: XCTestCase {
    static let detModel = ImportFixtures.packageRoot + "/.deps/models/ch_PP-OCRv4_det_infer.onnx"

    func testBackboneFeaturesMatchOnnxRuntime() throws {
        try ImportFixtures.requireModel(Self.detModel)
        let backbone = try PPLCNetV3(Path.root / "backbone", scale: 0.75, det: true)
        XCTAssertEqual(backbone.featureChannels, [12, 18, 42, 360])
        let file = try ONNXModelFile(contentsOf: Self.detModel)
        let (state, report) = try PaddleImporter.state(from: file, for: backbone, prefix: true)
        try backbone.load(state, strict: true)
        backbone.eval()
        // The layer_list convs' outputs: the four weight nodes the backbone's pattern ends with.
        let nodes = PaddleImporter.weightNodes(file)
        let names = nodes[(report.nodesMatched - 4)..<report.nodesMatched].map { $0.node.outputs[0] }
        XCTAssertTrue(nodes[report.nodesMatched - 1].constants[0].shape == [360, 384, 1, 1])

        let (b, h, w) = (2, 96, 160)
        var rng = SystemRandomNumberGenerator()
        let input = (0..<(b * 3 * h * w)).map { _ in Float.random(in: -2...2, using: &rng) }
        let ours = try noGrad { try backbone.features(Tensor(input, shape: [b, 3, h, w])) }
        let references = try ImportFixtures.referenceOutputs(model: Self.detModel, input: input, shape: [b, 3, h, w], names: names)
        for (i, (t, reference)) in zip(ours, references).enumerated() {
            XCTAssertEqual(t.shape, [b, [12, 18, 42, 360][i], h >> (i + 2), w >> (i + 2)])
            let diff = zip(try t.contiguous().toArray(Float.self), reference).map { abs($0 - $1) }.max() ?? .infinity
            let scale = reference.map(abs).max() ?? 0
            print("PP-OCRv4 det backbone feature \(i) \(t.shape): max |diff| = \(diff) at max |value| \(scale) (limit 1e-4 x max(1, max |value|))")
            XCTAssertLessThan(diff, 1e-4 * max(1, scale))
        }
    }

    /// The recogniser file given as a detector backbone: its first stride-(1, 1) stage-3 conv is named.
    func testRecogniserFileIsNotADetectorBackbone() throws {
        try ImportFixtures.requireModel()
        let backbone = try PPLCNetV3(Path.root / "backbone", scale: 0.75, det: true)
        let file = try ONNXModelFile(contentsOf: ImportFixtures.recModel)
        let m = thrownMessage { try PaddleImporter.state(from: file, for: backbone, prefix: true) }
        XCTAssertTrue(m.hasPrefix(ImportFixtures.recModel + ": the graph does not match the PPLCNetV3 model"), m)
        XCTAssertTrue(m.contains("weight node #19 is 'p2o.Conv.3'"), m)
        XCTAssertTrue(m.contains("backbone/blocks3/0/dw_conv/conv (Conv2d): Conv strides [1, 1] in the file, [2, 2] in the model"), m)
    }
}
