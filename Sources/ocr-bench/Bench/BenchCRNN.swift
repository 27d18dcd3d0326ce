import NN
import Torch

/// A CRNN-sized conv stack + BiLSTM + CTC head for the foundation benchmark. Mirrors
/// `BenchCRNN` in Sources/torch-bench-ref/main.cpp layer for layer, so the two timings compare
/// the Swift path against LibTorch driven directly from C++.
final class BenchCRNN: Module {
    let blocks: [Sequential]
    let rnn: LSTM
    let fc: Linear

    init(classes: Int, widths: [Int] = [32, 64, 128, 128, 256], hidden: Int = 96, layers: Int = 2) throws {
        var blocks: [Sequential] = []
        var c = 3
        for (i, w) in widths.enumerated() {
            let p = Path.root / "b\(i)"
            blocks.append(Sequential(p, [try Conv2d(p / "conv", c, w, kernel: 3, bias: false), try BatchNorm2d(p / "bn", w),
                                         Activation(p / "act", .relu)]))
            c = w
        }
        self.blocks = blocks
        rnn = try LSTM("rnn", inputSize: c, hiddenSize: hidden, layers: layers, bidirectional: true)
        fc = try Linear("fc", 2 * hidden, classes)
        super.init(.root)
    }

    /// B x 3 x 32 x W -> T x B x classes log-probabilities, T = W / 4.
    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let pools: [(Int, Int)] = [(2, 2), (2, 2), (2, 1), (2, 1)]
        var h = x
        for (i, block) in blocks.enumerated() {
            h = try block(h)
            if i < pools.count { h = try F.maxPool2d(h, kernel: pools[i]) }
        }
        h = try h.mean(dims: [2]).permute([2, 0, 1])          // B x C x H x T -> (mean over H) -> T x B x C
        return try fc(rnn(h)).logSoftmax(dim: 2)
    }
}
