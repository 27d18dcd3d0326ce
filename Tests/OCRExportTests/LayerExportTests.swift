import NN
import OCRExport
import OCRModels
import Torch
import XCTest

/// Every NN layer the recognisers use, exported alone and run by Python's onnxruntime against
/// LibTorch's eval-mode forward on random input (Python/check_onnx.py), in one checker run.
final class LayerExportTests: XCTestCase {
    func testLayersMatchLibTorch() throws {
        var layers: [(label: String, layer: any UnaryLayer, inputs: [[Int]], options: ExportOptions)] = []
        func add(_ label: String, _ layer: any UnaryLayer, _ inputs: [[Int]], fold: Bool = true) {
            layers.append((label, layer, inputs, ExportOptions(foldBatchNorm: fold)))
        }
        add("Conv2d grouped, dilated, strided", try Conv2d("c", 6, 9, kernel: (3, 5), stride: (2, 1), padding: (1, 2),
                                                           dilation: (1, 2), groups: 3), [[2, 6, 9, 13]])
        add("Conv2d depthwise without bias", try Conv2d("d", 8, 8, kernel: 5, stride: 2, groups: 8, bias: false), [[1, 8, 7, 12]])
        add("ConvTranspose2d", try ConvTranspose2d("t", 4, 6, kernel: (4, 3), stride: (2, 2), padding: (1, 1),
                                                   outputPadding: (1, 0), groups: 2), [[2, 4, 5, 7]])
        let bn = try BatchNorm2d("bn", 5, eps: 1e-3)
        try randomizeBatchNorms(bn)
        add("BatchNorm2d", bn, [[3, 5, 4, 6]])
        add("Linear (B x T x C)", try Linear("fc", 12, 7), [[3, 5, 12]])
        add("LayerNorm", try LayerNorm("ln", 16, eps: 1e-6), [[2, 9, 16]])
        add("Dropout", Dropout("drop", p: 0.4), [[2, 3]])
        add("MaxPool2d ceil mode, padded", MaxPool2d("mp", kernel: (3, 5), stride: (2, 1), padding: (1, 2), ceilMode: true), [[2, 3, 8, 9]])
        add("AvgPool2d excluding padding", AvgPool2d("ap", kernel: (3, 5), stride: (2, 1), padding: (1, 2), countIncludePad: false),
            [[2, 3, 8, 9]])
        add("AdaptiveAvgPool2d 1x1", AdaptiveAvgPool2d("gap", outputSize: (1, 1)), [[2, 3, 5, 7]])
        for f in Activation.Function.allCases { add("Activation \(f.rawValue)", Activation("act", f), [[2, 3, 4, 5]]) }
        add("HardSigmoid (Paddle: 0.2, 0.5)", HardSigmoid("hs", slope: 0.2, offset: 0.5), [[2, 3, 4, 5]])
        add("Sequential", Sequential("seq", [try Conv2d("seq/0", 3, 4, kernel: 3), Activation("seq/1", .hardSwish),
                                             MaxPool2d("seq/2", kernel: (2, 2))]), [[2, 3, 8, 10]])
        // Batch 3 != steps 5 != hidden: a mixed-up transpose changes shapes or values.
        add("LSTM bidirectional 2 layers, batch first", try LSTM("lstm", inputSize: 6, hiddenSize: 4, layers: 2,
                                                                  bidirectional: true, batchFirst: true), [[3, 5, 6]])
        add("LSTM forward 1 layer, sequence first", try LSTM("lstm1", inputSize: 6, hiddenSize: 7), [[5, 3, 6]])
        let convBN = try ConvBNLayer("cbn", in: 4, out: 6, kernel: (3, 3), stride: (2, 1), padding: (1, 1), groups: 2, act: .hardSwish)
        try randomizeBatchNorms(convBN)
        add("ConvBNLayer folded", convBN, [[2, 4, 8, 10]])
        add("ConvBNLayer unfolded", convBN, [[2, 4, 8, 10]], fold: false)
        let se = try SEModule("se", channels: 8)
        add("SEModule", se, [[2, 8, 4, 6]])

        var jobs: [(model: ONNXModel, cases: [PythonONNXCheck.Case])] = []
        for l in layers {
            let cases = try evalCases(l.layer, inputs: l.inputs)
            jobs.append((try layerModel(l.layer, inputRank: l.inputs[0].count, outputRank: cases[0].expected.rank,
                                        options: l.options), cases))
        }
        let reports = try PythonONNXCheck.run(jobs)
        XCTAssertEqual(reports.count, layers.count)
        for (l, (report, job)) in zip(layers, zip(reports, jobs)) {
            assertParity(report, job.cases, limit: 1e-5, l.label)
        }
    }

    /// Adaptive average pooling from a known input size: one AveragePool when the sizes divide,
    /// LibTorch's uneven windows as averaging matrices when they do not.
    func testAdaptiveAveragePoolingFromKnownSize() throws {
        var jobs: [(model: ONNXModel, cases: [PythonONNXCheck.Case])] = []
        for (input, output, op) in [((4, 25), (1, 25), "AveragePool"), ((2, 80), (1, 40), "AveragePool"),
                                    ((5, 7), (2, 3), "MatMul"), ((2, 30), (1, 25), "MatMul")] {
            let pool = AdaptiveAvgPool2d("pool", outputSize: output)
            let g = ONNXGraphBuilder()
            let x = try g.addInput("x", dims: ["batch", 3, .value(input.0), .value(input.1)])
            try g.addOutput(pool.exportONNX(x, inputSize: input, to: g), as: "y", dims: ["batch", 3, .value(output.0), .value(output.1)])
            let model = ONNXModel(graph: g.build(name: "pool"))
            XCTAssertNotNil(node(model, op), "\(input) -> \(output) should use \(op)")
            jobs.append((model, try evalCases(pool, inputs: [[2, 3, input.0, input.1]])))
        }
        for (report, job) in zip(try PythonONNXCheck.run(jobs), jobs) {
            assertParity(report, job.cases, limit: 1e-5, "AdaptiveAvgPool2d \(job.cases[0].input.shape) -> \(job.cases[0].expected.shape)")
        }
        XCTAssertThrowsError(try layerModel(AdaptiveAvgPool2d("p", outputSize: (1, 25)), inputRank: 4, outputRank: 4))
    }

    /// The detector's Resize helper against F.interpolate: nearest x2, and bilinear (pixel
    /// centres and corners) to the size of another value known only at run time.
    func testResizeMatchesInterpolate() throws {
        let x = try Tensor.randn([2, 3, 5, 7])
        var jobs: [(model: ONNXModel, cases: [PythonONNXCheck.Case])] = []

        let g = ONNXGraphBuilder()
        let input = try g.addInput("x", dims: ["n", "c", "h", "w"])
        try g.addOutput(g.resize(input, scale: (2, 2), mode: .nearest, scope: "up"), as: "y", dims: ["n", "c", "h2", "w2"])
        jobs.append((ONNXModel(graph: g.build(name: "nearest")),
                     [.init(input: x, expected: try F.interpolate(x, size: (10, 14), mode: .nearest))]))

        for alignCorners in [false, true] {
            // y = resize(x, to the spatial size of pool(x) ... upsampled): the reference is a value of the graph.
            let g = ONNXGraphBuilder()
            let input = try g.addInput("x", dims: ["n", "c", "h", "w"])
            let big = try g.resize(input, scale: (3, 2), mode: .nearest, scope: "ref")                  // n x c x 15 x 14
            let y = try g.resize(input, toSpatialSizeOf: big, mode: .bilinear, alignCorners: alignCorners, scope: "up")
            try g.addOutput(y, as: "y", dims: ["n", "c", "h2", "w2"])
            jobs.append((ONNXModel(graph: g.build(name: "bilinear")),
                         [.init(input: x, expected: try F.interpolate(x, size: (15, 14), mode: .bilinear, alignCorners: alignCorners))]))
        }
        let labels = ["Resize nearest x2", "Resize bilinear to reference size", "Resize bilinear align_corners"]
        for (label, (report, job)) in zip(labels, zip(try PythonONNXCheck.run(jobs), jobs)) {
            assertParity(report, job.cases, limit: 1e-5, label)
        }
    }
}
