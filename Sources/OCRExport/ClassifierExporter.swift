import NN
import OCRModels
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
}
