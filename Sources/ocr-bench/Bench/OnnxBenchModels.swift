import ArgumentParser
import Foundation
import NN
import OCRCore
import OCRExport
import OCRInference
import OCRModels
import OCRTrain
import Torch

/// One `ocr-bench onnx` case: `crnn-32x100`, `svtr-64x256` (OCRKit models built from a config at
/// that input size) or `ppocrv4-48x320` (PaddleOCR's recogniser file, timed at that size).
struct OnnxBenchCase {
    enum Model: String, CaseIterable {
        case crnn, svtr, ppocrv4
        /// The config whose architecture and charset an OCRKit case is built from.
        var configFile: String? {
            switch self {
            case .crnn: "configs/rec/crnn_mv3.yml"
            case .svtr: "configs/rec/svtr_tiny.yml"
            case .ppocrv4: nil
            }
        }
        var algorithm: String { self == .svtr ? "SVTR" : "CRNN" }
    }
    let name: String, model: Model, height: Int, width: Int
    var shape: [Int] { [3, height, width] }

    init(_ name: String) throws {
        let parts = name.split(separator: "-")
        let size = parts.count == 2 ? parts[1].split(separator: "x").compactMap { Int($0) } : []
        guard parts.count == 2, let model = Model(rawValue: String(parts[0])), size.count == 2 else {
            throw ValidationError("bench case '\(name)': expected MODEL-HxW with MODEL one of "
                                  + Model.allCases.map(\.rawValue).joined(separator: ", ") + ", e.g. crnn-32x100")
        }
        (self.name, self.model, height, width) = (name, model, size[0], size[1])
    }

    /// The float ONNX model of an OCRKit case: the checkpoint's weights when its algorithm matches
    /// the case's, else the config's architecture with random weights and BatchNorm statistics
    /// taken from random input (a fresh BatchNorm lets a random MobileNetV3's signal fade, so the
    /// activation ranges INT8 calibrates would be degenerate).
    func floatModel(checkpoint: String?) throws -> (model: ONNXModel, source: String) {
        guard let configFile = model.configFile else { throw ValidationError("\(name) is not built by OCRKit") }
        let size = "[3, \(height), \(width)]"
        var overrides = ["Train.dataset.transforms=[{RecResizeImg: {image_shape: \(size)}}]"]
        if model == .svtr { overrides.append("Architecture.Backbone.img_size=[\(height), \(width)]") }

        if let checkpoint {
            let stored = try Checkpoint.read(from: checkpoint)
            var tree = try ConfigTree(yaml: stored.config, source: "\(checkpoint):/config")
            if try tree.string("Architecture.algorithm") == model.algorithm {
                try tree.applyOverrides(overrides, allowNewKeys: true)
                let config = try RecognitionRunConfig(tree: tree)
                let metadata = try RecognizerMetadata(checkpoint: stored, path: checkpoint, config: config)
                let recognizer = try config.makeModel(charset: metadata.charset)
                try recognizer.load(stored.model)
                recognizer.eval()
                return (try RecognizerExporter.export(model: recognizer, metadata: metadata), checkpoint)
            }
        }
        let config = try RecognitionRunConfig(path: configFile, overrides: overrides)
        let charset = try config.charset()
        let recognizer = try config.makeModel(charset: charset)
        try Self.calibrateBatchNorms(recognizer, on: Tensor.randn([8] + shape))
        let metadata = RecognizerMetadata(config: config, charset: charset, sourceCheckpoint: "random init")
        return (try RecognizerExporter.export(model: recognizer, metadata: metadata), "random init, \(configFile) architecture")
    }

    /// Training-mode passes over `x` move every BatchNorm's running statistics to those of its
    /// input (momentum 0.1: 0.9^passes of the start remains), as the export tests do.
    static func calibrateBatchNorms(_ model: any Recognizer, on x: Tensor, passes: Int = 20) throws {
        model.train()
        try noGrad { for _ in 0..<passes { _ = try model(x) } }
        model.eval()
    }
}
