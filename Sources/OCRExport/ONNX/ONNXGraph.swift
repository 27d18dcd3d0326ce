/// An ONNX `GraphProto`: nodes in topological order, initializers (weights and constants),
/// declared inputs and outputs.
public struct ONNXGraph: Sendable, Equatable {
    public var name: String
    public var nodes: [ONNXNode]
    public var initializers: [ONNXTensor]
    public var inputs: [ONNXValueInfo]
    public var outputs: [ONNXValueInfo]
    public var docString: String?

    public init(name: String, nodes: [ONNXNode], initializers: [ONNXTensor], inputs: [ONNXValueInfo],
                outputs: [ONNXValueInfo], docString: String? = nil) {
        self.name = name
        self.nodes = nodes
        self.initializers = initializers
        self.inputs = inputs
        self.outputs = outputs
        self.docString = docString
    }

    /// GraphProto: node = 1, name = 2, initializer = 5, doc_string = 10, input = 11, output = 12.
    public func encoded() -> ProtobufWriter {
        var w = ProtobufWriter()
        for n in nodes { w.message(1, n.encoded()) }
        w.string(2, name)
        for t in initializers { w.message(5, t.encoded()) }
        if let docString { w.string(10, docString) }
        for i in inputs { w.message(11, i.encoded()) }
        for o in outputs { w.message(12, o.encoded()) }
        return w
    }
}
