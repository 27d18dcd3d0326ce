import Foundation
import NN
import OCRCore
import OCRData
import Torch
import XCTest
@testable import OCRTrain

/// A tiny recogniser: conv, mean over height, linear head -> B x T x C with T = W.
final class TinyRecognizer: Module {
    let conv: Conv2d, head: Linear
    init(classes: Int) throws {
        conv = try Conv2d("backbone/conv", 3, 8, kernel: 3)
        head = try Linear("head/fc", 8, classes)
        super.init(.root)
    }
    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let f = try conv(x).relu().mean(dims: [2])          // B x 8 x W
        return try head(f.permute([0, 2, 1]))               // B x W x C
    }
}

final class TrainerTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("trainer-\(UUID().uuidString)")
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func batches(_ n: Int, charset: Charset, seed: UInt64) -> [LineBatch] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in
            let b = 4, h = 4, w = 12
            let pixels = (0..<(b * 3 * h * w)).map { _ in Float.random(in: -1...1, using: &rng) }
            let labels = (0..<b).map { _ in (0..<3).map { _ in Int.random(in: 1..<charset.classCount, using: &rng) } }
            return LineBatch(pixels: pixels, batch: b, channels: 3, height: h, width: w, labels: labels,
                             texts: labels.map { (try? charset.decode($0)) ?? "" }, sources: (0..<b).map { "s\($0)" },
                             groups: Array(repeating: "g", count: b), validWidths: Array(repeating: w, count: b))
        }
    }

    func makeTrainer(steps: Int, charset: Charset, resumeFrom: String? = nil, pretrained: String? = nil,
                     runDir: String, ema: Bool = true, trainMinutes: Double? = nil) throws -> (RecognitionTrainer, TinyRecognizer) {
        Torch.seed(5)
        let model = try TinyRecognizer(classes: charset.classCount)
        var g = GlobalConfig()
        g.maxSteps = steps
        g.evalBatchStep = [0, 1000]
        g.saveModelDir = runDir
        g.checkpoints = resumeFrom
        g.pretrainedModel = pretrained
        g.emaDecay = ema ? 0.9 : nil
        g.printBatchStep = 1
        g.trainMinutes = trainMinutes
        var o = OptimizerConfig()
        o.lr.warmupSteps = 2
        o.clipNorm = 5
        let setup = RecognitionTrainer.Setup(model: model, forward: { try model($0) }, charset: charset, global: g, optimizer: o,
                                             resolvedConfig: "x: 1\n", preprocess: "3x4x12",
                                             train: ArrayBatchSource(batches(3, charset: charset, seed: 1)),
                                             eval: ArrayBatchSource(batches(1, charset: charset, seed: 2)))
        return (try RecognitionTrainer(setup) { _ in }, model)
    }

    /// Train N+M steps in one go, or N, stop (as on Ctrl-C), resume, M more: the same weights.
    func testResumeEquivalence() throws {
        let charset = try Charset(characters: "abcdef")
        let (full, fullModel) = try makeTrainer(steps: 7, charset: charset, runDir: dir.appendingPathComponent("full").path)
        _ = try full.run { _ in }

        let partDir = dir.appendingPathComponent("part").path
        let (first, _) = try makeTrainer(steps: 7, charset: charset, runDir: partDir)
        let stop = StopFlag()
        var events: [String] = []
        _ = try first.run(stop: stop) { e in
            if case .step(let s) = e, s.step == 4 { stop.request("test stop") }
            if case .finished(let why, let step) = e { events.append("\(why)@\(step)") }
        }
        XCTAssertEqual(events, ["test stop@4"])
        let (second, resumedModel) = try makeTrainer(steps: 7, charset: charset, resumeFrom: partDir + "/latest.h5", runDir: partDir)
        XCTAssertEqual(second.progress.step, 4)
        XCTAssertEqual(second.progress.epoch, 1)             // 3 batches per epoch: step 4 is in the second epoch
        _ = try second.run { _ in }
        for ((p, a), (_, b)) in zip(fullModel.stateDict(), resumedModel.stateDict()) {
            let d = try (a - b).abs().max().item()
            XCTAssertLessThanOrEqual(d, 1e-6, "\(p) differs by \(d) after resume")
        }
    }

    /// Global.train_minutes: a run with a huge step count stops when the budget is spent, and
    /// the cosine schedule is laid over the steps the budget allowed (the rate ends near zero).
    func testTimeBudgetStopsTheRunAndAnnealsTheRate() throws {
        let charset = try Charset(characters: "abcdef")
        let (trainer, _) = try makeTrainer(steps: 10_000_000, charset: charset, runDir: dir.path, trainMinutes: 0.02)
        var steps: [TrainEvent.Step] = [], finished = ""
        let start = Date()
        _ = try trainer.run { e in
            if case .step(let s) = e { steps.append(s) }
            if case .finished(let why, _) = e { finished = why }
        }
        let seconds = Date().timeIntervalSince(start)
        XCTAssertTrue(finished.contains("time budget"), finished)
        XCTAssertLessThan(seconds, 10, "a 1.2 s budget took \(seconds) s")
        let last = try XCTUnwrap(steps.last)
        XCTAssertGreaterThan(last.step, 4, "enough steps to see the schedule laid over the budget (a busy machine runs few)")
        XCTAssertEqual(last.totalSteps, last.step)
        XCTAssertLessThan(last.learningRate, 0.05 * OptimizerConfig().lr.learningRate, "rate not annealed: \(last.learningRate)")
        let middle = steps[steps.count / 2]
        XCTAssertGreaterThan(middle.learningRate, 0.2 * OptimizerConfig().lr.learningRate)
    }

    func testResumeRefusesOtherCharsetAndPretrainedKeepsSharedRows() throws {
        let old = try Charset(characters: "abcdef")
        let runDir = dir.appendingPathComponent("a").path
        let (t, oldModel) = try makeTrainer(steps: 3, charset: old, runDir: runDir, ema: false)
        _ = try t.run { _ in }
        let new = try Charset(characters: "fzab")
        XCTAssertThrowsError(try makeTrainer(steps: 3, charset: new, resumeFrom: runDir + "/latest.h5",
                                             runDir: dir.appendingPathComponent("b").path)) { e in
            XCTAssertTrue("\(e)".contains("refusing to resume") && "\(e)".contains("pretrained_model"), "\(e)")
        }
        let (_, newModel) = try makeTrainer(steps: 3, charset: new, pretrained: runDir + "/latest.h5",
                                            runDir: dir.appendingPathComponent("c").path, ema: false)
        let oldW = try oldModel.head.weight.toArray(Float.self), newW = try newModel.head.weight.toArray(Float.self)
        let row = 8
        func r(_ w: [Float], _ i: Int) -> [Float] { Array(w[(i * row)..<((i + 1) * row)]) }
        XCTAssertEqual(r(newW, 0), r(oldW, 0))     // blank
        XCTAssertEqual(r(newW, 1), r(oldW, 6))     // f
        XCTAssertEqual(r(newW, 3), r(oldW, 1))     // a
        XCTAssertEqual(r(newW, 4), r(oldW, 2))     // b
        XCTAssertNotEqual(r(newW, 2), r(oldW, 2))  // z: fresh
        XCTAssertEqual(try newModel.conv.weight.toArray(Float.self), try oldModel.conv.weight.toArray(Float.self))
    }

    func testBadFreezePrefixAndNaNAreReported() throws {
        let charset = try Charset(characters: "ab")
        let model = try TinyRecognizer(classes: charset.classCount)
        var g = GlobalConfig()
        g.freeze = ["backbone/nope"]
        g.saveModelDir = dir.path
        let setup = RecognitionTrainer.Setup(model: model, forward: { try model($0) }, charset: charset, global: g,
                                             optimizer: OptimizerConfig(), resolvedConfig: "", preprocess: "",
                                             train: ArrayBatchSource(batches(1, charset: charset, seed: 1)), eval: nil)
        XCTAssertThrowsError(try RecognitionTrainer(setup) { _ in }) { XCTAssertTrue("\($0)".contains("backbone/nope"), "\($0)") }
    }
}
