import NN
import OCRModels
import OCRRun
import Torch

/// Writes a recogniser as an ONNX model (opset 17) from its Swift module tree.
///
/// Graph: input `x` (B x C x H x W float, `batch` symbolic; W symbolic `width` unless the model
/// fixes it), output `logits` (B x T x classes, T symbolic `time` for dynamic widths). The graph
/// computes the eval-mode forward pass whatever mode the module is in.
public enum RecognizerExporter {
    public static func export(model: any Recognizer, metadata: RecognizerMetadata,
                              options: ExportOptions = ExportOptions()) throws -> ONNXModel {
        try metadata.check(against: model)
        guard let root = model as? any ONNXExportable else {
            throw ExportError.unsupportedModule(path: model.path.description, kind: model.kind)
        }
        let g = ONNXGraphBuilder(options: options)
        let width: ONNXDimension = model.fixedInputWidth.map { .value($0) } ?? "width"
        let steps: ONNXDimension = model.fixedInputWidth.map { .value(model.outputLength(forWidth: $0)) } ?? "time"
        let x = try g.addInput("x", dims: ["batch", .value(model.inputChannels), .value(model.inputHeight), width])
        let logits = try root.exportONNX(x, to: g)
        try g.addOutput(logits, as: "logits", dims: ["batch", steps, .value(model.classes)])
        let graph = g.build(name: "\(model.architecture.algorithm.lowercased())_rec",
                            docString: "OCRKit \(model.architecture.algorithm) recogniser: x (B x C x H x W) -> logits (B x T x classes)")
        return ONNXModel(graph: graph, metadataProps: metadata.properties)
    }

    /// Loads a checkpoint (its config, charset and model weights), builds the model and exports
    /// it with metadata taken from the checkpoint. `config` overrides the stored config.
    public static func export(checkpointAt path: String, config: RecognitionRunConfig? = nil,
                              options: ExportOptions = ExportOptions()) throws -> (model: ONNXModel, recognizer: any Recognizer) {
        try export(checkpoint: Checkpoint.read(from: path), path: path, config: config, options: options)
    }

    /// The same for a checkpoint already read from `path`.
    public static func export(checkpoint: Checkpoint, path: String, config: RecognitionRunConfig? = nil,
                              options: ExportOptions = ExportOptions()) throws -> (model: ONNXModel, recognizer: any Recognizer) {
        let metadata = try RecognizerMetadata(checkpoint: checkpoint, path: path, config: config)
        let config = try config ?? RecognitionRunConfig(tree: .init(yaml: checkpoint.config, source: "\(path):/config"))
        let recognizer = try config.makeModel(charset: metadata.charset)
        try recognizer.load(checkpoint.model)
        recognizer.eval()
        return (try export(model: recognizer, metadata: metadata, options: options), recognizer)
    }
}
