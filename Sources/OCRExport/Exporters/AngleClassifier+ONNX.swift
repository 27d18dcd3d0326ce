import NN
import OCRModels
import Torch

// ONNX exporters for the angle classifier's head and the model itself. As for every module,
// `exportONNX` emits what `callAsFunction` computes - logits; `ClassifierExporter` appends the
// Softmax PaddleOCR's head applies at inference and names the output `probs`.

extension ClsHead: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        let pooled = try pool.exportONNX(x, to: g)                                        // B x C x h x w -> B x C x 1 x 1
        let flat = try g.op("Flatten", [pooled], [.int("axis", 1)], scope: path)          // -> B x C
        return try fc.exportONNX(flat, to: g)                                             // -> B x classes
    }
}

extension AngleClassifier: ONNXExportable {
    /// Backbone -> head. The channels-last input option is a LibTorch memory layout: nothing to emit.
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try head.exportONNX(backbone.exportONNX(x, to: g), to: g)                         // B x classes logits
    }
}
