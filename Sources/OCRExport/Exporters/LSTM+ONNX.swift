import NN
import Torch

extension LSTM: ONNXExportable {
    /// One ONNX LSTM node per layer (both directions in one node), with the layout changes
    /// between them:
    /// - ONNX's X is T x B x I (layout 0, which every runtime supports); batch-first input is
    ///   transposed in and out.
    /// - ONNX's Y is T x directions x B x H; LibTorch's output is T x B x (directions * H), so
    ///   each layer's Y is transposed to T x B x directions x H and reshaped.
    /// - Weights are repacked per layer as W (dirs x 4H x I), R (dirs x 4H x H), B (dirs x 8H):
    ///   see `onnxWeights(layer:)`.
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        var seq = batchFirst ? try g.transpose(x, [1, 0, 2], scope: path) : x       // B x T x I -> T x B x I
        for layer in 0..<layers {
            let (w, r, b) = try onnxWeights(layer: layer)
            let y = try g.op("LSTM", [seq, g.addInitializer(w), g.addInitializer(r), g.addInitializer(b)], [
                .int("hidden_size", hiddenSize), .string("direction", bidirectional ? "bidirectional" : "forward"),
            ], scope: path)
            // T x dirs x B x H -> T x B x dirs x H -> T x B x dirs*H
            seq = try g.reshape(g.transpose(y, [0, 2, 1, 3], scope: path), [0, 0, -1], scope: path)
        }
        return batchFirst ? try g.transpose(seq, [1, 0, 2], scope: path) : seq      // T x B x 2H -> B x T x 2H
    }

    /// Layer `layer`'s weights in ONNX's packing, named `<path>/l<layer>/{W,R,B}`:
    /// gates reordered from LibTorch's (i, f, g, o) to ONNX's (i, o, f, c), directions stacked
    /// (forward, reverse), and B = [W_b, R_b] (LibTorch's b_ih, b_hh) per direction.
    public func onnxWeights(layer: Int) throws -> (w: ONNXTensor, r: ONNXTensor, b: ONNXTensor) {
        let directions = bidirectional ? 2 : 1
        var ws: [Tensor] = [], rs: [Tensor] = [], bs: [Tensor] = []
        try noGrad {
            for d in 0..<directions {
                // flatWeights: per layer and direction w_ih, w_hh, b_ih, b_hh.
                let base = (layer * directions + d) * 4
                let (wih, whh, bih, bhh) = (flatWeights[base], flatWeights[base + 1], flatWeights[base + 2], flatWeights[base + 3])
                ws.append(try Self.onnxGateOrder(wih, hidden: hiddenSize))
                rs.append(try Self.onnxGateOrder(whh, hidden: hiddenSize))
                bs.append(try Tensor.cat([Self.onnxGateOrder(bih, hidden: hiddenSize), Self.onnxGateOrder(bhh, hidden: hiddenSize)]))
            }
        }
        // Doc strings name the LibTorch parameters each tensor packs.
        func note(_ names: String...) -> String {
            let sources = names.flatMap { n in bidirectional ? ["\(n)_l\(layer)", "\(n)_l\(layer)_reverse"] : ["\(n)_l\(layer)"] }
            return "from \(sources.joined(separator: ", ")); gates reordered (i, f, g, o) -> (i, o, f, c)"
        }
        let prefix = path / "l\(layer)"
        return (try ONNXTensor(name: (prefix / "W").description, tensor: Tensor.stack(ws), docString: note("weight_ih")),
                try ONNXTensor(name: (prefix / "R").description, tensor: Tensor.stack(rs), docString: note("weight_hh")),
                try ONNXTensor(name: (prefix / "B").description, tensor: Tensor.stack(bs), docString: note("bias_ih", "bias_hh")))
    }

    /// 4H x ... rows in LibTorch's gate blocks (i, f, g, o) -> ONNX's (i, o, f, c); g is ONNX's c.
    static func onnxGateOrder(_ t: Tensor, hidden h: Int) throws -> Tensor {
        let block = { (k: Int) in try t.narrow(0, start: k * h, length: h) }
        return try Tensor.cat([block(0), block(3), block(1), block(2)])
    }
}
