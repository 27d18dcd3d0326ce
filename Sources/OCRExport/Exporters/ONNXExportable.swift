/// A module that can write its eval-mode forward pass into an ONNX graph. Conformances for NN's
/// layers and OCRModels' modules live in OCRExport, so the models stay free of ONNX code.
public protocol ONNXExportable {
    /// Emits the ONNX equivalent of `callAsFunction` in eval mode (dropout and stochastic depth
    /// are identities, BatchNorm uses running statistics) on `input`; returns the output value.
    func exportONNX(_ input: ONNXValue, to graph: ONNXGraphBuilder) throws -> ONNXValue
}
