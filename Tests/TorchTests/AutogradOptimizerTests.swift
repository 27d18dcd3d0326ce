import XCTest
@testable import Torch

final class AutogradOptimizerTests: XCTestCase {
    func testBackwardGradAndNoGrad() throws {
        let x = try Tensor([1, -2, 3] as [Float]).requiresGrad(true)
        XCTAssertNil(try x.grad)
        try (x * x).sum().backward()                   // d/dx sum(x^2) = 2x
        XCTAssertEqual(try x.grad!.toArray(Float.self), [2, -4, 6])
        try (x * 3).sum().backward()                   // gradients accumulate
        XCTAssertEqual(try x.grad!.toArray(Float.self), [5, -1, 9])
        try x.zeroGrad()
        XCTAssertNil(try x.grad)
        let y = try noGrad { try x * 2 }
        XCTAssertFalse(y.requiresGrad)
        XCTAssertTrue(isGradEnabled)
        XCTAssertFalse(try (x * 2).detach().requiresGrad)
        // explicit upstream gradient for a non-scalar output
        try (x * 2).backward(try Tensor([1, 1, 0] as [Float]))
        XCTAssertEqual(try x.grad!.toArray(Float.self), [2, 2, 0])
    }

    func testClipGradNorm() throws {
        let a = try Tensor([3, 0] as [Float]).requiresGrad(true)
        let b = try Tensor([0, 4] as [Float]).requiresGrad(true)
        try ((a * a / 2).sum() + (b * b / 2).sum()).backward()   // grads (3,0) and (0,4): norm 5
        let norm = try clipGradNorm([a, b], maxNorm: 1)
        XCTAssertEqual(norm, 5, accuracy: 1e-5)
        XCTAssertEqual(try a.grad!.toArray(Float.self)[0], 0.6, accuracy: 1e-4)
        XCTAssertEqual(try b.grad!.toArray(Float.self)[1], 0.8, accuracy: 1e-4)
    }

    func testSGDWithMomentumAndLearningRate() throws {
        let p = try Tensor([1, 2] as [Float]).requiresGrad(true)
        var o = OptimizerOptions(lr: 0.1)
        o.momentum = 0.9
        let opt = try Optimizer(.sgd, parameters: [p], options: o)
        for _ in 0..<2 {
            try opt.zeroGrad()
            try (p * p).sum().backward()               // g = 2p
            try opt.step()
        }
        // step 1: buf = 2p0 = (2,4); p1 = p0 - 0.1 buf = (0.8, 1.6)
        // step 2: g = (1.6, 3.2); buf = 0.9 (2,4) + g = (3.4, 6.8); p2 = p1 - 0.1 buf = (0.46, 0.92)
        XCTAssertEqual(try p.toArray(Float.self)[0], 0.46, accuracy: 1e-5)
        XCTAssertEqual(try p.toArray(Float.self)[1], 0.92, accuracy: 1e-5)
        try opt.setLearningRate(0.5, group: 0)
        XCTAssertEqual(try opt.learningRate(), 0.5)
        XCTAssertEqual(try opt.state(group: 0, index: 0, key: "momentum_buffer")!.toArray(Float.self), [3.4, 6.8])
    }

    func testAdamWFirstStepAndParamGroups() throws {
        let p = try Tensor([1, -1] as [Float]).requiresGrad(true)
        let q = try Tensor([2] as [Float]).requiresGrad(true)
        var o = OptimizerOptions(lr: 0.1, weightDecay: 0.5)
        o.eps = 1e-8
        let opt = try Optimizer(.adamW, parameters: [p], options: o)
        try opt.addGroup([q], options: OptimizerOptions(lr: 0.01))
        try ((p * 4).sum() + (q * 2).sum()).backward()
        try opt.step()
        // AdamW step 1: p *= (1 - lr wd), then p -= lr * m_hat / (sqrt(v_hat) + eps) = lr * sign(g)
        // p: 1 * 0.95 - 0.1 = 0.85; -1 * 0.95 - 0.1 = -1.05. q: 2 - 0.01 = 1.99 (weight decay 0)
        XCTAssertEqual(try p.toArray(Float.self)[0], 0.85, accuracy: 1e-5)
        XCTAssertEqual(try p.toArray(Float.self)[1], -1.05, accuracy: 1e-5)
        XCTAssertEqual(try q.toArray(Float.self)[0], 1.99, accuracy: 1e-5)
        XCTAssertEqual(try opt.state(group: 0, index: 0, key: "step")!.item(), 1)
        XCTAssertEqual(try opt.learningRate(group: 1), 0.01)
        try opt.setLearningRate(1, multipliers: [1, 0.1])
        XCTAssertEqual(try opt.learningRate(group: 1), 0.1, accuracy: 1e-12)
    }

    /// Saving an optimizer's state into a fresh one and stepping both gives identical weights:
    /// what checkpoint resume relies on.
    func testOptimizerStateTransferGivesIdenticalSteps() throws {
        for kind in Optimizer.Kind.allCases {
            Torch.seed(3)
            let w1 = try Tensor.randn([4, 3]).requiresGrad(true)
            let w2 = try w1.detach().clone().requiresGrad(true)
            let x = try Tensor.randn([5, 4])
            var o = OptimizerOptions(lr: 0.05, weightDecay: 0.01)
            o.momentum = 0.9
            let a = try Optimizer(kind, parameters: [w1], options: o)
            func step(_ opt: Optimizer, _ w: Tensor) throws {
                try opt.zeroGrad()
                try x.matmul(w).apply(.square).mean().backward()
                try opt.step()
            }
            for _ in 0..<3 { try step(a, w1) }
            try w2.copy(from: w1)
            let b = try Optimizer(kind, parameters: [w2], options: o)
            for key in kind.stateKeys {
                if let s = try a.state(group: 0, index: 0, key: key) { try b.setState(group: 0, index: 0, key: key, s) }
            }
            for _ in 0..<2 {
                try step(a, w1)
                try step(b, w2)
            }
            try assertClose(w2, try w1.toArray(Double.self), tol: 1e-7, "\(kind) resumed")
        }
    }
}

final class AutocastTests: XCTestCase {
    func testBF16AutocastRunsConvInBFloat16AndBackwardWorks() throws {
        let x = try Tensor.randn([2, 3, 8, 8])
        let w = try Tensor.randn([4, 3, 3, 3]).requiresGrad(true)
        let y = try Torch.withBF16Autocast { try F.conv2d(x, weight: w, padding: (1, 1)) }
        XCTAssertEqual(y.dtype, .bfloat16)
        let ref = try F.conv2d(x, weight: w, padding: (1, 1))
        XCTAssertEqual(ref.dtype, .float32)
        let rel = try ((y.to(.float32) - ref).abs().max().item()) / (try ref.abs().max().item())
        XCTAssertLessThan(rel, 0.02)                       // bfloat16 keeps ~3 significant digits
        try y.to(.float32).sum().backward()
        XCTAssertEqual(try w.grad!.dtype, .float32)
    }
}
