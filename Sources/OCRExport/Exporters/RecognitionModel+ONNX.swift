import NN
import OCRModels
import Torch

// ONNX exporters for the recogniser's neck, head and the model itself.

extension Im2Seq: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try g.transpose(g.squeeze(x, axes: [2], scope: path), [0, 2, 1], scope: path)    // B x C x 1 x W -> B x W x C
    }
}

extension EncoderWithRNN: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue { try lstm.exportONNX(x, to: g) }
}

extension EncoderWithFC: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue { try fc.exportONNX(x, to: g) }
}

extension SequenceEncoder: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        // svtr works on the feature map, before Im2Seq (as in the forward pass).
        if encoderType == "svtr" || encoderType == "lightsvtr", let encoder { return try encoderReshape.exportONNX(g.emit(encoder, x), to: g) }
        let seq = try encoderReshape.exportONNX(x, to: g)
        return try encoder.map { try g.emit($0, seq) } ?? seq
    }
}

extension CTCHead: ONNXExportable {
    /// Logits, no softmax: the graph's output is `logits` (metadata `ocrkit.output`).
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        if let fc { return try fc.exportONNX(x, to: g) }
        guard let fc1, let fc2 else { throw ExportError.unsupportedSetting(path: path.description, message: "CTCHead has no layers") }
        return try fc2.exportONNX(fc1.exportONNX(x, to: g), to: g)
    }
}

extension RecognitionModel: ONNXExportable {
    /// Backbone -> neck -> head. The channels-last input option is a LibTorch memory layout, not
    /// a different function: nothing to emit.
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try head.exportONNX(neck.exportONNX(g.emit(backbone, x), to: g), to: g)          // B x T x classes
    }
}
