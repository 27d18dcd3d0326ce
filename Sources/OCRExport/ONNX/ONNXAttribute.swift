/// An ONNX `AttributeProto`: a named operator setting.
public struct ONNXAttribute: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case int(Int), ints([Int]), float(Float), floats([Float]), string(String), tensor(ONNXTensor)
    }

    public var name: String
    public var value: Value

    public init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }

    public static func int(_ name: String, _ v: Int) -> ONNXAttribute { .init(name, .int(v)) }
    public static func ints(_ name: String, _ v: [Int]) -> ONNXAttribute { .init(name, .ints(v)) }
    public static func float(_ name: String, _ v: Float) -> ONNXAttribute { .init(name, .float(v)) }
    public static func floats(_ name: String, _ v: [Float]) -> ONNXAttribute { .init(name, .floats(v)) }
    public static func string(_ name: String, _ v: String) -> ONNXAttribute { .init(name, .string(v)) }
    public static func tensor(_ name: String, _ v: ONNXTensor) -> ONNXAttribute { .init(name, .tensor(v)) }

    /// `AttributeProto.AttributeType`.
    var typeCode: Int {
        switch value {
        case .float: 1
        case .int: 2
        case .string: 3
        case .tensor: 4
        case .floats: 6
        case .ints: 7
        }
    }

    /// AttributeProto: name = 1, f = 2, i = 3, s = 4, t = 5, floats = 7, ints = 8, type = 20.
    public func encoded() -> ProtobufWriter {
        var w = ProtobufWriter()
        w.string(1, name)
        switch value {
        case .float(let f): w.float(2, f)
        case .int(let i): w.int(3, i)
        case .string(let s): w.string(4, s)
        case .tensor(let t): w.message(5, t.encoded())
        case .floats(let fs): w.repeatedFloats(7, fs)
        case .ints(let xs): w.repeatedInts(8, xs.map(Int64.init))
        }
        w.int(20, typeCode)
        return w
    }
}
