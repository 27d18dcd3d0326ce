import Torch

/// Multi-layer, optionally bidirectional LSTM with PyTorch's parameter names
/// (`weight_ih_l0`, `weight_hh_l0_reverse`, ...) and gate order (i, f, g, o).
/// Input T x B x I, or B x T x I with `batchFirst`; output ... x (directions * hidden).
public final class LSTM: Module, UnaryLayer {
    public let inputSize: Int, hiddenSize: Int, layers: Int
    public let bidirectional: Bool, batchFirst: Bool, dropout: Double
    /// Per layer and direction: w_ih (4H x I), w_hh (4H x H), b_ih (4H), b_hh (4H).
    public private(set) var flatWeights: [Tensor] = []

    public init(_ path: Path, inputSize: Int, hiddenSize: Int, layers: Int = 1, bidirectional: Bool = false,
                batchFirst: Bool = false, dropout: Double = 0) throws {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.bidirectional = bidirectional
        self.batchFirst = batchFirst
        self.dropout = dropout
        super.init(path)
        let bound = 1 / Double(hiddenSize).squareRoot()
        let directions = bidirectional ? 2 : 1
        for layer in 0..<layers {
            let layerInput = layer == 0 ? inputSize : hiddenSize * directions
            for direction in 0..<directions {
                let suffix = "_l\(layer)" + (direction == 1 ? "_reverse" : "")
                let shapes: [(String, [Int])] = [
                    ("weight_ih", [4 * hiddenSize, layerInput]), ("weight_hh", [4 * hiddenSize, hiddenSize]),
                    ("bias_ih", [4 * hiddenSize]), ("bias_hh", [4 * hiddenSize]),
                ]
                for (name, shape) in shapes {
                    flatWeights.append(try registerParameter(name + suffix, try Init.uniform(shape, bound: bound)))
                }
            }
        }
    }

    /// The output sequence (all time steps, both directions concatenated).
    public func callAsFunction(_ x: Tensor) throws -> Tensor { try run(x).output }

    /// Output plus the final hidden and cell states (layers * directions x B x H).
    public func run(_ x: Tensor, h0: Tensor? = nil, c0: Tensor? = nil) throws -> (output: Tensor, h: Tensor, c: Tensor) {
        try F.lstm(x, params: flatWeights, layers: layers, dropout: dropout, training: isTraining,
                   bidirectional: bidirectional, batchFirst: batchFirst, h0: h0, c0: c0)
    }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("input_size", .int(inputSize)), ("hidden_size", .int(hiddenSize)), ("layers", .int(layers)),
         ("bidirectional", .bool(bidirectional)), ("batch_first", .bool(batchFirst)), ("dropout", .double(dropout))]
    }
}
