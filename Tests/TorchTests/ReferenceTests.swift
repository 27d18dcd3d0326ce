import XCTest
@testable import Torch

/// Each op family against NumPy reference implementations (Fixtures/make_reference.py).
final class ReferenceTests: XCTestCase {
    func testConv2dStrideDilationGroups() throws {
        let r = Reference("conv2d")
        let out = try F.conv2d(r.tensor("x"), weight: r.tensor("w"), bias: r.tensor("b"), stride: (2, 1),
                               padding: (1, 0), dilation: (1, 2), groups: 2)
        XCTAssertEqual(out.shape, (r.values["out"] as! [String: Any])["shape"] as! [Int])
        try assertClose(out, r.array("out"), "conv2d")
    }

    func testConvTranspose2d() throws {
        let r = Reference("conv_transpose2d")
        let out = try F.convTranspose2d(r.tensor("x"), weight: r.tensor("w"), bias: r.tensor("b"), stride: (2, 2),
                                        padding: (1, 1), outputPadding: (1, 0), groups: 2)
        XCTAssertEqual(out.shape, (r.values["out"] as! [String: Any])["shape"] as! [Int])
        try assertClose(out, r.array("out"), "conv_transpose2d")
    }

    func testBatchNormTrainingUpdatesRunningStatsAndEvalUsesThem() throws {
        let r = Reference("batch_norm")
        let rm = try r.tensor("running_mean"), rv = try r.tensor("running_var")
        let train = try F.batchNorm(r.tensor("x"), weight: r.tensor("weight"), bias: r.tensor("bias"),
                                    runningMean: rm, runningVar: rv, training: true)
        try assertClose(train, r.array("out_train"), "batch_norm train")
        try assertClose(rm, r.array("new_running_mean"), "running_mean")
        try assertClose(rv, r.array("new_running_var"), "running_var (unbiased)")
        let eval = try F.batchNorm(r.tensor("x"), weight: r.tensor("weight"), bias: r.tensor("bias"),
                                   runningMean: r.tensor("running_mean"), runningVar: r.tensor("running_var"), training: false)
        try assertClose(eval, r.array("out_eval"), "batch_norm eval")
    }

    func testLayerNormAndLinear() throws {
        let ln = Reference("layer_norm")
        try assertClose(F.layerNorm(ln.tensor("x"), normalizedShape: [8], weight: ln.tensor("weight"), bias: ln.tensor("bias")),
                        ln.array("out"), "layer_norm")
        let l = Reference("linear")
        try assertClose(F.linear(l.tensor("x"), weight: l.tensor("w"), bias: l.tensor("b")), l.array("out"), "linear")
        try assertClose(l.tensor("x").matmul(l.tensor("w").transpose(0, 1)) + l.tensor("b"), l.array("out"), "matmul")
    }

    func testBidirectionalTwoLayerLSTM() throws {
        let r = Reference("lstm")
        let params = try (r.values["params"] as! [Any]).map { try Reference.tensor($0) }
        let (out, h, c) = try F.lstm(r.tensor("x"), params: params, layers: 2, training: false, bidirectional: true,
                                     batchFirst: false)
        XCTAssertEqual(out.shape, [5, 2, 8])
        try assertClose(out, r.array("out"), "lstm output")
        try assertClose(h, r.array("h_n"), "lstm h_n")
        try assertClose(c, r.array("c_n"), "lstm c_n")
    }

    func testPoolingAndInterpolation() throws {
        let p = Reference("pooling")
        let x = try p.tensor("x")
        try assertClose(F.maxPool2d(x, kernel: (3, 3), stride: (2, 2), padding: (1, 0)), p.array("max_pool_k3_s2_p10"), "max_pool2d")
        try assertClose(F.avgPool2d(x, kernel: (2, 2)), p.array("avg_pool_k2"), "avg_pool2d")
        try assertClose(F.adaptiveAvgPool2d(x, outputSize: (2, 3)), p.array("adaptive_avg_2x3"), "adaptive_avg_pool2d")
        let i = Reference("interpolate")
        try assertClose(F.interpolate(i.tensor("x"), size: (5, 6), mode: .bilinear), i.array("bilinear_5x6"), "bilinear")
        try assertClose(F.interpolate(i.tensor("x"), size: (5, 6), mode: .nearest), i.array("nearest_5x6"), "nearest")
    }

    func testActivationsSoftmaxReductions() throws {
        let r = Reference("activations")
        let x = try r.tensor("x")
        let unary: [(UnaryOp, String)] = [(.relu, "relu"), (.relu6, "relu6"), (.hardSwish, "hardswish"),
                                          (.hardSigmoid, "hardsigmoid"), (.sigmoid, "sigmoid"), (.tanh, "tanh"), (.gelu, "gelu")]
        for (op, key) in unary { try assertClose(x.apply(op), r.array(key), key) }
        try assertClose(x.softmax(dim: 1), r.array("softmax1"), "softmax")
        try assertClose(x.logSoftmax(dim: 1), r.array("log_softmax1"), "log_softmax")
        try assertClose(x.logSumExp(dims: [1]), r.array("logsumexp1"), "logsumexp")
        try assertClose(x.sum(dims: [0]), r.array("sum0"), "sum")
        try assertClose(x.mean(), r.array("mean_all"), "mean")
        try assertClose(x.max(dims: [1]), r.array("max1"), "max")
        try assertClose(x.min(dims: [0]), r.array("min0"), "min")
        try assertClose(x.argmax(dim: 1), r.array("argmax1"), "argmax")
        try assertClose(x.norm(), r.array("norm2_all"), "norm2")
        try assertClose(x.norm(1, dims: [1]), r.array("norm1_1"), "norm1")
    }

    func testCTCLossAllReductions() throws {
        let r = Reference("ctc")
        let lp = try r.tensor("log_probs"), targets = try r.tensor("targets").to(.int64)
        let il = r.ints("input_lengths"), tl = r.ints("target_lengths")
        try assertClose(F.ctcLoss(logProbs: lp, targets: targets, inputLengths: il, targetLengths: tl, reduction: .none),
                        r.array("loss_none"), "ctc none")
        try assertClose(F.ctcLoss(logProbs: lp, targets: targets, inputLengths: il, targetLengths: tl, reduction: .mean),
                        r.array("loss_mean"), "ctc mean")
        try assertClose(F.ctcLoss(logProbs: lp, targets: targets, inputLengths: il, targetLengths: tl, reduction: .sum),
                        r.array("loss_sum"), "ctc sum")
    }

    func testOtherLosses() throws {
        let b = Reference("bce")
        try assertClose(F.binaryCrossEntropy(b.tensor("p"), b.tensor("y")), b.array("bce"), "bce")
        try assertClose(F.binaryCrossEntropyWithLogits(b.tensor("z"), b.tensor("y")), b.array("bce_logits"), "bce_logits")
        let g = Reference("regression")
        try assertClose(F.l1Loss(g.tensor("a"), g.tensor("b")), g.array("l1"), "l1")
        try assertClose(F.smoothL1Loss(g.tensor("a"), g.tensor("b"), beta: 0.5), g.array("smooth_l1_beta05"), "smooth_l1")
        try assertClose(F.mseLoss(g.tensor("a"), g.tensor("b")), g.array("mse"), "mse")
        let c = Reference("cross_entropy")
        try assertClose(F.crossEntropy(c.tensor("logits"), c.tensor("target").to(.int64)), c.array("loss"), "cross_entropy")
    }
}
