import NN
import OCRExport
import OCRModels
import Torch
import XCTest

/// A one-layer model: input `x` and output `y` with symbolic dimensions of the given ranks.
func layerModel(_ layer: any UnaryLayer, inputRank: Int, outputRank: Int,
                options: ExportOptions = ExportOptions()) throws -> ONNXModel {
    let g = ONNXGraphBuilder(options: options)
    let x = try g.addInput("x", dims: (0..<inputRank).map { .param("in\($0)") })
    try g.addOutput(g.emit(layer, x), as: "y", dims: (0..<outputRank).map { .param("out\($0)") })
    return ONNXModel(graph: g.build(name: layer.kind))
}

/// LibTorch's eval-mode output for each input, as parity cases.
func evalCases(_ layer: any UnaryLayer, inputs: [[Int]]) throws -> [PythonONNXCheck.Case] {
    layer.eval()
    return try inputs.map { shape in
        let x = try Tensor.randn(shape)
        return PythonONNXCheck.Case(input: x, expected: try noGrad { try layer(x) })
    }
}

/// Gives every BatchNorm non-trivial statistics and affine parameters, so that exporting the
/// running statistics (or folding them) is actually exercised: a fresh BatchNorm is identity-like.
func randomizeBatchNorms(_ model: Module) throws {
    try noGrad {
        for case let bn as BatchNorm2d in model.modules() {
            try bn.runningMean.normal(mean: 0, std: 0.1)
            try bn.runningVar.uniform(0.5, 1.5)
            try bn.weight.uniform(0.8, 1.2)
            try bn.bias.normal(mean: 0, std: 0.1)
        }
    }
}

/// The node of `opType` whose name starts with `scope`.
func node(_ model: ONNXModel, _ opType: String, in scope: String = "") -> ONNXNode? {
    model.graph.nodes.first { $0.opType == opType && $0.name.hasPrefix(scope) }
}

func initializer(_ model: ONNXModel, _ name: String) -> ONNXTensor? {
    model.graph.initializers.first { $0.name == name }
}

extension ONNXNode {
    func attribute(_ name: String) -> ONNXAttribute.Value? { attributes.first { $0.name == name }?.value }
}
