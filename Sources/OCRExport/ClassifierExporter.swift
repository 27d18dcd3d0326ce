import Foundation
import NN
import OCRCore
import OCRModels
import OCRRun
import Torch

/// Writes the text-line angle classifier as an ONNX model (opset 17) from its Swift module tree.
///
/// Graph: input `x` (B x C x H x W float, `batch` symbolic, H and W fixed: the head averages over
/// the padded width, so the model is trained for one width), output `probs` (B x classes, the
/// softmax of the logits, as PaddleOCR's exported cls model gives). The graph computes the
/// eval-mode forward pass whatever mode the module is in.
public enum ClassifierExporter {
    public static func export(model: AngleClassifier, metadata: ClassifierMetadata,
                              options: ExportOptions = ExportOptions()) throws -> ONNXModel {
        try metadata.check(against: model)
        let g = ONNXGraphBuilder(options: options)
        let x = try g.addInput("x", dims: ["batch", .value(model.inputChannels), .value(model.inputHeight), .value(model.inputWidth)])
        let logits = try model.exportONNX(x, to: g)
        let probs = try g.op("Softmax", [logits], [.int("axis", 1)], scope: model.head.path)
        try g.addOutput(probs, as: "probs", dims: ["batch", .value(model.classes)])
        let graph = g.build(name: "\(model.architecture.algorithm.lowercased())_cls",
                            docString: "OCRKit text-line angle classifier: x (B x C x H x W) -> probs (B x classes)")
        return ONNXModel(graph: graph, metadataProps: metadata.properties)
    }

    /// Builds the classifier of `config`'s Architecture, loads a cls checkpoint's weights (read
    /// from `path`) into it and exports it with metadata from the config (labels, Train's
    /// `ClsResizeImg` and `DecodeImage`) and the checkpoint. The checkpoint's labels must be the
    /// config's: they say what each output class means.
    public static func export(checkpoint: Checkpoint, path: String, config: ClassificationRunConfig,
                              options: ExportOptions = ExportOptions()) throws -> (model: ONNXModel, classifier: AngleClassifier) {
        let classifier = try config.loadModel(from: checkpoint, path: path)
        classifier.eval()
        let metadata = ClassifierMetadata(config: config, sourceCheckpoint: path, configSHA256: SHA256Digest(of: checkpoint.config).hex)
        return (try export(model: classifier, metadata: metadata, options: options), classifier)
    }
}
