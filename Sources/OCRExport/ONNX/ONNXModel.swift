import Foundation

/// An ONNX `ModelProto`: the graph plus the versions a runtime needs and free-form
/// `metadata_props` (OCRKit's self-description: see `RecognizerMetadata`).
public struct ONNXModel: Sendable, Equatable {
    /// IR version 8 (ONNX 1.10+): what opset 17 needs, readable by every ONNX Runtime since 1.10.
    public var irVersion = 8
    /// (domain, version); "" is the default ONNX domain.
    public var opsetImports: [(domain: String, version: Int)] = [("", 17)]
    public var producerName = "OCRKit"
    public var producerVersion = ""
    public var docString: String?
    public var graph: ONNXGraph
    /// Key-value pairs in order; keys are unique.
    public var metadataProps: [(key: String, value: String)]

    public init(graph: ONNXGraph, metadataProps: [(key: String, value: String)] = [], producerVersion: String = "",
                docString: String? = nil) {
        self.graph = graph
        self.metadataProps = metadataProps
        self.producerVersion = producerVersion
        self.docString = docString
    }

    public static func == (a: ONNXModel, b: ONNXModel) -> Bool {
        a.irVersion == b.irVersion && a.opsetImports.elementsEqual(b.opsetImports, by: { $0 == $1 })
            && a.producerName == b.producerName && a.producerVersion == b.producerVersion && a.docString == b.docString
            && a.graph == b.graph && a.metadataProps.elementsEqual(b.metadataProps, by: { $0 == $1 })
    }

    /// The value of a metadata key, if present.
    public func metadata(_ key: String) -> String? { metadataProps.first { $0.key == key }?.value }

    /// ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, doc_string = 6,
    /// graph = 7, opset_import = 8 (domain = 1, version = 2), metadata_props = 14 (key = 1, value = 2).
    public func encoded() -> ProtobufWriter {
        var w = ProtobufWriter()
        w.int(1, irVersion)
        w.string(2, producerName)
        if !producerVersion.isEmpty { w.string(3, producerVersion) }
        if let docString { w.string(6, docString) }
        w.message(7, graph.encoded())
        for (domain, version) in opsetImports {
            var op = ProtobufWriter()
            op.string(1, domain)
            op.int(2, version)
            w.message(8, op)
        }
        for (key, value) in metadataProps {
            var entry = ProtobufWriter()
            entry.string(1, key)
            entry.string(2, value)
            w.message(14, entry)
        }
        return w
    }

    /// The `.onnx` file's bytes.
    public func serialized() -> [UInt8] { encoded().bytes }

    /// Writes the file atomically (a temporary file renamed into place), so a reader never sees
    /// a half-written model. Creates the folder when needed.
    public func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(serialized()).write(to: url, options: .atomic)
    }
}
