import Foundation
import NN
import OCRCore
import OCRData
import Torch
import XCTest
@testable import OCRTrain

/// A tiny line classifier: conv, global mean, linear -> B x classes.
final class TinyClassifier: Module {
    let conv: Conv2d, head: Linear
    init(classes: Int) throws {
        conv = try Conv2d("backbone/conv", 3, 8, kernel: 3)
        head = try Linear("head/fc", 8, classes)
        super.init(.root)
    }
    func callAsFunction(_ x: Tensor) throws -> Tensor {
        try head(try conv(x).relu().mean(dims: [2, 3]))     // B x 8 -> B x classes
    }
}

/// The classifier runs on the same engine as the recogniser: resume equivalence, label checks
/// on resume, evaluation figures.
final class ClassificationTrainerTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("cls-trainer-\(UUID().uuidString)")
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// Batches whose label is visible in the pixels (bright for "180"), so the model can learn it.
    func batches(_ n: Int, seed: UInt64) -> [LineBatch] {
        var rng = SplitMix64(seed: seed)
        return (0..<n).map { _ in
            let b = 4, h = 6, w = 10
            let texts = (0..<b).map { _ in Bool.random(using: &rng) ? "180" : "0" }
            var pixels = [Float]()
            for t in texts { pixels += (0..<(3 * h * w)).map { _ in Float.random(in: -1...0, using: &rng) + (t == "180" ? 1 : 0) } }
            return LineBatch(pixels: pixels, batch: b, channels: 3, height: h, width: w, labels: texts.map { _ in [] }, texts: texts,
                             sources: (0..<b).map { "s\($0)" }, groups: Array(repeating: "g", count: b),
                             validWidths: Array(repeating: w, count: b))
        }
    }

    func makeTrainer(steps: Int, labels: [String] = ["0", "180"], resumeFrom: String? = nil, runDir: String) throws
        -> (Trainer<ClassificationTask>, TinyClassifier) {
        Torch.seed(9)
        let model = try TinyClassifier(classes: 2)
        var g = GlobalConfig()
        g.maxSteps = steps
        g.evalBatchStep = [0, 3]
        g.saveModelDir = runDir
        g.checkpoints = resumeFrom
        g.emaDecay = 0.9
        g.printBatchStep = 1
        var o = OptimizerConfig()
        o.lr.warmupSteps = 2
        o.lr.learningRate = 0.01
        o.clipNorm = 5
        let task = ClassificationTask(forward: { try model($0) }, labels: try ClassLabels(labels))
        let trainer = try Trainer(task: task, parts: .init(model: model, global: g, optimizer: o, resolvedConfig: "x: 1\n",
                                                           preprocess: "3x6x10", train: ArrayBatchSource(batches(5, seed: 1)),
                                                           eval: ArrayBatchSource(batches(2, seed: 2))), events: { _ in })
        return (trainer, model)
    }

    /// Train N+M steps in one go, or N, stop, resume, M more: the same weights (the same engine
    /// code path as recognition's resume-equivalence test).
    func testResumeEquivalence() throws {
        let (full, fullModel) = try makeTrainer(steps: 9, runDir: dir.appendingPathComponent("full").path)
        _ = try full.run { _ in }

        let partDir = dir.appendingPathComponent("part").path
        let (first, _) = try makeTrainer(steps: 9, runDir: partDir)
        let stop = StopFlag()
        _ = try first.run(stop: stop) { e in if case .step(let s) = e, s.step == 7 { stop.request("test stop") } }
        let (second, resumedModel) = try makeTrainer(steps: 9, resumeFrom: partDir + "/latest.h5", runDir: partDir)
        XCTAssertEqual(second.progress.step, 7)
        XCTAssertEqual(second.progress.epoch, 1)
        _ = try second.run { _ in }
        for ((p, a), (_, b)) in zip(fullModel.stateDict(), resumedModel.stateDict()) {
            let d = try (a - b).abs().max().item()
            XCTAssertLessThanOrEqual(d, 1e-6, "\(p) differs by \(d) after resume")
        }
        let best = try Checkpoint.read(from: dir.appendingPathComponent("full").path + "/best.h5")
        XCTAssertEqual(best.task.kind, .cls)
        XCTAssertEqual(best.task.strings["labels"], "0\n180")
        XCTAssertEqual(best.charset, "", "a cls checkpoint has no charset")
    }

    func testResumeRefusesOtherLabelsAndRecCheckpoints() throws {
        let runDir = dir.appendingPathComponent("a").path
        let (t, _) = try makeTrainer(steps: 2, runDir: runDir)
        _ = try t.run { _ in }
        XCTAssertThrowsError(try makeTrainer(steps: 2, labels: ["0", "90"], resumeFrom: runDir + "/latest.h5",
                                             runDir: dir.appendingPathComponent("b").path)) { e in
            XCTAssertTrue("\(e)".contains("refusing to resume") && "\(e)".contains("label_list"), "\(e)")
        }
        var rec = try Checkpoint.read(from: runDir + "/latest.h5")
        rec.task = TaskEntries(kind: .rec, strings: ["charset": "a\nb\n"])
        try rec.write(to: runDir + "/rec.h5")
        XCTAssertThrowsError(try makeTrainer(steps: 2, resumeFrom: runDir + "/rec.h5", runDir: dir.appendingPathComponent("c").path)) { e in
            XCTAssertTrue("\(e)".contains("rec checkpoint"), "\(e)")
        }
    }

    func testEvaluationFiguresAndLearning() throws {
        let (trainer, _) = try makeTrainer(steps: 60, runDir: dir.path)
        var evaluations: [TrainEvent.Evaluation] = []
        _ = try trainer.run { e in if case .evaluation(let ev) = e { evaluations.append(ev) } }
        let last = try XCTUnwrap(evaluations.last)
        XCTAssertEqual(last.metrics["samples"], 8)
        XCTAssertEqual(last.metrics.main, "acc")
        XCTAssertEqual(last.metrics["acc"], 1, "bright lines are '180', dark ones '0': learnt in 60 steps")
        XCTAssertNotNil(last.metrics["recall_180"])
    }
}
