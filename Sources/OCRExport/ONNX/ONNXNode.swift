/// An ONNX `NodeProto`: one operator application. An empty input name leaves an optional
/// input out (ONNX's convention).
public struct ONNXNode: Sendable, Equatable {
    public var opType: String
    public var name: String
    public var inputs: [String]
    public var outputs: [String]
    public var attributes: [ONNXAttribute]
    /// Operator-set domain; "" is the default ONNX domain.
    public var domain: String

    public init(opType: String, name: String, inputs: [String], outputs: [String], attributes: [ONNXAttribute] = [],
                domain: String = "") {
        self.opType = opType
        self.name = name
        self.inputs = inputs
        self.outputs = outputs
        self.attributes = attributes
        self.domain = domain
    }

    /// NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5, domain = 7.
    public func encoded() -> ProtobufWriter {
        var w = ProtobufWriter()
        for i in inputs { w.string(1, i) }
        for o in outputs { w.string(2, o) }
        w.string(3, name)
        w.string(4, opType)
        for a in attributes { w.message(5, a.encoded()) }
        if !domain.isEmpty { w.string(7, domain) }
        return w
    }
}
