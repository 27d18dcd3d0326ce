/// Rewrites a float ONNX model into QDQ form, the INT8 format every ONNX Runtime runs:
/// activations pass through QuantizeLinear -> DequantizeLinear pairs with calibrated ranges,
/// weights are stored as int8 (symmetric, one scale per output channel) behind a
/// DequantizeLinear, and Conv biases as int32 with scale `input scale x weight scale`. ONNX
/// Runtime fuses each DQ -> Conv/MatMul -> Q group into an integer kernel (QLinearConv,
/// QLinearMatMul); operators outside the plan keep computing in float.
///
/// Two rules follow from profiling ONNX Runtime 1.21 on the demo CRNN (docs/DECISIONS.md):
/// - a Conv whose only consumer is a Relu is quantised at the Relu's output, so ONNX Runtime
///   drops the Relu into the QLinearConv (the Q's zero point is the type's minimum) instead of
///   running QLinearConv -> DQ -> Relu -> Q, a float round trip per activation;
/// - an LSTM becomes ONNX Runtime's `com.microsoft.DynamicQuantizeLSTM`: int8 weights packed
///   once at load, input and hidden state quantised per step. Its weights behind a
///   DequantizeLinear (the plain LSTM) would be dequantised and repacked on every run.
public enum QDQQuantizer {
    /// One operator that gets int8 inputs and weights.
    public struct PlannedNode: Sendable, Equatable {
        public var name: String
        public var opType: String
        /// The activation input (input 0).
        public var activation: String
        /// The float weight initializer; for a MatMul whose weight comes through a Transpose of
        /// an initializer (NN's Linear: x W^T), the initializer before the Transpose.
        public var weight: String
        /// The Transpose node between `weight` and the MatMul, if any.
        public var weightTranspose: String?
        public var bias: String?
        /// The tensor quantised after the operator: its output, or the output of the Relu that
        /// is the output's only consumer (`fusedRelu`).
        public var output: String
        public var fusedRelu: String? = nil
    }

    /// What to quantise in a graph: the operators, the activation tensors whose ranges
    /// calibration must observe (their inputs and outputs), and the LSTMs to rewrite.
    public struct Plan: Sendable, Equatable {
        public var nodes: [PlannedNode]
        public var activations: [String]
        /// LSTM nodes that become `com.microsoft.DynamicQuantizeLSTM` (no calibration needed).
        public var lstms: [String] = []
        /// Weightless operators between quantised tensors that ONNX Runtime runs on int8 once
        /// their inputs and output are quantised (see `ActivationOp`).
        public var activationOps: [ActivationOp] = []

        /// The plan restricted to the named operators (for per-layer sensitivity).
        public func only(_ names: Set<String>) -> Plan {
            let kept = nodes.filter { names.contains($0.name) }
            var seen = Set<String>(), tensors: [String] = []
            for n in kept { for t in [n.activation, n.output] where seen.insert(t).inserted { tensors.append(t) } }
            return Plan(nodes: kept, activations: tensors.filter(activations.contains), lstms: [])  // convs and MatMuls alone
        }
    }

    public static func plan(_ graph: ONNXGraph, options: QuantizationOptions) -> Plan {
        let initializers = Set(graph.initializers.map(\.name))
        let producers = Dictionary(graph.nodes.map { n in n.outputs.map { ($0, n) } }.flatMap { $0 }, uniquingKeysWith: { a, _ in a })
        let graphOutputs = Set(graph.outputs.map(\.name))
        var consumers: [String: [ONNXNode]] = [:]
        for n in graph.nodes { for i in n.inputs { consumers[i, default: []].append(n) } }
        var planned: [PlannedNode] = []
        for node in graph.nodes where ["Conv", "MatMul"].contains(node.opType) && options.operatorTypes.contains(node.opType)
            && !options.keepsFloat(node) {
            guard node.inputs.count >= 2, !initializers.contains(node.inputs[0]), let output = node.outputs.first else { continue }
            var weight = node.inputs[1], transpose: String?
            if !initializers.contains(weight) {
                // NN's Linear exports as Transpose(W) -> MatMul: quantise W, transposed once here.
                guard node.opType == "MatMul", let t = producers[weight], t.opType == "Transpose",
                      let source = t.inputs.first, initializers.contains(source) else { continue }
                (weight, transpose) = (source, t.name)
            }
            let bias = node.opType == "Conv" && node.inputs.count > 2 && initializers.contains(node.inputs[2]) ? node.inputs[2] : nil
            var p = PlannedNode(name: node.name, opType: node.opType, activation: node.inputs[0], weight: weight,
                                weightTranspose: transpose, bias: bias, output: output)
            if let users = consumers[output], users.count == 1, users[0].opType == "Relu", !graphOutputs.contains(output),
               let reluOutput = users[0].outputs.first {
                (p.output, p.fusedRelu) = (reluOutput, users[0].name)
            }
            planned.append(p)
        }
        var seen = Set<String>(), tensors: [String] = []
        for n in planned {
            for t in [n.activation, n.output] where !graphOutputs.contains(t) && seen.insert(t).inserted { tensors.append(t) }
        }
        let lstms = graph.nodes.filter { node in
            node.opType == "LSTM" && options.operatorTypes.contains("LSTM") && !options.keepsFloat(node)
                && node.inputs.count >= 3 && initializers.contains(node.inputs[1]) && initializers.contains(node.inputs[2])
        }
        var plan = Plan(nodes: planned, activations: tensors, lstms: lstms.map(\.name))
        planActivationOps(graph, options: options, into: &plan)
        return plan
    }

    /// The QDQ model: `ranges` holds a float range for every tensor in `plan.activations`.
    public static func quantize(_ model: ONNXModel, plan: Plan, ranges: [String: (lo: Float, hi: Float)],
                                activationType: ActivationType) throws -> ONNXModel {
        var graph = model.graph
        var initializers = Dictionary(graph.initializers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var added: [ONNXTensor] = []
        var prelude: [ONNXNode] = []
        var after: [String: [ONNXNode]] = [:]
        var rename: [String: String] = [:]
        var parameters: [String: QuantParameters] = [:]
        let graphInputs = Set(graph.inputs.map(\.name))

        // Activations: one Q -> DQ pair per tensor, right after its producer; every consumer reads the DQ output.
        // Names are kept short (`_Q`, `_DQ` nodes; one zero-point initializer per value, shared), as a
        // few hundred pairs' names are a measurable share of the file.
        var zeroPoints = Set<Int>()
        for t in plan.activations {
            guard let r = ranges[t] else { throw QuantizationError("no calibrated range for tensor '\(t)'") }
            let p = QuantParameters.activation(lo: r.lo, hi: r.hi, type: activationType)
            parameters[t] = p
            added.append(ONNXTensor(name: t + "_scale", floats: [p.scale], dims: []))
            let zeroPoint = "zero_point_\(activationType.rawValue)_\(p.zeroPoint)"
            if zeroPoints.insert(p.zeroPoint).inserted { added.append(activationType.scalar(zeroPoint, p.zeroPoint)) }
            let pair = [
                ONNXNode(opType: "QuantizeLinear", name: t + "_Q", inputs: [t, t + "_scale", zeroPoint], outputs: [t + "_quantized"]),
                ONNXNode(opType: "DequantizeLinear", name: t + "_DQ",
                         inputs: [t + "_quantized", t + "_scale", zeroPoint], outputs: [t + "_dequantized"]),
            ]
            rename[t] = t + "_dequantized"
            if graphInputs.contains(t) { prelude += pair } else { after[t, default: []] += pair }
        }

        // Weights (and Conv biases): integer initializers behind a DequantizeLinear.
        var weightInputs: [String: (weight: String, bias: String?)] = [:]
        var removedTransposes = Set<String>()
        for n in plan.nodes {
            guard let w = initializers[n.weight], let values = w.floats else {
                throw QuantizationError("'\(n.name)': weight '\(n.weight)' is not a float initializer")
            }
            var dims = w.dims, data = values, axis = 0
            if n.weightTranspose != nil {
                guard dims.count == 2 else { throw QuantizationError("'\(n.name)': transposed weight '\(n.weight)' is not 2-D") }
                data = transposed(values, rows: dims[0], columns: dims[1])
                dims = [dims[1], dims[0]]
                axis = 1
                removedTransposes.insert(n.weightTranspose!)
            } else if n.opType == "MatMul" {
                axis = dims.count - 1
            }
            let name = n.weight + (n.weightTranspose != nil ? "_transposed" : "")
            // The int32 bias is bias / (weight scale x input scale): a channel whose weights are
            // near zero (trained away) would need more than 32 bits, so its weight scale is raised
            // until the bias fits with room to spare - ONNX Runtime's
            // adjust_weight_scale_for_int32_bias. Such a channel's output is its bias, which stays exact.
            var minimumScales: [Float]?
            if let b = n.bias, let bias = initializers[b]?.floats, bias.count == dims[axis], let input = parameters[n.activation] {
                minimumScales = bias.map { abs($0) / (Float(1 << 30) * input.scale) }
            }
            let (q, scales) = quantizePerChannel(data, dims: dims, axis: axis, minimumScales: minimumScales)
            // Symmetric: no zero-point input (it defaults to 0), one byte less per channel.
            added += [ONNXTensor(name: name + "_quantized", int8s: q, dims: dims),
                      ONNXTensor(name: name + "_scale", floats: scales, dims: [scales.count])]
            prelude.append(ONNXNode(opType: "DequantizeLinear", name: name + "_DQ",
                                    inputs: [name + "_quantized", name + "_scale"],
                                    outputs: [name + "_dequantized"], attributes: [.int("axis", axis)]))
            var biasInput: String?
            if let b = n.bias {
                guard let bias = initializers[b]?.floats, bias.count == scales.count, let input = parameters[n.activation] else {
                    throw QuantizationError("'\(n.name)': bias '\(b)' does not match the weight's \(scales.count) channels")
                }
                let biasScales = scales.map { $0 * input.scale }
                let q32 = zip(bias, biasScales).map { v, s -> Int32 in
                    let r = (Double(v) / Double(s)).rounded()
                    return r.isFinite ? Int32(clamping: Int64(max(-0x1p62, min(0x1p62, r)))) : 0
                }
                added += [ONNXTensor(name: b + "_quantized", int32s: q32, dims: [q32.count]),
                          ONNXTensor(name: b + "_scale", floats: biasScales, dims: [q32.count])]
                prelude.append(ONNXNode(opType: "DequantizeLinear", name: b + "_DQ",
                                        inputs: [b + "_quantized", b + "_scale"], outputs: [b + "_dequantized"],
                                        attributes: [.int("axis", 0)]))
                biasInput = b + "_dequantized"
            }
            weightInputs[n.name] = (name + "_dequantized", biasInput)
        }

        var lstmNodes: [String: ONNXNode] = [:]
        for node in graph.nodes where plan.lstms.contains(node.name) {
            lstmNodes[node.name] = try dynamicQuantizeLSTM(node, initializers: initializers, adding: &added)
        }

        let hardOps = Set(plan.activationOps.filter(\.isHardActivation).map(\.name))
        var rewriteNames = Set<String>()    // the rewrites' nodes and constants, once each
        var nodes = prelude
        for var node in graph.nodes where !removedTransposes.contains(node.name) {
            node = lstmNodes[node.name] ?? node
            node.inputs = node.inputs.map { rename[$0] ?? $0 }
            if let (w, b) = weightInputs[node.name] {
                node.inputs[1] = w
                if let b { node.inputs[2] = b }
            }
            if hardOps.contains(node.name) {
                let (rewritten, constants) = try integerHardActivation(node, activationType: activationType)
                // The constants and the offset's DequantizeLinear are shared by all nodes of one function.
                nodes += rewritten.filter { rewriteNames.insert($0.name).inserted }
                added += constants.filter { rewriteNames.insert($0.name).inserted }
            } else {
                nodes.append(node)
            }
            for o in node.outputs { nodes += after[o] ?? [] }
        }
        // Keep only the initializers something still reads (the float weights that were quantised go).
        let used = Set(nodes.flatMap(\.inputs))
        for (name, _) in initializers where !used.contains(name) { initializers[name] = nil }
        graph.initializers = graph.initializers.filter { initializers[$0.name] != nil } + added
        graph.nodes = nodes
        var out = model
        out.graph = graph
        if !lstmNodes.isEmpty && !out.opsetImports.contains(where: { $0.domain == "com.microsoft" }) {
            out.opsetImports.append((domain: "com.microsoft", version: 1))
        }
        return out
    }

    /// ONNX Runtime's DynamicQuantizeLSTM for an LSTM node: W and R as int8, transposed to
    /// [directions, input, 4 x hidden], with symmetric scales per direction and gate row
    /// ([directions, 4 x hidden], zero points 0); B, sequence lengths and initial states as before.
    static func dynamicQuantizeLSTM(_ node: ONNXNode, initializers: [String: ONNXTensor],
                                    adding added: inout [ONNXTensor]) throws -> ONNXNode {
        var inputs = node.inputs + Array(repeating: "", count: max(0, 8 - node.inputs.count))
        var quantized: [String] = []
        for k in [1, 2] {
            guard let t = initializers[inputs[k]], let values = t.floats, t.dims.count == 3 else {
                throw QuantizationError("'\(node.name)': LSTM weight '\(inputs[k])' is not a 3-D float initializer")
            }
            let (directions, rows, columns) = (t.dims[0], t.dims[1], t.dims[2])
            let (q, scales) = quantizePerChannel(values, dims: [directions * rows, columns], axis: 0)
            var qt = [Int8](repeating: 0, count: q.count)           // per direction: rows x columns -> columns x rows
            for d in 0..<directions {
                for r in 0..<rows { for c in 0..<columns { qt[(d * columns + c) * rows + r] = q[(d * rows + r) * columns + c] } }
            }
            let name = t.name
            added += [ONNXTensor(name: name + "_quantized", int8s: qt, dims: [directions, columns, rows]),
                      ONNXTensor(name: name + "_scale", floats: scales, dims: [directions, rows]),
                      ONNXTensor(name: name + "_zero_point", int8s: Array(repeating: 0, count: scales.count), dims: [directions, rows])]
            quantized.append(name)
        }
        inputs[1] = quantized[0] + "_quantized"
        inputs[2] = quantized[1] + "_quantized"
        inputs += quantized.flatMap { [$0 + "_scale", $0 + "_zero_point"] }
        return ONNXNode(opType: "DynamicQuantizeLSTM", name: node.name, inputs: inputs, outputs: node.outputs,
                        attributes: node.attributes.filter { $0.name != "layout" }, domain: "com.microsoft")
    }

    /// Symmetric int8 per output channel along `axis`: scale max |w| / 127 (1 for an all-zero
    /// channel), at least `minimumScales[c]` when given.
    static func quantizePerChannel(_ values: [Float], dims: [Int], axis: Int, minimumScales: [Float]? = nil) -> ([Int8], [Float]) {
        let channels = dims[axis]
        let inner = dims[(axis + 1)...].reduce(1, *)
        var absMax = [Float](repeating: 0, count: channels)
        for (i, v) in values.enumerated() {
            let c = (i / inner) % channels
            absMax[c] = max(absMax[c], abs(v))
        }
        let scales = absMax.enumerated().map { c, m in max(m > 0 ? m / 127 : 1, minimumScales?[c] ?? 0) }
        let q = values.enumerated().map { i, v in Int8(max(-127, min(127, (v / scales[(i / inner) % channels]).rounded()))) }
        return (q, scales)
    }

    static func transposed(_ v: [Float], rows: Int, columns: Int) -> [Float] {
        var out = [Float](repeating: 0, count: v.count)
        for r in 0..<rows { for c in 0..<columns { out[c * rows + r] = v[r * columns + c] } }
        return out
    }
}
