import XCTest
import NN
import Torch
@testable import OCRModels

final class TrainingTests: XCTestCase {
    override func setUp() { Torch.seed(7) }

    /// 4 random images with random 5-character targets, CTC on log_softmax of the logits, AdamW,
    /// 30 steps: the loss must fall by more than half (the model can memorise 4 samples).
    func overfit(_ model: any Recognizer, width: Int, lr: Double) throws -> (first: Double, last: Double) {
        model.train()
        let x = try Tensor.randn([4, 3, model.inputHeight, width])
        let targets = try Tensor.randint(1, model.classes, [4, 5])
        let t = model.outputLength(forWidth: width)
        let optimizer = try Optimizer(.adamW, parameters: model.trainableParameters(), options: OptimizerOptions(lr: lr, weightDecay: 0.01))
        var losses: [Double] = []
        for _ in 0..<30 {
            let logProbs = try model(x).logSoftmax(dim: 2).permute([1, 0, 2])     // B x T x C -> T x B x C
            let loss = try F.ctcLoss(logProbs: logProbs, targets: targets, inputLengths: [t, t, t, t], targetLengths: [5, 5, 5, 5])
            try optimizer.zeroGrad()
            try loss.backward()
            try optimizer.step()
            losses.append(try loss.item())                                          // host sync, for the assertion
        }
        let result = (first: losses[0], last: losses.suffix(3).reduce(0, +) / 3)
        print("\(model.architecture.algorithm) overfit: CTC loss \(result.first) -> \(result.last) (needs < 50%)")
        return result
    }

    func testCRNNOverfitsFourSamples() throws {
        let (first, last) = try overfit(try crnn(32, 100), width: 100, lr: 3e-3)
        XCTAssertLessThan(last, 0.5 * first, "CTC loss \(first) -> \(last) (needs < 50%)")
    }

    func testSVTROverfitsFourSamples() throws {
        let model = try svtrTiny(32, 100)
        let (first, last) = try overfit(model, width: 100, lr: 1e-3)
        XCTAssertLessThan(last, 0.5 * first, "CTC loss \(first) -> \(last) (needs < 50%)")
    }

    /// Every parameter gets a non-zero gradient: no layer is built but left out of the forward pass.
    func testEveryParameterReceivesGradient() throws {
        for model in [try crnn(32, 64) as any Recognizer, try svtrTiny(32, 64, outCharNum: 16)] {
            let w = model.fixedInputWidth ?? 64
            let y = try model(Tensor.randn([2, 3, 32, w]))
            try (y * y).mean().backward()
            for (path, p) in model.namedParameters() {
                let g = try p.grad
                XCTAssertNotNil(g, path)
                if let g { XCTAssertGreaterThan(try g.abs().sum().item(), 0, path) }
            }
        }
    }

    /// BatchNorm: training normalises with batch statistics and updates the running ones; eval
    /// uses the running ones, so a sample's output does not depend on its batch.
    func testBatchNormFollowsTrainAndEval() throws {
        let model = try crnn(32, 64)
        let bn = (model.backbone as! MobileNetV3).conv1.bn
        let x = try Tensor.randn([4, 3, 32, 64]) * 3 + 1
        model.train()
        _ = try model(x)
        XCTAssertNotEqual(try bn.runningMean.toArray(Float.self), [Float](repeating: 0, count: 8))
        model.eval()
        let before = try bn.runningMean.toArray(Float.self)
        let alone = try model(x.narrow(0, start: 0, length: 1))
        let inBatch = try model(x).narrow(0, start: 0, length: 1)
        XCTAssertEqual(try bn.runningMean.toArray(Float.self), before)
        let diff = try (alone - inBatch).abs().max().item()
        XCTAssertLessThan(diff, 1e-4, "eval output depends on the batch: max |diff| = \(diff)")
        model.train()
        let trainAlone = try model(x.narrow(0, start: 0, length: 2)).narrow(0, start: 0, length: 1)
        let trainBatch = try model(x).narrow(0, start: 0, length: 1)
        XCTAssertGreaterThan(try (trainAlone - trainBatch).abs().max().item(), 1e-4)
    }

    /// SVTR: dropout and stochastic depth make training passes differ; eval passes are identical.
    func testSVTRDropoutAndDropPathOnlyWhileTraining() throws {
        let model = try svtrTiny(32, 100)
        let x = try Tensor.randn([2, 3, 32, 100])
        model.eval()
        let a = try model(x), b = try model(x)
        XCTAssertEqual(try (a - b).abs().max().item(), 0)
        model.train()
        let c = try model(x), d = try model(x)
        XCTAssertGreaterThan(try (c - d).abs().max().item(), 0)
        let net = model.backbone as! SVTRNet
        XCTAssertEqual(net.blocks1[0].dropPath.p, 0)
        XCTAssertEqual(net.blocks3[2].dropPath.p, 0.1, accuracy: 1e-12)               // linspace(0, 0.1, 12)
        XCTAssertEqual(net.blocks2[0].dropPath.p, 0.1 * 3 / 11, accuracy: 1e-12)
        XCTAssertEqual(net.dropout.p, 0.1)
    }

    func testDropPathKeepsExpectation() throws {
        let dp = DropPath(Path("dp"), p: 0.25)
        let x = try Tensor.ones([20000, 1, 1])
        let y = try dp(x)
        let values = try y.toArray(Float.self)
        XCTAssertTrue(values.allSatisfy { $0 == 0 || abs($0 - 1 / 0.75) < 1e-6 })
        XCTAssertEqual(Double(values.reduce(0, +)) / 20000, 1, accuracy: 0.03)
        dp.eval()
        XCTAssertEqual(try dp(x).toArray(Float.self), try x.toArray(Float.self))
    }

    func testPaddleHardSigmoid() throws {
        let y = try HardSigmoid(Path("g"))(Tensor([-3, -2.5, 0, 1, 2.5, 4] as [Float]))
        XCTAssertEqual(try y.toArray(Float.self), [0, 0, 0.5, 0.7, 1, 1])
    }

    func testBenchmarkRuns() throws {
        let r = try ModelBenchmark.trainingThroughput(try crnn(32, 64), options: .init(batch: 2, width: 64, steps: 1, warmup: 0,
                                                                                      channelsLast: true, optimizerStep: true))
        XCTAssertEqual(r.stepSeconds.count, 1)
        XCTAssertGreaterThan(r.samplesPerSecond, 0)
        XCTAssertEqual(r.inputShape, [3, 32, 64])
    }
}
