import XCTest
import NN
import Torch
@testable import OCRModels

/// Paths are checkpoint keys and ONNX initializer names: they mirror PaddleOCR's structured
/// names (`.` -> `/`, PyTorch's LSTM names) and must not drift.
final class ParameterPathTests: XCTestCase {
    func testCRNNPathSnapshot() throws {
        let model = try crnn(32, 320)
        let paths = model.namedParameters().map(\.path)
        XCTAssertEqual(Set(paths).count, paths.count, "duplicate parameter paths")
        XCTAssertEqual(paths.count, 3 + 15 * 9 + 8 * 4 + 3 + 16 + 2)   // conv1, blocks (+8 SE), conv2, LSTM, fc
        XCTAssertEqual(Array(paths.prefix(4)), ["backbone/conv1/conv/weight", "backbone/conv1/bn/weight",
                                                 "backbone/conv1/bn/bias", "backbone/blocks/0/expand_conv/conv/weight"])
        for p in ["backbone/blocks/3/mid_se/conv1/weight", "backbone/blocks/3/mid_se/conv2/bias",
                  "backbone/blocks/14/bottleneck_conv/conv/weight", "backbone/blocks/14/linear_conv/bn/bias",
                  "backbone/conv2/conv/weight", "neck/encoder/lstm/weight_ih_l0", "neck/encoder/lstm/weight_hh_l1_reverse",
                  "neck/encoder/lstm/bias_ih_l1"] {
            XCTAssertTrue(paths.contains(p), p)
        }
        XCTAssertEqual(Array(paths.suffix(2)), ["head/fc/weight", "head/fc/bias"])
        let buffers = model.namedBuffers().map(\.path)
        XCTAssertEqual(Set(buffers).count, buffers.count)
        XCTAssertTrue(buffers.contains("backbone/blocks/3/expand_conv/bn/running_mean"))
        XCTAssertTrue(buffers.contains("backbone/conv2/bn/running_var"))
        // Shapes as PyTorch stores them (Paddle's Linear is transposed).
        let shapes = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.path, $0.tensor.shape) })
        XCTAssertEqual(shapes["backbone/blocks/3/bottleneck_conv/conv/weight"], [40, 1, 5, 5])
        XCTAssertEqual(shapes["neck/encoder/lstm/weight_ih_l0"], [384, 480])
        XCTAssertEqual(shapes["head/fc/weight"], [37, 192])
    }

    func testSVTRPathSnapshot() throws {
        let model = try svtrTiny(32, 100)
        let paths = model.namedParameters().map(\.path)
        XCTAssertEqual(Set(paths).count, paths.count, "duplicate parameter paths")
        XCTAssertEqual(paths.first, "backbone/pos_embed")
        for p in ["backbone/patch_embed/proj/0/conv/weight", "backbone/patch_embed/proj/0/conv/bias",
                  "backbone/patch_embed/proj/1/norm/weight", "backbone/blocks1/0/norm1/weight",
                  "backbone/blocks1/0/mixer/qkv/weight", "backbone/blocks1/0/mixer/qkv/bias", "backbone/blocks1/2/mixer/proj/bias",
                  "backbone/blocks2/5/mlp/fc2/weight", "backbone/sub_sample1/conv/weight", "backbone/sub_sample2/norm/bias",
                  "backbone/blocks3/2/norm2/bias", "backbone/norm/weight", "backbone/last_conv/weight"] {
            XCTAssertTrue(paths.contains(p), p)
        }
        XCTAssertFalse(paths.contains("backbone/last_conv/bias"))
        XCTAssertEqual(Array(paths.suffix(2)), ["head/fc/weight", "head/fc/bias"])
        XCTAssertEqual(paths.count, 1 + 8 + 12 * 12 + 2 * 4 + 2 + 1 + 2)
        XCTAssertTrue(model.namedBuffers().map(\.path).contains("backbone/patch_embed/proj/0/norm/running_mean"))
        // The Local mask is a constant, not state.
        XCTAssertFalse(model.stateDict().contains { $0.path.contains("mask") })
    }

    /// Two builds of the same config give the same paths in the same order (state files load).
    func testPathsAreStableAcrossBuilds() throws {
        XCTAssertEqual(try crnn().stateDict().map(\.path), try crnn().stateDict().map(\.path))
        let a = try svtrTiny(), b = try svtrTiny()
        XCTAssertEqual(a.stateDict().map(\.path), b.stateDict().map(\.path))
        let report = try b.load(Dictionary(uniqueKeysWithValues: a.stateDict().map { ($0.path, $0.tensor) }))
        XCTAssertTrue(report.isExact)
    }

    /// The module tree shows the layers exporters walk, with their hyper-parameters.
    func testTreeCarriesExportAttributes() throws {
        let model = try crnn()
        let se = model.modules().first { $0 is HardSigmoid } as! HardSigmoid
        XCTAssertEqual(se.path.description, "backbone/blocks/3/mid_se/hardsigmoid")
        XCTAssertEqual(se.slope, 0.2)
        XCTAssertTrue(model.summary().contains("backbone/pool  MaxPool2d  kernel=[2, 2] stride=[2, 2]"))
        let svtr = try svtrTiny()
        XCTAssertTrue(svtr.summary().contains("backbone/blocks1/0/mixer  SVTRAttention(Local)  dim=64 heads=2"), svtr.summary())
    }
}
