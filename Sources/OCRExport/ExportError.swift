/// Why a model could not be exported. The message names the module path or tensor involved.
public enum ExportError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A module in the tree has no ONNX exporter.
    case unsupportedModule(path: String, kind: String)
    /// A module setting that has no ONNX equivalent here (e.g. an adaptive pool without a known input size).
    case unsupportedSetting(path: String, message: String)
    case unsupportedDType(name: String, dtype: String)
    /// A tensor whose data does not fill its shape.
    case malformedTensor(name: String, message: String)
    /// Two graph values or initializers asked for the same name.
    case duplicateName(String)
    case unknownValue(String)
    /// The metadata does not describe the model being exported.
    case metadataMismatch(String)
    /// ONNX Runtime's output differs from LibTorch's (`ParityCheck`).
    case parity(String)

    public var description: String {
        switch self {
        case .unsupportedModule(let path, let kind):
            "ONNX export: no exporter for \(kind) at '\(path)' (conform it to ONNXExportable in OCRExport)"
        case .unsupportedSetting(let path, let message): "ONNX export of '\(path)': \(message)"
        case .unsupportedDType(let name, let dtype): "ONNX export: tensor '\(name)' has dtype \(dtype), which ONNX export does not write"
        case .malformedTensor(let name, let message): "ONNX export: tensor '\(name)': \(message)"
        case .duplicateName(let name): "ONNX export: the name '\(name)' is used twice in the graph"
        case .unknownValue(let name): "ONNX export: '\(name)' is not a value of the graph"
        case .metadataMismatch(let message): "ONNX export: metadata does not match the model: \(message)"
        case .parity(let message): "ONNX export parity check: \(message)"
        }
    }
}
