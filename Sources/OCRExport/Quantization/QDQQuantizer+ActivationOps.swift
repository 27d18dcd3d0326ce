/// Weightless operators in the QDQ plan. ONNX Runtime's CPU provider fuses DQ -> op -> Q into an
/// integer kernel for Add and Mul (QLinearAdd, QLinearMul) and GlobalAveragePool. Quantising them
/// between int8 convolutions keeps a MobileNetV3 in int8 (and in ONNX Runtime's NHWC layout)
/// from one convolution to the next, instead of a dequantise -> float op -> quantise round trip
/// plus two layout transposes at every activation, SE gate and residual add.
///
/// ONNX Runtime has no int8 HardSwish or HardSigmoid, so they are rewritten into operators it
/// has (`integerHardActivation`). Measured choices (docs/DECISIONS.md): Resize, Concat and
/// MaxPool stay float - quantising them was slower on DB's neck.
extension QDQQuantizer {
    /// One weightless operator whose inputs and output are quantised.
    public struct ActivationOp: Sendable, Equatable {
        public var name: String
        public var opType: String
        public var inputs: [String]
        public var output: String

        var isHardActivation: Bool { opType == "HardSwish" || opType == "HardSigmoid" }
    }

    /// The weightless operator types the plan may quantise (when `QuantizationOptions.operatorTypes`
    /// lists them, as by default).
    public static let activationOpTypes: Set<String> = ["Add", "Mul", "HardSwish", "HardSigmoid", "GlobalAveragePool"]

    /// Adds to `plan`, in graph order, every weightless operator whose inputs are all activations
    /// (no constant: a bias Add or a scale Mul stays float) and at least one of which is quantised
    /// already (by a planned Conv or MatMul, or by an operator planned here before it). Its other
    /// inputs and its output get Q/DQ pairs too. Graph outputs stay float. A transformer's
    /// residual Add, whose inputs come from a LayerNorm path and a bias Add, therefore stays float.
    static func planActivationOps(_ graph: ONNXGraph, options: QuantizationOptions, into plan: inout Plan) {
        let initializers = Set(graph.initializers.map(\.name))
        let graphOutputs = Set(graph.outputs.map(\.name))
        var paired = Set(plan.activations)   // tensors with a Q -> DQ pair
        var gates = Set<String>()            // HardSigmoid outputs: their rewrite ends in a DequantizeLinear already
        for node in graph.nodes where activationOpTypes.contains(node.opType) && options.operatorTypes.contains(node.opType)
            && !options.keepsFloat(node) {
            guard node.outputs.count == 1, let output = node.outputs.first, !graphOutputs.contains(output),
                  !node.inputs.isEmpty, !node.inputs.contains(where: { $0.isEmpty || initializers.contains($0) }),
                  node.inputs.contains(where: { paired.contains($0) || gates.contains($0) }) else { continue }
            plan.activationOps.append(ActivationOp(name: node.name, opType: node.opType, inputs: node.inputs, output: output))
            if node.opType == "HardSigmoid" { gates.insert(output) }
            for t in node.inputs + [output] where !gates.contains(t) && !graphOutputs.contains(t) && paired.insert(t).inserted {
                plan.activations.append(t)
            }
        }
    }

    /// HardSigmoid(x) = clip(alpha x + beta, 0, 1) = alpha clip(x + beta/alpha, 0, 1/alpha), and
    /// HardSwish(x) = x HardSigmoid(x) with alpha 1/6, beta 1/2, as operators ONNX Runtime runs
    /// on int8:
    ///
    ///     Add(x, beta/alpha) -> QuantizeLinear(range [0, 1/alpha]) -> DequantizeLinear(scale x alpha) [-> Mul(x, .)]
    ///
    /// The QuantizeLinear saturates, which is the clip; the DequantizeLinear reads the same
    /// integers with the scale multiplied by alpha, which is the slope. ONNX Runtime fuses
    /// DQ -> Add -> Q into QLinearAdd and DQ, DQ -> Mul -> Q into QLinearMul; the gate is exact to
    /// half a step of 1/255. `node`'s input must already read a DequantizeLinear output.
    static func integerHardActivation(_ node: ONNXNode, activationType: ActivationType) throws -> (nodes: [ONNXNode], constants: [ONNXTensor]) {
        guard let x = node.inputs.first, let y = node.outputs.first else {
            throw QuantizationError("'\(node.name)': \(node.opType) without input or output")
        }
        var alpha: Float = node.opType == "HardSwish" ? 1.0 / 6.0 : 0.2, beta: Float = 0.5
        for a in node.attributes {
            if a.name == "alpha", case .float(let v) = a.value { alpha = v }
            if a.name == "beta", case .float(let v) = a.value { beta = v }
        }
        guard alpha > 0 else { throw QuantizationError("'\(node.name)': HardSigmoid alpha \(alpha) is not positive") }
        let offset = beta / alpha, top = 1 / alpha
        let shift = QuantParameters.activation(lo: 0, hi: top, type: activationType)
        let constant = QuantParameters.activation(lo: 0, hi: offset, type: activationType)
        // The constants depend on alpha and beta only: one set per function, shared by every node.
        let n = node.name, c = "HardSigmoid_\(alpha)_\(beta)"
        let constants = [
            activationType.scalar(c + "_offset_quantized", Int((offset / constant.scale).rounded()) + constant.zeroPoint),
            ONNXTensor(name: c + "_offset_scale", floats: [constant.scale], dims: []),
            activationType.scalar(c + "_offset_zero_point", constant.zeroPoint),
            ONNXTensor(name: c + "_shifted_scale", floats: [shift.scale], dims: []),
            ONNXTensor(name: c + "_gate_scale", floats: [shift.scale * alpha], dims: []),
            activationType.scalar(c + "_shifted_zero_point", shift.zeroPoint),
        ]
        let gate = node.opType == "HardSigmoid" ? y : n + "_gate"
        var nodes = [
            ONNXNode(opType: "DequantizeLinear", name: c + "_offset_DQ",
                     inputs: [c + "_offset_quantized", c + "_offset_scale", c + "_offset_zero_point"], outputs: [c + "_offset"]),
            ONNXNode(opType: "Add", name: n + "_add", inputs: [x, c + "_offset"], outputs: [n + "_shift"]),
            ONNXNode(opType: "QuantizeLinear", name: n + "_shift_Q",
                     inputs: [n + "_shift", c + "_shifted_scale", c + "_shifted_zero_point"], outputs: [n + "_shift_q"]),
            ONNXNode(opType: "DequantizeLinear", name: n + "_gate_DQ",
                     inputs: [n + "_shift_q", c + "_gate_scale", c + "_shifted_zero_point"], outputs: [gate]),
        ]
        if node.opType == "HardSwish" {
            nodes.append(ONNXNode(opType: "Mul", name: n + "_mul", inputs: [x, gate], outputs: [y]))
        }
        return (nodes, constants)
    }
}
