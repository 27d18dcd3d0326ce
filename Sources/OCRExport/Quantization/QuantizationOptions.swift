/// How activation ranges are chosen from what calibration observed.
public enum CalibrationMethod: Sendable, Equatable, CustomStringConvertible {
    /// The observed minimum and maximum.
    case minMax
    /// Clip at this percentile of |x| (e.g. 99.99), so rare outliers do not stretch the scale.
    case percentile(Double)
    /// The clipping threshold that minimises the KL divergence between the 2048-bin |x|
    /// histogram and its 128-level quantisation (TensorRT's entropy calibration).
    case entropy

    /// `minmax`, `percentile` (with `percentile`), or `entropy`.
    public init(name: String, percentile: Double = 99.99) throws {
        switch name.lowercased() {
        case "minmax", "min-max", "min_max": self = .minMax
        case "percentile":
            guard percentile > 50, percentile <= 100 else {
                throw QuantizationError("percentile must be in (50, 100], got \(percentile)")
            }
            self = .percentile(percentile)
        case "entropy", "kl": self = .entropy
        default: throw QuantizationError("unknown calibration method '\(name)': use minmax, percentile or entropy")
        }
    }

    public var description: String {
        switch self {
        case .minMax: "minmax"
        case .percentile(let p): "percentile \(p)"
        case .entropy: "entropy"
        }
    }
}

/// The integer type activations are stored in between quantised operators. Weights are always
/// int8, symmetric, per output channel.
public enum ActivationType: String, Sendable, CaseIterable {
    /// uint8 with a zero point (asymmetric): "U8S8" with int8 weights.
    case uint8 = "u8s8"
    /// int8, symmetric (zero point 0; -128 for a non-negative range such as a Relu's output): "S8S8".
    case int8 = "s8s8"

    var onnxType: ONNXDataType { self == .uint8 ? .uint8 : .int8 }

    /// A scalar initializer of this type (a zero point, or a quantised constant).
    func scalar(_ name: String, _ value: Int) -> ONNXTensor {
        self == .uint8 ? ONNXTensor(name: name, uint8s: [UInt8(value)], dims: []) : ONNXTensor(name: name, int8s: [Int8(value)], dims: [])
    }
}

/// What INT8 quantisation does to a float model.
public struct QuantizationOptions: Sendable, Equatable {
    public var method: CalibrationMethod
    public var activationType: ActivationType
    /// Operators that get int8 inputs and weights. MatMuls only when one side is a constant
    /// weight: attention's activation x activation products stay float, as do LayerNorm and
    /// softmax. "LSTM" becomes ONNX Runtime's DynamicQuantizeLSTM (int8 weights, input and
    /// hidden state quantised at run time: ONNX has no static int8 LSTM). The weightless types of
    /// `QDQQuantizer.activationOpTypes` (HardSwish, SE gates, residual adds, global pooling)
    /// are quantised only next to quantised tensors, so chains of convolutions stay int8 end to
    /// end while a transformer's LayerNorm -> residual path stays float.
    public var operatorTypes: Set<String>
    /// Node-name prefixes (module paths, e.g. `backbone/conv1`, `head`) whose operators stay float.
    public var keepFloat: [String]

    public init(method: CalibrationMethod = .percentile(99.99), activationType: ActivationType = .uint8,
                operatorTypes: Set<String> = Set(["Conv", "MatMul", "LSTM"]).union(QDQQuantizer.activationOpTypes),
                keepFloat: [String] = []) {
        self.method = method
        self.activationType = activationType
        self.operatorTypes = operatorTypes
        self.keepFloat = keepFloat
    }

    /// Whether a node of the float graph stays float because of `keepFloat`.
    func keepsFloat(_ node: ONNXNode) -> Bool {
        keepFloat.contains { node.name == $0 || node.name.hasPrefix($0 + "/") }
    }
}

/// Why quantisation could not be done; the message names the tensor or option involved.
public struct QuantizationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ message: String) { description = "INT8 quantisation: " + message }
}
