import Foundation
import NN
import OCRCore
import OCRData
import OCRRun
import Torch
import XCTest
@testable import OCRTrain

/// Data-parallel training on the engine, in one process: two ranks on two threads, each with its
/// own Gloo group over one TCP store, reading real synthetic lines through the tiny CI config's
/// loader. Two ranks with batch b must end where one process with batch 2b ends.
final class DataParallelTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ddp-\(UUID().uuidString)")
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    static let tinyConfig = ShippedConfigTests.configsDirectory + "/ci/tiny_rec.yml"

    /// configs/ci/tiny_rec.yml with 48 lines, `batch` per rank, batches built on the calling thread.
    static func config(batch: Int) throws -> RecognitionRunConfig {
        try RecognitionRunConfig(RunConfig(path: Self.tinyConfig, overrides: [
            "Train.dataset.count=48", "Train.loader.batch_size_per_card=\(batch)", "Train.loader.num_workers=0",
        ]))
    }

    /// Rank r's batch k is slice r of the single-process batch k with twice the batch size: same
    /// lines, same augmentation, same pixels - in every epoch, also when starting mid-epoch.
    func testRankSlicesMakeUpTheSingleProcessBatch() throws {
        let whole = try Self.config(batch: 8), half = try Self.config(batch: 4)
        let charset = try whole.charset()
        let loader = try whole.makeLoader(whole.train, charset: charset, seed: 7)
        let part = try half.makeLoader(half.train, charset: charset, seed: 7)
        let shards = try (0..<2).map { try ShardedBatchStream(part, rank: $0, worldSize: 2) }
        XCTAssertEqual(shards[0].batchesPerEpoch, 6)
        XCTAssertEqual(loader.batchesPerEpoch, 6)
        for (epoch, skip) in [(0, 0), (1, 4)] {
            let stream = LineBatchStream(loader)
            try stream.start(epoch: epoch, skipping: skip)
            for s in shards { try s.start(epoch: epoch, skipping: skip) }
            for k in skip..<6 {
                let g = try XCTUnwrap(stream.next()), a = try XCTUnwrap(shards[0].next()), b = try XCTUnwrap(shards[1].next())
                XCTAssertEqual([a.batch, b.batch], [4, 4])
                XCTAssertEqual(a.texts + b.texts, g.texts, "epoch \(epoch) batch \(k)")
                XCTAssertEqual(a.labels + b.labels, g.labels)
                XCTAssertEqual([a.width, b.width], [g.width, g.width])
                XCTAssertEqual(a.pixels + b.pixels, g.pixels, "epoch \(epoch) batch \(k): augmented pixels differ")
            }
            XCTAssertNil(try shards[0].next())
            XCTAssertNil(try shards[1].next())
        }
        let (i0, i1) = (shards[0].indices(epoch: 0), shards[1].indices(epoch: 0))
        XCTAssertEqual([i0.count, i1.count], [24, 24])
        XCTAssertTrue(Set(i0).isDisjoint(with: i1))
        XCTAssertNotEqual(shards[0].indices(epoch: 1), i0, "a new order each epoch")
        // Too few lines for one global batch is an error that says why.
        XCTAssertThrowsError(try ShardedBatchStream(part, rank: 0, worldSize: 13)) { XCTAssertTrue("\($0)".contains("fewer than one global batch"), "\($0)") }
    }

    /// The equivalence: 2 ranks x batch 4 vs 1 process x batch 8, 7 steps (warmup, cosine) of
    /// AdamW with clipping after the average, and of SGD with momentum without clipping (which,
    /// unlike Adam, would see a gradient summed instead of averaged). The ranks end bit-identical
    /// to each other; against the single process they differ only by float32 summation order (two
    /// half-batch means averaged vs one mean): limit 1e-5 on parameters, 1e-5 relative on the
    /// logged losses. The model has no BatchNorm: with BatchNorm the same holds only under
    /// `Global.sync_bn` (see `DataParallelSyncBatchNormTests`).
    func testTwoRanksOfBatchBMatchOneProcessOfBatch2B() throws {
        try checkEquivalence(optimizer: "AdamW", lr: 0.005, clip: 1)
        try checkEquivalence(optimizer: "Momentum", lr: 1e-4, clip: nil)
    }

    func checkEquivalence(optimizer: String, lr: Double, clip: Double?) throws {
        let steps = 7
        let o = Optim(name: optimizer, lr: lr, clip: clip)
        let dir = self.dir.appendingPathComponent(optimizer)
        let single = try Self.train(batch: 8, steps: steps, optimizer: o, dataParallel: nil, runDir: dir.appendingPathComponent("single").path)
        let base = dir.path
        let (r0, r1) = try Self.twoRanks { rank, dp in
            try Self.train(batch: 4, steps: steps, optimizer: o, dataParallel: dp, runDir: base + "/rank\(rank)")
        }

        XCTAssertEqual(r0.losses.count, steps)
        XCTAssertEqual(r0.losses, r1.losses, "every rank logs the global batch's loss")
        let lossDiff = zip(r0.losses, single.losses).map { abs($0 - $1) / max(abs($1), 1e-9) }.max() ?? .infinity
        print("\(optimizer): losses: 2 ranks \(r0.losses.map { String(format: "%.5f", $0) }), 1 process \(single.losses.map { String(format: "%.5f", $0) }); "
              + "max relative diff \(lossDiff) (limit 1e-5)")
        XCTAssertLessThanOrEqual(lossDiff, 1e-5, optimizer)
        XCTAssertGreaterThan(abs(single.losses.first! - single.losses.last!), 1e-3, "the model must actually train")

        let (rankDiff, singleDiff, moved) = try (Self.maxDiff(r0.state, r1.state), Self.maxDiff(r0.state, single.state),
                                                 Self.maxDiff(single.state, single.initial))
        print("\(optimizer): parameters after \(steps) steps: max |rank0 - rank1| = \(rankDiff) (limit 0), max |2 ranks - 1 process| = \(singleDiff) "
              + "(limit 1e-5), max |change| from the start = \(moved)")
        XCTAssertEqual(rankDiff, 0, "\(optimizer): the ranks drifted apart")
        XCTAssertLessThanOrEqual(singleDiff, 1e-5, optimizer)
        XCTAssertGreaterThan(moved, 1e-3, optimizer)

        // Rank 0 writes for the group; rank 1 writes nothing.
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("rank0/latest.h5").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("rank1").path))
    }

    /// A stop asked of one rank only (its own Ctrl-C) stops both after the same step; rank 0
    /// writes latest.h5 with the reason.
    func testStopOnOneRankStopsBoth() throws {
        let base = dir.path
        let (r0, r1) = try Self.twoRanks { rank, dp in
            try Self.train(batch: 4, steps: 1000, optimizer: .init(name: "AdamW", lr: 0.001, clip: nil), dataParallel: dp,
                           runDir: base + "/rank\(rank)", stopAt: rank == 1 ? 3 : nil)
        }
        XCTAssertEqual(r0.finished, "rank 1 was asked to stop@3")
        XCTAssertEqual(r1.finished, "test stop on one rank@3")
        XCTAssertEqual(r0.state, r1.state)
        XCTAssertTrue(FileManager.default.fileExists(atPath: base + "/rank0/latest.h5"))
    }

    /// Global.train_minutes: the ranks' clocks differ, rank 0's plan is the one both follow.
    func testTimeBudgetEndsBothRanksAtTheSameStep() throws {
        let base = dir.path
        let (r0, r1) = try Self.twoRanks { rank, dp in
            try Self.train(batch: 4, steps: 1_000_000, optimizer: .init(name: "AdamW", lr: 0.001, clip: nil), dataParallel: dp,
                           runDir: base + "/rank\(rank)", trainMinutes: 0.03)
        }
        print("time budget: rank 0 \(r0.finished), rank 1 \(r1.finished)")
        XCTAssertTrue(r0.finished.hasPrefix("time budget"), r0.finished)
        XCTAssertEqual(r0.losses.count, r1.losses.count)
        XCTAssertEqual(r0.state, r1.state)
        XCTAssertGreaterThan(r0.losses.count, 2)
    }

    /// The largest |a - b| over the tensors of two states with the same keys.
    static func maxDiff(_ a: [String: [Float]], _ b: [String: [Float]]) throws -> Float {
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        return try a.map { path, x in zip(x, try XCTUnwrap(b[path])).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
    }

    /// Runs `body` as ranks 0 and 1 on two threads, each with its own group over one TCP store.
    static func twoRanks<R>(timeoutSeconds: Double = 120, _ body: @escaping @Sendable (Int, DataParallel) throws -> R) throws -> (R, R) {
        let store = try TCPStore(host: "127.0.0.1", port: 0, isServer: true, worldSize: 2, timeoutSeconds: timeoutSeconds)
        let box = RankResults<R>()
        let threads = (0..<2).map { rank in
            Thread {
                do {
                    let s = rank == 0 ? store : try TCPStore(host: "127.0.0.1", port: store.port, isServer: false, worldSize: 2,
                                                             timeoutSeconds: timeoutSeconds)
                    let dp = DataParallel(group: try ProcessGroup(store: s, rank: rank, worldSize: 2, timeoutSeconds: timeoutSeconds))
                    box.set(rank, .success(try body(rank, dp)))
                } catch {
                    box.set(rank, .failure(error))
                }
                box.done.signal()
            }
        }
        threads.forEach { $0.start() }
        for _ in 0..<2 { XCTAssertEqual(box.done.wait(timeout: .now() + 600), .success, "a rank hung") }
        return (try box.get(0), try box.get(1))
    }

    struct Optim: Sendable {
        var name: String, lr: Double, clip: Double?
    }

    struct Run {
        var state: [String: [Float]], initial: [String: [Float]], losses: [Double]
        /// The float buffers (BatchNorm's running_mean and running_var); the trainer's set-up messages.
        var buffers: [String: [Float]], messages: [String]
        /// "reason@step" of the finished event.
        var finished: String
    }

    final class RankResults<R>: @unchecked Sendable {
        let lock = NSLock(), done = DispatchSemaphore(value: 0)
        var results: [Int: Result<R, any Error>] = [:]
        func set(_ rank: Int, _ r: Result<R, any Error>) { lock.withLock { results[rank] = r } }
        func get(_ rank: Int) throws -> R { try XCTUnwrap(lock.withLock { results[rank] }).get() }
    }

    /// Trains the tiny recogniser (with `batchNorm`, `TinyBatchNormRecognizer` under
    /// `Global.sync_bn: syncBN`) on the tiny config's lines; returns its weights and logged losses.
    /// `failForwardAt`: the model's forward throws at that step (a rank lost mid-step).
    static func train(batch: Int, steps: Int, optimizer: Optim, dataParallel: DataParallel?, runDir: String,
                      stopAt: Int? = nil, trainMinutes: Double? = nil, batchNorm: Bool = false, syncBN: Bool = false,
                      failForwardAt: Int? = nil) throws -> Run {
        let run = try config(batch: batch)
        let charset = try run.charset()
        let model: Module, modelForward: (Tensor) throws -> Tensor
        if batchNorm {
            let m = try TinyBatchNormRecognizer(classes: charset.classCount)
            (model, modelForward) = (m, { try m($0) })
        } else {
            let m = try TinyRecognizer(classes: charset.classCount)
            (model, modelForward) = (m, { try m($0) })
        }
        var forwards = 0
        let forward = { (x: Tensor) throws -> Tensor in
            forwards += 1
            if forwards == failForwardAt { throw TrainError("test: forward fails at step \(forwards)") }
            return try modelForward(x)
        }
        // Fixed weights, not LibTorch's global generator: the ranks' threads would race on it.
        for (i, p) in model.namedParameters().enumerated() {
            var rng = SplitMix64(seed: 99, UInt64(i))
            try p.tensor.copy(from: try Tensor((0..<p.tensor.count).map { _ in Float.random(in: -0.3...0.3, using: &rng) },
                                               shape: p.tensor.shape))
        }
        let initial = try Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.path, try $0.tensor.toArray(Float.self)) })
        var g = run.global
        g.maxSteps = steps
        g.saveModelDir = runDir
        g.emaDecay = nil
        g.printBatchStep = 1
        g.evalBatchStep = [1000, 1000]
        g.trainMinutes = trainMinutes
        g.syncBn = syncBN
        var o = run.optimizer
        o.name = optimizer.name
        o.lr.learningRate = optimizer.lr
        o.clipNorm = optimizer.clip
        let loader = try run.makeLoader(run.train, charset: charset, seed: g.seed)
        var parts = Trainer<RecognitionTask>.Parts(model: model, global: g, optimizer: o, resolvedConfig: "x: 1\n", preprocess: "p",
                                                   train: LineBatchStream(loader), eval: nil)
        parts.dataParallel = dataParallel
        var messages: [String] = []
        let trainer = try Trainer(task: RecognitionTask(forward: forward, charset: charset), parts: parts) { e in
            if case .message(let m) = e { messages.append(m) }
        }
        var losses: [Double] = [], finished = ""
        let stop = StopFlag()
        _ = try trainer.run(stop: stop) { e in
            if case .step(let s) = e {
                losses.append(s.loss)
                if s.step == stopAt { stop.request("test stop on one rank") }
            }
            if case .finished(let why, let step) = e { finished = "\(why)@\(step)" }
        }
        let state = try Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.path, try $0.tensor.toArray(Float.self)) })
        let buffers = try Dictionary(uniqueKeysWithValues: model.namedBuffers().filter { $0.tensor.dtype == .float32 }
            .map { ($0.path, try $0.tensor.toArray(Float.self)) })
        return Run(state: state, initial: initial, losses: losses, buffers: buffers, messages: messages, finished: finished)
    }
}
