import NN
import OCRCore
import OCRTrain
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

/// Gives every BatchNorm the running statistics of its own input on `x`, as training would: a
/// fresh BatchNorm (mean 0, variance 1) lets the signal of a randomly initialised MobileNetV3
/// fade block by block until the logits hardly depend on the image, and a parity test on such a
/// model proves little. One training-mode pass from mean 0 / variance 1 leaves
/// `running = (1 - momentum) * start + momentum * batch statistic`, which is solved for the batch
/// statistic; then gamma and beta are jittered. (`ParityCheck.randomImages` is the other half:
/// inputs with structure that deep features keep.)
func calibrateBatchNorms(_ model: any Recognizer, on x: Tensor) throws {
    try calibrateBatchNorms(in: model, on: x) { try model($0) }
}

/// The same for any model, run by `forward` (the angle classifier).
func calibrateBatchNorms(in model: Module, on x: Tensor, forward: (Tensor) throws -> Tensor) throws {
    let norms = model.modules().compactMap { $0 as? BatchNorm2d }
    try noGrad {
        for bn in norms {
            try bn.runningMean.fill(0)
            try bn.runningVar.fill(1)
        }
        model.train()
        _ = try forward(x)
        model.eval()
        for bn in norms {
            let m = bn.momentum
            try bn.runningMean.copy(from: bn.runningMean / m)
            try bn.runningVar.copy(from: ((bn.runningVar - (1 - m)) / m).clamp(min: 1e-6))
            try bn.weight.uniform(0.8, 1.2)
            try bn.bias.normal(mean: 0, std: 0.1)
        }
    }
}

/// How much the model's output depends on its input: the largest difference between the
/// outputs for different samples of one batch. A parity limit means something only when this
/// is far above it.
func inputSensitivity(_ output: Tensor) throws -> Double {
    guard output.size(0) > 1 else { return 0 }
    let first = try output.narrow(0, start: 0, length: 1)
    return try (output - first).abs().max().item()
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

/// The recognisers the export tests use, built as training builds them, BatchNorms calibrated.
enum TestModels {
    static let crnnLargeConfig = PythonONNXCheck.packageRoot + "/configs/rec/crnn_mv3.yml"

    /// PaddleOCR-style CRNN (configs/rec/crnn_mv3.yml: MobileNetV3-large x0.5,
    /// BiLSTM 96, CTC over en_ascii + space, 3x32x320) and its metadata.
    static func crnnLarge() throws -> (model: any Recognizer, metadata: RecognizerMetadata) {
        let config = try RecognitionRunConfig(path: crnnLargeConfig)
        let charset = try config.charset()
        let model = try config.makeModel(charset: charset)
        try calibrateBatchNorms(model, on: lines([8, 3, 32, 100]))
        return (model, RecognizerMetadata(config: config, charset: charset, sourceCheckpoint: "crnn_mv3.h5", configSHA256: "0"))
    }

    static func crnnSmall() throws -> (model: any Recognizer, metadata: RecognizerMetadata) {
        var arch = ArchitectureConfig.crnnMobileNetV3
        arch.backbone = .mobileNetV3(MobileNetV3Config(modelName: "small", scale: 0.5, smallStride: [1, 2, 2, 2]))
        let charset = try Charset(characters: "0123456789abcdefghijklmnopqrstuvwxyz")
        let model = try RecognizerFactory.build(arch, classes: charset.classCount, inputShape: [3, 32, 320])
        try calibrateBatchNorms(model, on: lines([8, 3, 32, 100]))
        return (model, RecognizerMetadata(algorithm: "CRNN", charset: charset, inputShape: [3, 32, 320], fixedWidth: false,
                                          resize: .keepRatioPad))
    }

    /// SVTR-Tiny as `ArchitectureConfig.svtrTiny` builds it (PaddleOCR's rec_svtrnet.yml without STN) at 3 x 32 x 100.
    static func svtrTiny() throws -> (model: any Recognizer, metadata: RecognizerMetadata) {
        let charset = try Charset(characters: "0123456789abcdefghijklmnopqrstuvwxyz", useSpaceChar: true)
        let model = try RecognizerFactory.build(.svtrTiny, classes: charset.classCount, inputShape: [3, 32, 100])
        try calibrateBatchNorms(model, on: lines([8, 3, 32, 100]))
        return (model, RecognizerMetadata(algorithm: "SVTR", charset: charset, inputShape: [3, 32, 100], fixedWidth: true,
                                          resize: .stretch))
    }
}

/// Random image-like input B x C x H x W (see `ParityCheck.randomImages`).
func lines(_ shape: [Int]) throws -> Tensor {
    try ParityCheck.randomImages(batch: shape[0], channels: shape[1], height: shape[2], width: shape[3])
}
