import NN
import OCRExport
import OCRModels
import Torch
import XCTest

/// The places where ONNX and LibTorch disagree on conventions, each checked on the written graph
/// (LayerExportTests runs the same layers against LibTorch).
final class ExportTrapTests: XCTestCase {
    /// LibTorch stacks LSTM gates (i, f, g, o); ONNX wants (i, o, f, c), and B = [W_b, R_b].
    /// Each weight row holds its gate number (i 1, f 2, g 3, o 4) so the order is readable.
    func testLSTMGatesAreReorderedAndBiasesConcatenated() throws {
        let h = 2
        let lstm = try LSTM("rnn", inputSize: 1, hiddenSize: h, bidirectional: true)
        let gates: [Float] = [1, 1, 2, 2, 3, 3, 4, 4]                     // i i f f g g o o (4H rows)
        try noGrad {
            for (d, offset) in [(0, 0), (1, 10)] {                            // reverse direction: +10
                let base = d * 4
                try lstm.flatWeights[base].copy(from: Tensor(gates.map { $0 + Float(offset) }, shape: [4 * h, 1]))
                try lstm.flatWeights[base + 1].copy(from: Tensor(gates.flatMap { [$0 + Float(offset), -$0] }, shape: [4 * h, h]))
                try lstm.flatWeights[base + 2].copy(from: Tensor(gates.map { $0 * 100 + Float(offset) }, shape: [4 * h]))
                try lstm.flatWeights[base + 3].copy(from: Tensor(gates.map { $0 * 1000 + Float(offset) }, shape: [4 * h]))
            }
        }
        let (w, r, b) = try lstm.onnxWeights(layer: 0)
        XCTAssertEqual(w.name, "rnn/l0/W")
        XCTAssertEqual(w.dims, [2, 4 * h, 1])
        XCTAssertEqual(w.floats, [1, 1, 4, 4, 2, 2, 3, 3, 11, 11, 14, 14, 12, 12, 13, 13])      // i o f c per direction
        XCTAssertEqual(r.dims, [2, 4 * h, h])
        XCTAssertEqual(Array(r.floats!.prefix(8)), [1, -1, 1, -1, 4, -4, 4, -4])
        XCTAssertEqual(b.dims, [2, 8 * h])
        XCTAssertEqual(Array(b.floats!.prefix(16)), [100, 100, 400, 400, 200, 200, 300, 300,
                                                     1000, 1000, 4000, 4000, 2000, 2000, 3000, 3000])
        XCTAssertEqual(Array(b.floats!.suffix(16)), [110, 110, 410, 410, 210, 210, 310, 310,
                                                     1010, 1010, 4010, 4010, 2010, 2010, 3010, 3010])
        let model = try layerModel(lstm, inputRank: 3, outputRank: 3)
        let node = try XCTUnwrap(node(model, "LSTM"))
        XCTAssertEqual(node.attribute("direction"), .string("bidirectional"))
        XCTAssertEqual(node.attribute("hidden_size"), .int(h))
        XCTAssertNil(node.attribute("layout"), "layout 1 (batch-first) is not supported by ONNX Runtime's CPU LSTM")
    }

    /// ONNX HardSigmoid defaults to alpha 0.2; PyTorch's is 1/6. Both attributes are written.
    func testHardSigmoidSlopes() throws {
        let torchStyle = try layerModel(Activation("a", .hardSigmoid), inputRank: 4, outputRank: 4)
        let t = try XCTUnwrap(node(torchStyle, "HardSigmoid"))
        XCTAssertEqual(t.attribute("alpha"), .float(Float(1.0 / 6.0)))
        XCTAssertEqual(t.attribute("beta"), .float(0.5))

        let se = try layerModel(SEModule("se", channels: 8), inputRank: 4, outputRank: 4)
        let p = try XCTUnwrap(node(se, "HardSigmoid", in: "se/hardsigmoid"))
        XCTAssertEqual(p.attribute("alpha"), .float(0.2))
        XCTAssertEqual(p.attribute("beta"), .float(0.5))
    }

    /// From opset 13 Squeeze and Unsqueeze take their axes as a second (int64) input.
    func testSqueezeAxesAreAnInput() throws {
        let model = try layerModel(Im2Seq("neck/encoder_reshape"), inputRank: 4, outputRank: 3)
        let squeeze = try XCTUnwrap(node(model, "Squeeze"))
        XCTAssertNil(squeeze.attribute("axes"))
        XCTAssertEqual(squeeze.inputs.count, 2)
        let axes = try XCTUnwrap(initializer(model, squeeze.inputs[1]))
        XCTAssertEqual(axes.dataType, .int64)
        XCTAssertEqual(axes.rawData, ONNXTensor(name: "", int64s: [2], dims: [1]).rawData)
    }

    /// ConvTranspose weights are C_in x C_out/groups x kH x kW in both: written unchanged.
    func testConvTransposeWeightLayout() throws {
        let layer = try ConvTranspose2d("up", 4, 6, kernel: (2, 3), stride: (2, 2), groups: 2)
        let model = try layerModel(layer, inputRank: 4, outputRank: 4)
        let w = try XCTUnwrap(initializer(model, "up/weight"))
        XCTAssertEqual(w.dims, [4, 3, 2, 3])
        XCTAssertEqual(w.floats, try layer.weight.toArray(Float.self))
        XCTAssertEqual(node(model, "ConvTranspose")?.attribute("group"), .int(2))
    }

    /// Dropout and DropPath leave no node: the graph output is the input through one Identity.
    func testEvalIdentitiesEmitNothing() throws {
        for layer in [Dropout("d", p: 0.5), DropPath("p", p: 0.3)] as [any UnaryLayer] {
            let model = try layerModel(layer, inputRank: 3, outputRank: 3)
            XCTAssertEqual(model.graph.nodes.map(\.opType), ["Identity"])
        }
    }

    func testUnsupportedModuleIsNamed() throws {
        final class Custom: Module, UnaryLayer {
            func callAsFunction(_ x: Tensor) throws -> Tensor { x }
        }
        XCTAssertThrowsError(try layerModel(Sequential("s", [Custom("s/custom")]), inputRank: 2, outputRank: 2)) { error in
            XCTAssertEqual(error as? ExportError, .unsupportedModule(path: "s/custom", kind: "Custom"))
        }
    }

    func testDuplicateNamesAreRejected() throws {
        let g = ONNXGraphBuilder()
        let x = try g.addInput("x", dims: [1])
        XCTAssertThrowsError(try g.addInitializer(ONNXTensor(name: "x", floats: [1], dims: [1]))) { error in
            XCTAssertEqual(error as? ExportError, .duplicateName("x"))
        }
        // Generated names never collide: the second node in a scope gets a suffix.
        let a = try g.op("Relu", [x], scope: "m")
        let b = try g.op("Relu", [a], scope: "m")
        XCTAssertNotEqual(a, b)
        XCTAssertEqual(Set(g.nodes.map(\.name)).count, 2)
        XCTAssertThrowsError(try g.addInitializer(ONNXTensor(name: "short", floats: [1, 2], dims: [3]))) { error in
            XCTAssertTrue("\(error)".contains("8 bytes for dims [3]"), "\(error)")
        }
        let foreign = try ONNXGraphBuilder().addInput("nowhere", dims: [1])
        XCTAssertThrowsError(try g.op("Relu", [foreign], scope: "m"))
    }
}
