/// An ONNX model's descriptive fields and its `metadata_props` (the custom metadata map).
public struct ModelMetadata: Sendable, Equatable {
    /// `producer_name` ("pytorch", "PaddlePaddle", "OCRKit", ...).
    public var producerName: String
    public var graphName: String
    public var domain: String
    public var description: String
    /// `model_version`.
    public var version: Int64
    /// Every `metadata_props` entry.
    public var custom: [String: String]

    public init(producerName: String = "", graphName: String = "", domain: String = "", description: String = "",
                version: Int64 = 0, custom: [String: String] = [:]) {
        self.producerName = producerName
        self.graphName = graphName
        self.domain = domain
        self.description = description
        self.version = version
        self.custom = custom
    }
}
