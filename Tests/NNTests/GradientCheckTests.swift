import XCTest
@testable import NN
@testable import Torch

/// Gradients of every layer against central finite differences. Loss = sum(layer(x) * r) for a
/// fixed random r, so every output element contributes. Float32, so eps and tolerance are loose
/// enough for rounding but far tighter than any wrong gradient.
final class GradientCheckTests: XCTestCase {
    func check(_ name: String, _ layer: any UnaryLayer, input shape: [Int], samples: Int = 12, eps: Float = 1e-2,
               tol: Double = 2e-3, file: StaticString = #filePath, line: UInt = #line) throws {
        Torch.seed(42)
        let x = try Tensor.randn(shape).requiresGrad(true)
        let probe = try Tensor.randn(try layer(x).shape)
        func loss() throws -> Tensor {
            Torch.seed(99)          // same dropout mask on every evaluation
            return try (layer(x) * probe).sum()
        }
        try loss().backward()
        var worst = 0.0
        for (path, tensor) in [("input", x)] + layer.namedParameters() {
            let analytic = try tensor.grad.map { try $0.toArray(Float.self) } ?? []
            XCTAssertEqual(analytic.count, tensor.count, "\(name) \(path): no gradient", file: file, line: line)
            guard analytic.count == tensor.count else { continue }
            var generator = SplitMix(seed: UInt64(path.count))
            for _ in 0..<min(samples, tensor.count) {
                let i = Int(generator.next() % UInt64(tensor.count))
                var delta = [Float](repeating: 0, count: tensor.count)
                delta[i] = eps
                let d = try Tensor(delta, shape: tensor.shape)
                try tensor.update(.add, d)
                let plus = try noGrad { try loss().item() }
                try tensor.update(.sub, d)
                try tensor.update(.sub, d)
                let minus = try noGrad { try loss().item() }
                try tensor.update(.add, d)
                let numeric = (plus - minus) / (2 * Double(eps))
                let err = Swift.abs(numeric - Double(analytic[i])) / Swift.max(1, Swift.abs(numeric))
                worst = Swift.max(worst, err)
                XCTAssertLessThanOrEqual(err, tol, "\(name) \(path)[\(i)]: numeric \(numeric) analytic \(analytic[i])",
                                         file: file, line: line)
            }
        }
        print("gradcheck \(name): worst relative error \(worst) (limit \(tol))")
    }

    func testConvolutions() throws {
        try check("Conv2d", Conv2d("c", 4, 6, kernel: (3, 3), stride: (2, 1), padding: (1, 1), groups: 2), input: [2, 4, 6, 5])
        try check("Conv2d dilated", Conv2d("c", 3, 2, kernel: (3, 3), padding: (2, 2), dilation: (2, 2)), input: [1, 3, 5, 5])
        try check("ConvTranspose2d", ConvTranspose2d("t", 4, 2, kernel: (2, 2), stride: (2, 2)), input: [2, 4, 3, 3])
    }

    func testNormalisationAndLinear() throws {
        try check("BatchNorm2d", BatchNorm2d("bn", 3), input: [4, 3, 2, 2])
        let bnEval = try BatchNorm2d("bn", 3)
        bnEval.eval()
        try check("BatchNorm2d eval", bnEval, input: [2, 3, 2, 2])
        try check("LayerNorm", LayerNorm("ln", 5), input: [3, 4, 5])
        try check("Linear", Linear("fc", 5, 3), input: [4, 5])
    }

    func testLSTM() throws {
        try check("LSTM", LSTM("rnn", inputSize: 3, hiddenSize: 4, layers: 2, bidirectional: true), input: [5, 2, 3])
        try check("LSTM batch-first", LSTM("rnn", inputSize: 3, hiddenSize: 2, batchFirst: true), input: [2, 4, 3])
    }

    func testPoolingActivationsDropoutSequential() throws {
        try check("MaxPool2d", MaxPool2d("p", kernel: (2, 2)), input: [1, 2, 4, 4])
        try check("AvgPool2d", AvgPool2d("p", kernel: (2, 1)), input: [1, 2, 4, 4])
        try check("AdaptiveAvgPool2d", AdaptiveAvgPool2d("p", outputSize: (1, 1)), input: [2, 3, 4, 3])
        for f in Activation.Function.allCases {
            try check("Activation \(f)", Activation("a", f), input: [3, 7], eps: 1e-3)
        }
        try check("Dropout", Dropout("d", p: 0.3), input: [4, 6])
        let seq = Sequential("s", [try Conv2d("s/0", 2, 4, kernel: 3), try BatchNorm2d("s/1", 4), Activation("s/2", .hardSwish)])
        try check("Sequential", seq, input: [2, 2, 4, 4])
    }
}

/// A tiny deterministic generator for picking which entries to check.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
