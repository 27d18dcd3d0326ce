import XCTest
@testable import Torch

/// Every entry-point family's error path: a thrown TorchError naming the op and the shapes, no crash.
final class ErrorPathTests: XCTestCase {
    func testCreationAndConversion() throws {
        assertThrowsMessage(["from_data", "shape [2, 2]"]) { _ = try Tensor([1, 2, 3] as [Float], shape: [2, 2]) }
        assertThrowsMessage(["zeros"]) { _ = try Tensor.zeros([-1]) }
        assertThrowsMessage(["arange"]) { _ = try Tensor.arange(0, 10, step: 0) }
        assertThrowsMessage(["item", "[3]"]) { _ = try Tensor.zeros([3]).item() }
        assertThrowsMessage(["copy_", "[2]", "[3]"]) { try Tensor.zeros([2]).copy(from: try Tensor.zeros([3])) }
        assertThrowsMessage(["set_requires_grad"]) { _ = try Tensor.zeros([2], dtype: .int64).requiresGrad(true) }
    }

    func testShapeOps() throws {
        let t = try Tensor.zeros([2, 3])
        assertThrowsMessage(["reshape", "[2, 3]"]) { _ = try t.reshape([4, 2]) }
        assertThrowsMessage(["permute", "[2, 3]"]) { _ = try t.permute([0]) }
        assertThrowsMessage(["transpose"]) { _ = try t.transpose(0, 5) }
        assertThrowsMessage(["cat", "[2, 3]", "[2, 4]"]) { _ = try Tensor.cat([t, try Tensor.zeros([2, 4])], dim: 0) }
        assertThrowsMessage(["stack", "[2, 3]", "[3, 3]"]) { _ = try Tensor.stack([t, try Tensor.zeros([3, 3])]) }
        assertThrowsMessage(["narrow", "[2, 3]"]) { _ = try t.narrow(1, start: 2, length: 5) }
        assertThrowsMessage(["slice"]) { _ = try t.slice(4, 0, 1) }
        assertThrowsMessage(["index_select", "index="]) { _ = try t.indexSelect(0, try Tensor([5] as [Int64])) }
        assertThrowsMessage(["gather"]) { _ = try t.gather(0, try Tensor([9] as [Int64], shape: [1, 1])) }
        assertThrowsMessage(["squeeze"]) { _ = try t.squeeze(7) }
        assertThrowsMessage(["unsqueeze"]) { _ = try t.unsqueeze(9) }
        assertThrowsMessage(["expand", "[2, 3]"]) { _ = try t.expand([4, 3]) }
        assertThrowsMessage(["pad"]) { _ = try t.pad([1, 1, 1], mode: .reflect) }
        assertThrowsMessage(["where"]) { _ = try Tensor.where(try Tensor([true, false]), t, t) }
        assertThrowsMessage(["flatten"]) { _ = try t.flatten(1, 0) }
    }

    func testArithmeticAndReductions() throws {
        let a = try Tensor.zeros([2, 3]), b = try Tensor.zeros([4])
        assertThrowsMessage(["add", "[2, 3]", "[4]"]) { _ = try a + b }
        assertThrowsMessage(["mul"]) { _ = try a * b }
        assertThrowsMessage(["neg", ":Bool"]) { _ = try -Tensor.zeros([2], dtype: .bool) }
        assertThrowsMessage(["sum", "[2, 3]"]) { _ = try a.sum(dims: [3]) }
        assertThrowsMessage(["max_dim"]) { _ = try a.max(dim: 4) }
        assertThrowsMessage(["argmax"]) { _ = try a.argmax(dim: 4) }
        assertThrowsMessage(["norm"]) { _ = try a.norm(2, dims: [5]) }
        assertThrowsMessage(["softmax"]) { _ = try a.softmax(dim: 3) }
        assertThrowsMessage(["log_softmax"]) { _ = try a.logSoftmax(dim: 3) }
        assertThrowsMessage(["matmul", "[2, 3]", "[4]"]) { _ = try a.matmul(b) }
        assertThrowsMessage(["bmm"]) { _ = try a.bmm(a) }
        assertThrowsMessage(["clamp"]) { _ = try Tensor.zeros([1]).clamp() }
    }

    func testLayers() throws {
        let x = try Tensor.zeros([1, 3, 8, 8])
        assertThrowsMessage(["conv2d", "input=[1, 3, 8, 8]", "weight=[4, 2, 3, 3]"]) {
            _ = try F.conv2d(x, weight: try Tensor.zeros([4, 2, 3, 3]))
        }
        assertThrowsMessage(["conv_transpose2d", "[1, 3, 8, 8]"]) {
            _ = try F.convTranspose2d(x, weight: try Tensor.zeros([2, 2, 3, 3]))
        }
        assertThrowsMessage(["linear", "[1, 3, 8, 8]", "[4, 5]"]) { _ = try F.linear(x, weight: try Tensor.zeros([4, 5])) }
        assertThrowsMessage(["batch_norm", "[1, 3, 8, 8]"]) {
            _ = try F.batchNorm(x, weight: try Tensor.ones([5]), bias: nil, runningMean: try Tensor.zeros([5]),
                                runningVar: try Tensor.ones([5]), training: false)
        }
        assertThrowsMessage(["layer_norm"]) {
            _ = try F.layerNorm(x, normalizedShape: [5], weight: nil, bias: nil)
        }
        assertThrowsMessage(["dropout"]) { _ = try F.dropout(x, p: 2, training: true) }
        assertThrowsMessage(["max_pool2d", "[1, 3, 8, 8]"]) { _ = try F.maxPool2d(x, kernel: (20, 20)) }
        assertThrowsMessage(["avg_pool2d"]) { _ = try F.avgPool2d(x, kernel: (20, 20)) }
        assertThrowsMessage(["adaptive_avg_pool2d"]) { _ = try F.adaptiveAvgPool2d(try Tensor.zeros([3]), outputSize: (1, 1)) }
        assertThrowsMessage(["adaptive_max_pool2d"]) { _ = try F.adaptiveMaxPool2d(try Tensor.zeros([3]), outputSize: (1, 1)) }
        assertThrowsMessage(["interpolate", "[3, 8]"]) { _ = try F.interpolate(try Tensor.zeros([3, 8]), size: (4, 4)) }
        assertThrowsMessage(["lstm", "expected 4 parameter tensors"]) {
            _ = try F.lstm(try Tensor.zeros([5, 1, 3]), params: [try Tensor.zeros([8, 3])], layers: 1, training: false,
                           bidirectional: false, batchFirst: false)
        }
        assertThrowsMessage(["lstm", "[5, 1, 3]"]) {
            let ps = try [[8, 4], [8, 2], [8], [8]].map { try Tensor.zeros($0) }
            _ = try F.lstm(try Tensor.zeros([5, 1, 3]), params: ps, layers: 1, training: false, bidirectional: false, batchFirst: false)
        }
    }

    func testLosses() throws {
        let lp = try Tensor.zeros([4, 2, 5])
        assertThrowsMessage(["ctc_loss", "[4, 2, 5]"]) {
            _ = try F.ctcLoss(logProbs: lp, targets: try Tensor.zeros([2, 3], dtype: .int64), inputLengths: [4, 9],
                              targetLengths: [3, 3])
        }
        assertThrowsMessage(["ctc_loss", "2 input lengths but 1"]) {
            _ = try F.ctcLoss(logProbs: lp, targets: try Tensor.zeros([2, 3], dtype: .int64), inputLengths: [4, 4], targetLengths: [3])
        }
        let a = try Tensor.zeros([3]), b = try Tensor.zeros([4])
        assertThrowsMessage(["binary_cross_entropy", "[3]", "[4]"]) { _ = try F.binaryCrossEntropy(a, b) }
        assertThrowsMessage(["binary_cross_entropy_with_logits"]) { _ = try F.binaryCrossEntropyWithLogits(a, b) }
        assertThrowsMessage(["l1_loss"]) { _ = try F.l1Loss(try Tensor.zeros([2, 3]), b) }
        assertThrowsMessage(["smooth_l1_loss"]) { _ = try F.smoothL1Loss(try Tensor.zeros([2, 3]), b) }
        assertThrowsMessage(["mse_loss"]) { _ = try F.mseLoss(try Tensor.zeros([2, 3]), b) }
        assertThrowsMessage(["cross_entropy", "[2, 5]"]) {
            _ = try F.crossEntropy(try Tensor.zeros([2, 5]), try Tensor([7, 1] as [Int64]))
        }
    }

    func testAutogradOptimizerAndRNG() throws {
        let x = try Tensor.zeros([3]).requiresGrad(true)
        assertThrowsMessage(["backward", "[3]"]) { try (x * 2).backward() }   // non-scalar without a gradient
        assertThrowsMessage(["backward"]) { try Tensor.zeros([1]).backward() }  // no graph
        assertThrowsMessage(["rng_state_set"]) { try Torch.setRNGState(try Tensor.zeros([3])) }
        let opt = try Optimizer(.adam, parameters: [x], options: OptimizerOptions(lr: 0.1))
        assertThrowsMessage(["optimizer_get_lr", "no group 3"]) { _ = try opt.learningRate(group: 3) }
        assertThrowsMessage(["optimizer_set_lr"]) { try opt.setLearningRate(1, group: -1) }
        assertThrowsMessage(["optimizer_state_get", "out of range"]) { _ = try opt.state(group: 0, index: 4, key: "step") }
        assertThrowsMessage(["optimizer_state_set", "unknown Adam state key 'moment'"]) {
            try opt.setState(group: 0, index: 0, key: "moment", try Tensor.zeros([3]))
        }
        assertThrowsMessage(["optimizer_state_set", "shape [2]"]) {
            try opt.setState(group: 0, index: 0, key: "exp_avg", try Tensor.zeros([2]))
        }
        assertThrowsMessage(["optimizer_add_group"]) { try opt.addGroup([x], options: OptimizerOptions(lr: 1)) }
        assertThrowsMessage(["clip_grad_norm", "max_norm must be > 0"]) { try clipGradNorm([x], maxNorm: 0) }
    }
}
