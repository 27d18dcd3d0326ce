import Foundation
import NN
import OCRCore
import OCRModels
import OCRRun
import Torch

/// Writes a DB text detector as an ONNX model (opset 17) from its Swift module tree.
///
/// Graph: input `x` (B x C x H x W float; `batch`, `height` and `width` symbolic - any multiple of
/// 32 runs), output `maps` (B x 1 x H x W, the probability map P with the sigmoid applied). The
/// threshold branch is not in the graph: inference never reads it. The graph computes the
/// eval-mode forward pass whatever mode the module is in; BatchNorm is folded by default.
public enum DetectorExporter {
    public static func export(model: DBNet, metadata: DetectorMetadata, options: ExportOptions = ExportOptions()) throws -> ONNXModel {
        try metadata.check(against: model)
        let g = ONNXGraphBuilder(options: options)
        let x = try g.addInput("x", dims: ["batch", .value(model.inputChannels), "height", "width"])
        let maps = try model.exportONNX(x, to: g)
        try g.addOutput(maps, as: DetectorMetadata.output, dims: ["batch", .value(1), "height", "width"])
        let graph = g.build(name: "\(model.architecture.algorithm.lowercased())_det",
                            docString: "OCRKit DB text detector: x (B x C x H x W, H and W multiples of 32) -> maps (B x 1 x H x W)")
        return ONNXModel(graph: graph, metadataProps: metadata.properties)
    }

    /// Builds the detector of `config`'s Architecture, loads a det checkpoint's weights (read
    /// from `path`) into it and exports it with metadata from the config (Eval's resize and
    /// normalisation, PostProcess) and the checkpoint.
    public static func export(checkpoint: Checkpoint, path: String, config: DetectionRunConfig,
                              options: ExportOptions = ExportOptions()) throws -> (model: ONNXModel, detector: DBNet, metadata: DetectorMetadata) {
        let detector = try config.loadModel(from: checkpoint, path: path)
        detector.eval()
        let metadata = DetectorMetadata(config: config, inputChannels: detector.inputChannels, sourceCheckpoint: path,
                                        configSHA256: SHA256Digest(of: checkpoint.config).hex)
        return (try export(model: detector, metadata: metadata, options: options), detector, metadata)
    }
}
