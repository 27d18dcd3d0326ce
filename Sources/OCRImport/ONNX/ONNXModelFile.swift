import Foundation

/// An ONNX tensor as the importer needs it: name, shape and its values as floats (FLOAT) or
/// int64s (INT64/INT32). Other element types keep their shape and type only.
public struct ONNXTensor: Sendable {
    /// TensorProto.DataType: 1 FLOAT, 6 INT32, 7 INT64, 11 DOUBLE, ...
    public enum ElementType: Int, Sendable {
        case float = 1, uint8 = 2, int8 = 3, int32 = 6, int64 = 7, bool = 9, double = 11
    }

    public var name: String
    public var shape: [Int]
    public var dataType: Int
    public var floats: [Float] = []
    public var int64s: [Int64] = []

    public var elementCount: Int { shape.reduce(1, *) }
    public var isFloat: Bool { dataType == ElementType.float.rawValue }
}

/// A node attribute: the kinds PaddleOCR's exports use.
public enum ONNXAttribute: Sendable {
    case float(Float), int(Int64), string(String), tensor(ONNXTensor), floats([Float]), ints([Int64]), other(type: Int)
}

/// One graph node, in file order (ONNX requires topological order, so forward order).
public struct ONNXNode: Sendable {
    public var name: String
    public var opType: String
    public var inputs: [String]
    public var outputs: [String]
    public var attributes: [String: ONNXAttribute]

    public func ints(_ key: String) -> [Int]? {
        if case .ints(let v)? = attributes[key] { return v.map(Int.init) }
        return nil
    }

    public func int(_ key: String) -> Int? {
        if case .int(let v)? = attributes[key] { return Int(v) }
        return nil
    }

    public func float(_ key: String) -> Float? {
        if case .float(let v)? = attributes[key] { return v }
        return nil
    }
}

/// What an ONNX file holds for import: the graph's nodes, the constant tensors (initializers and
/// the values of `Constant` nodes - paddle2onnx's files keep every weight in Constant nodes),
/// opset, producer and `metadata_props` (RapidOCR's files carry the charset as `character`).
///
/// Only the fields the importer reads are decoded (ModelProto, GraphProto, NodeProto,
/// AttributeProto, TensorProto); other fields are skipped by wire type. External data is refused.
public struct ONNXModelFile: Sendable {
    public var path: String
    public var irVersion: Int64 = 0
    public var producer = ""
    /// (domain, version); "" is the default ONNX domain.
    public var opsets: [(domain: String, version: Int64)] = []
    public var metadata: [String: String] = [:]
    /// Graph nodes in file order, `Constant` nodes included.
    public var nodes: [ONNXNode] = []
    /// Initializers and Constant-node values by output name.
    public var constants: [String: ONNXTensor] = [:]
    /// Names of the graph's inputs that are not initializers, and of its outputs.
    public var inputs: [String] = []
    public var outputs: [String] = []

    /// Nodes that compute (not `Constant`).
    public var computeNodes: [ONNXNode] { nodes.filter { $0.opType != "Constant" } }

    /// Reads and decodes `path`.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportError("\(path): cannot read the file (missing or not readable)")
        }
        try self.init(bytes: [UInt8](data), path: path)
    }

    public init(bytes: [UInt8], path: String) throws {
        self.path = path
        guard !bytes.isEmpty else { throw ImportError("\(path): the file is empty, not an ONNX model") }
        var r = ProtobufReader(data: bytes, file: path, context: "ModelProto")
        r.fieldNames = ONNXFieldNames.model
        var graph: Range<Int>?
        while let (field, v) = try r.next() {
            switch field {
            case 1: irVersion = try r.int(v, "ir_version")
            case 2: producer = try r.string(v, "producer_name")
            case 7: graph = try r.range(v, "graph")
            case 8: opsets.append(try Self.opset(r.nested(try r.range(v, "opset_import"), context: "ModelProto.opset_import")))
            case 14:
                let (k, value) = try Self.entry(r.nested(try r.range(v, "metadata_props"), context: "ModelProto.metadata_props"))
                metadata[k] = value
            default: break
            }
        }
        guard let graph, irVersion > 0 else {
            throw r.error(graph == nil ? "no graph (ModelProto field 7)" : "no ir_version (ModelProto field 1)")
        }
        try readGraph(r.nested(graph, context: "ModelProto.graph"))
        guard !nodes.isEmpty else { throw ImportError("\(path): the ONNX graph has no nodes") }
    }

    private mutating func readGraph(_ reader: ProtobufReader) throws {
        var r = reader
        r.fieldNames = ONNXFieldNames.graph
        var initializerNames = Set<String>()
        while let (field, v) = try r.next() {
            switch field {
            case 1:
                let node = try Self.node(r.nested(try r.range(v, "node"), context: "GraphProto.node[\(nodes.count)]"))
                if node.opType == "Constant", let out = node.outputs.first {
                    guard case .tensor(var t)? = node.attributes["value"] else {
                        throw ImportError("\(path): Constant node '\(node.name)' has no tensor `value` (other Constant forms are not supported)")
                    }
                    t.name = out
                    constants[out] = t
                }
                nodes.append(node)
            case 5:
                let t = try Self.tensor(r.nested(try r.range(v, "initializer"), context: "GraphProto.initializer[\(initializerNames.count)]"))
                initializerNames.insert(t.name)
                constants[t.name] = t
            case 11: inputs.append(try Self.valueName(r.nested(try r.range(v, "input"), context: "GraphProto.input")))
            case 12: outputs.append(try Self.valueName(r.nested(try r.range(v, "output"), context: "GraphProto.output")))
            default: break
            }
        }
        inputs.removeAll { initializerNames.contains($0) }
    }

    // MARK: messages

    private static func opset(_ reader: ProtobufReader) throws -> (domain: String, version: Int64) {
        var r = reader
        var result = (domain: "", version: Int64(0))
        while let (field, v) = try r.next() {
            if field == 1 { result.domain = try r.string(v, "domain") }
            if field == 2 { result.version = try r.int(v, "version") }
        }
        return result
    }

    private static func entry(_ reader: ProtobufReader) throws -> (String, String) {
        var r = reader
        var key = "", value = ""
        while let (field, v) = try r.next() {
            if field == 1 { key = try r.string(v, "key") }
            if field == 2 { value = try r.string(v, "value") }
        }
        return (key, value)
    }

    /// ValueInfoProto: only its name (field 1).
    private static func valueName(_ reader: ProtobufReader) throws -> String {
        var r = reader
        var name = ""
        while let (field, v) = try r.next() {
            if field == 1 { name = try r.string(v, "name") }
        }
        return name
    }

    private static func node(_ reader: ProtobufReader) throws -> ONNXNode {
        var r = reader
        r.fieldNames = ONNXFieldNames.node
        var n = ONNXNode(name: "", opType: "", inputs: [], outputs: [], attributes: [:])
        while let (field, v) = try r.next() {
            switch field {
            case 1: n.inputs.append(try r.string(v, "input"))
            case 2: n.outputs.append(try r.string(v, "output"))
            case 3: n.name = try r.string(v, "name")
            case 4: n.opType = try r.string(v, "op_type")
            case 5:
                let (name, a) = try attribute(r.nested(try r.range(v, "attribute"), context: r.context + ".attribute"))
                n.attributes[name] = a
            default: break
            }
        }
        guard !n.opType.isEmpty else { throw r.error("a node without op_type") }
        return n
    }

    private static func attribute(_ reader: ProtobufReader) throws -> (String, ONNXAttribute) {
        var r = reader
        r.fieldNames = ONNXFieldNames.attribute
        var name = "", type = 0
        var f: Float?, i: Int64?, s: String?, t: ONNXTensor?
        var floats: [Float] = [], ints: [Int64] = []
        while let (field, v) = try r.next() {
            switch field {
            case 1: name = try r.string(v, "name")
            case 2: f = try r.float(v, "f")
            case 3: i = try r.int(v, "i")
            case 4: s = try r.string(v, "s")
            case 5: t = try tensor(r.nested(try r.range(v, "t"), context: r.context + ".t"))
            case 7: try r.appendFloats(v, "floats", to: &floats)
            case 8: try r.appendInts(v, "ints", to: &ints)
            case 20: type = Int(try r.int(v, "type"))
            default: break
            }
        }
        // AttributeType: 1 FLOAT, 2 INT, 3 STRING, 4 TENSOR, 6 FLOATS, 7 INTS.
        switch type {
        case 1: return (name, .float(f ?? 0))
        case 2: return (name, .int(i ?? 0))
        case 3: return (name, .string(s ?? ""))
        case 4:
            guard let t else { throw r.error("tensor attribute '\(name)' without a tensor") }
            return (name, .tensor(t))
        case 6: return (name, .floats(floats))
        case 7: return (name, .ints(ints))
        default: return (name, .other(type: type))
        }
    }

    private static func tensor(_ reader: ProtobufReader) throws -> ONNXTensor {
        var r = reader
        r.fieldNames = ONNXFieldNames.tensor
        var t = ONNXTensor(name: "", shape: [], dataType: 0)
        var dims: [Int64] = []
        var raw: Range<Int>?
        var external = false
        while let (field, v) = try r.next() {
            switch field {
            case 1: try r.appendInts(v, "dims", to: &dims)
            case 2: t.dataType = Int(try r.int(v, "data_type"))
            case 4: try r.appendFloats(v, "float_data", to: &t.floats)
            case 5, 7: try r.appendInts(v, field == 5 ? "int32_data" : "int64_data", to: &t.int64s)
            case 8: t.name = try r.string(v, "name")
            case 9: raw = try r.range(v, "raw_data")
            case 13: external = true
            case 14: external = try r.int(v, "data_location") == 1 || external
            default: break
            }
        }
        t.shape = dims.map(Int.init)
        if external {
            throw ImportError("\(r.file): tensor '\(t.name)' keeps its data in an external file; "
                              + "only self-contained ONNX files can be imported")
        }
        let count = t.elementCount
        if let raw {
            switch t.dataType {
            case ONNXTensor.ElementType.float.rawValue:
                guard raw.count == 4 * count else { throw r.error("tensor '\(t.name)' has \(raw.count) raw bytes for \(count) floats") }
                t.floats = ProtobufReader.littleEndianFloats(r.data[raw])
            case ONNXTensor.ElementType.int64.rawValue:
                guard raw.count == 8 * count else { throw r.error("tensor '\(t.name)' has \(raw.count) raw bytes for \(count) int64s") }
                t.int64s = ProtobufReader.littleEndianInt64s(r.data[raw])
            default: break
            }
        } else if t.isFloat, t.floats.count != count {
            throw r.error("tensor '\(t.name)' has \(t.floats.count) floats for shape \(t.shape)")
        }
        return t
    }
}

/// onnx.proto's field numbers of the messages the reader decodes, for error messages.
enum ONNXFieldNames {
    static let model = [1: "ir_version", 2: "producer_name", 3: "producer_version", 4: "domain", 5: "model_version",
                        6: "doc_string", 7: "graph", 8: "opset_import", 14: "metadata_props", 20: "training_info", 25: "functions"]
    static let graph = [1: "node", 2: "name", 5: "initializer", 10: "doc_string", 11: "input", 12: "output", 13: "value_info",
                        14: "quantization_annotation", 15: "sparse_initializer"]
    static let node = [1: "input", 2: "output", 3: "name", 4: "op_type", 5: "attribute", 6: "doc_string", 7: "domain"]
    static let attribute = [1: "name", 2: "f", 3: "i", 4: "s", 5: "t", 6: "g", 7: "floats", 8: "ints", 9: "strings", 10: "tensors",
                            11: "graphs", 13: "doc_string", 20: "type", 21: "ref_attr_name"]
    static let tensor = [1: "dims", 2: "data_type", 3: "segment", 4: "float_data", 5: "int32_data", 6: "string_data", 7: "int64_data",
                         8: "name", 9: "raw_data", 10: "double_data", 11: "uint64_data", 12: "doc_string", 13: "external_data",
                         14: "data_location"]
}
