import Foundation
import NN
import OCRData
import OCRRun
import Torch
import XCTest
@testable import OCRTrain

/// `TinyRecognizer` with a BatchNorm after the convolution (which has no bias: BatchNorm cancels
/// it, and Adam would turn its rounding-noise gradient into full-size steps).
final class TinyBatchNormRecognizer: Module {
    let conv: Conv2d, bn: BatchNorm2d, head: Linear
    init(classes: Int) throws {
        conv = try Conv2d("backbone/conv", 3, 8, kernel: 3, bias: false)
        bn = try BatchNorm2d("backbone/bn", 8)
        head = try Linear("head/fc", 8, classes)
        super.init(.root)
    }
    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let f = try bn(conv(x)).relu().mean(dims: [2])      // B x 8 x W
        return try head(f.permute([0, 2, 1]))               // B x W x C
    }
}

/// Synchronised BatchNorm (`Global.sync_bn`) on real Gloo groups: two ranks on two threads of this
/// process, as in `DataParallelTests` (whose helpers these tests use).
final class DataParallelSyncBatchNormTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("syncbn-\(UUID().uuidString)")
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// The differentiable all-reduce: forward is the sum over the ranks; backward sums the
    /// gradients the ranks' losses send to the result (rank r's loss weighs the sum by w_r, so
    /// both ranks' inputs get w_0 + w_1).
    func testSumOverRanksSumsValuesForwardAndGradientsBackward() throws {
        let (r0, r1) = try DataParallelTests.twoRanks { rank, dp in
            let scale = Float(rank + 1)
            let x = try Tensor([1, 2, 3].map { $0 * scale }).requiresGrad(true)
            let y = try dp.group.sumOverRanks(x)
            try (y * Tensor([1, 10, 100].map { $0 * scale })).sum().backward()
            return [try y.toArray(Float.self), try x.toArray(Float.self), try XCTUnwrap(x.grad).toArray(Float.self)]
        }
        XCTAssertEqual(r0[0], [3, 6, 9])
        XCTAssertEqual(r1[0], [3, 6, 9])
        XCTAssertEqual([r0[1], r1[1]], [[1, 2, 3], [2, 4, 6]], "the input is left as it is")
        XCTAssertEqual(r0[2], [3, 30, 300])
        XCTAssertEqual(r1[2], [3, 30, 300])
    }

    /// A peer that leaves between forward and backward: the backward's collective fails at once
    /// (or at the group's timeout) with an error naming it and this rank - no hang.
    func testLostPeerFailsTheBackwardWithAClearError() throws {
        let (r0, _) = try DataParallelTests.twoRanks(timeoutSeconds: 10) { rank, dp in
            let x = try Tensor([Float(1), 2]).requiresGrad(true)
            let y = try dp.group.sumOverRanks(x)
            guard rank == 0 else { return "" }               // rank 1 frees its group and graph here
            do {
                try y.sum().backward()
                return "no error"
            } catch { return "\(error)" }
        }
        print("lost peer: \(r0)")
        XCTAssertTrue(r0.contains("all_reduce_sum_autograd backward") && r0.contains("rank 0 of 2"), r0)
    }

    /// A bad input fails on every rank before any collective, naming the op, the shape and the rank.
    func testSyncBatchNormRejectsAnInputWithoutChannels() throws {
        let (r0, r1) = try DataParallelTests.twoRanks { _, dp in
            do {
                _ = try F.syncBatchNorm(try Tensor([Float(1), 2, 3]), group: dp.group, weight: nil, bias: nil, runningMean: nil,
                                        runningVar: nil)
                return "no error"
            } catch { return "\(error)" }
        }
        print("bad input: \(r0)")
        for (rank, e) in [r0, r1].enumerated() {
            XCTAssertTrue(e.contains("sync_batch_norm (input [3]") && e.contains("rank \(rank) of 2") && e.contains("N x C"), e)
        }
    }

    /// The op against LibTorch's batch norm of the whole batch, split unevenly (2 and 4 samples)
    /// with channel means near 4 (where float32 sums of squares would cancel): outputs, input
    /// gradients, the ranks' parameter gradients summed (rank losses add up to the whole loss
    /// here) and running statistics agree within 1e-5.
    func testSyncBatchNormMatchesBatchNormOfTheWholeBatch() throws {
        try checkAgainstWholeBatch(bf16: false)
    }

    /// The same under bfloat16 autocast (`Global.bf16`), the input in bfloat16 as a convolution
    /// under autocast gives it: the same output dtype as LibTorch's batch norm there, and values
    /// within 1e-5 again (both compute the statistics in float32 or better from the same input).
    func testSyncBatchNormUnderBF16AutocastMatchesBatchNorm() throws {
        try checkAgainstWholeBatch(bf16: true)
    }

    func checkAgainstWholeBatch(bf16: Bool) throws {
        let shape = [6, 3, 2, 5], perSample = 3 * 2 * 5
        var rng = SplitMix64(seed: 5)
        let xs = (0..<(6 * perSample)).map { _ in Float.random(in: -1...1, using: &rng) + 4 }
        let upstream = (0..<(6 * perSample)).map { _ in Float.random(in: -1...1, using: &rng) }
        let (w, b): ([Float], [Float]) = ([0.5, -1.2, 2], [0.1, 0.2, -0.3])

        /// Forward and backward of samples `range`: [y, x.grad, weight.grad, bias.grad, running mean, running var]
        /// and y's dtype.
        @Sendable func run(_ range: Range<Int>, group: ProcessGroup?) throws -> (values: [[Float]], dtype: DType) {
            let values = { (a: [Float]) in Array(a[(range.lowerBound * perSample)..<(range.upperBound * perSample)]) }
            let n = range.count
            let x = try Tensor(values(xs), shape: [n] + shape.dropFirst()).requiresGrad(true)
            let (weight, bias) = (try Tensor(w).requiresGrad(true), try Tensor(b).requiresGrad(true))
            let (mean, variance) = (try Tensor.zeros([3]), try Tensor.ones([3]))
            let input = bf16 ? try x.to(.bfloat16) : x
            let y = try Torch.withBF16Autocast(bf16) {
                try group.map {
                    try F.syncBatchNorm(input, group: $0, weight: weight, bias: bias, runningMean: mean, runningVar: variance)
                } ?? F.batchNorm(input, weight: weight, bias: bias, runningMean: mean, runningVar: variance, training: true)
            }
            try (y.to(.float32) * Tensor(values(upstream), shape: [n] + shape.dropFirst())).sum().backward()
            return (try [y.to(.float32), try XCTUnwrap(x.grad), try XCTUnwrap(weight.grad), try XCTUnwrap(bias.grad), mean, variance]
                .map { try $0.toArray(Float.self) }, y.dtype)
        }
        let (whole, dtype) = try run(0..<6, group: nil)
        let ((r0, dtype0), (r1, _)) = try DataParallelTests.twoRanks { rank, dp in try run(rank == 0 ? 0..<2 : 2..<6, group: dp.group) }
        print("sync batch norm\(bf16 ? " (bf16 autocast)" : ""): output dtype \(dtype0), LibTorch's batch norm \(dtype)")
        XCTAssertEqual(dtype0, dtype)
        let split = [r0[0] + r1[0], r0[1] + r1[1], zip(r0[2], r1[2]).map(+), zip(r0[3], r1[3]).map(+), r0[4], r0[5]]
        let names = ["output", "input gradient", "weight gradient", "bias gradient", "running mean", "running var"]
        for (i, name) in names.enumerated() {
            let diff = zip(split[i], whole[i]).map { abs($0 - $1) }.max() ?? .infinity
            print("sync batch norm\(bf16 ? " (bf16 autocast)" : ""): \(name): max |2 ranks - whole batch| = \(diff) (limit 1e-5)")
            XCTAssertEqual(split[i].count, whole[i].count)
            XCTAssertLessThanOrEqual(diff, 1e-5, name)
        }
        XCTAssertEqual(r0[4], r1[4], "running mean: the same on both ranks")
        XCTAssertEqual(r0[5], r1[5], "running var: the same on both ranks")
        XCTAssertGreaterThan(whole[4].max() ?? 0, 0.3, "the running mean moved towards 4")
    }

    /// A rank lost mid-step, while its peer waits in the model's forward (the synchronised
    /// BatchNorm's all-reduce): the survivor fails at once with an error naming the op and the
    /// lost rank, and rank 0 still writes latest.h5 first, as for the engine's own collectives.
    func testPeerLostInsideTheModelStillSavesLatest() throws {
        let base = dir.path
        let (r0, r1) = try DataParallelTests.twoRanks(timeoutSeconds: 20) { rank, dp in
            Result {
                try DataParallelTests.train(batch: 4, steps: 50, optimizer: .init(name: "AdamW", lr: 0.001, clip: nil), dataParallel: dp,
                                            runDir: base + "/rank\(rank)", batchNorm: true, syncBN: true, failForwardAt: rank == 1 ? 3 : nil)
            }
        }
        XCTAssertThrowsError(try r1.get()) { XCTAssertTrue("\($0)".contains("test: forward fails at step 3"), "\($0)") }
        XCTAssertThrowsError(try r0.get()) { e in
            print("rank 0: \(e)")
            XCTAssertTrue(e is DataParallelError, "\(type(of: e)): \(e)")
            XCTAssertTrue("\(e)".contains("sync_batch_norm") && "\(e)".contains("rank 1 exited or stopped answering"), "\(e)")
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: base + "/rank0/latest.h5"), "rank 0 saves before the error goes on")
    }

    /// `Global.sync_bn` decodes strictly: off by default, true/false, anything else names the key.
    func testGlobalSyncBNIsAConfigKey() throws {
        let on = try RecognitionRunConfig(RunConfig(path: DataParallelTests.tinyConfig, overrides: ["Global.sync_bn=true"]))
        XCTAssertTrue(on.global.syncBn)
        XCTAssertFalse(try DataParallelTests.config(batch: 4).global.syncBn, "off by default")
        XCTAssertThrowsError(try RecognitionRunConfig(RunConfig(path: DataParallelTests.tinyConfig, overrides: ["Global.sync_bn=sometimes"]))) {
            print("bad value: \($0)")
            XCTAssertTrue("\($0)".contains("sync_bn"), "\($0)")
        }
    }

    /// The engine with `TinyBatchNormRecognizer` in training mode: 2 ranks x batch 4 with
    /// `Global.sync_bn: true` end where 1 process x batch 8 ends - parameters and running
    /// statistics within 1e-5 after 7 steps (float32 summation order, as the equivalence without
    /// BatchNorm in `DataParallelTests`; measured 1e-7 to 2e-6), the ranks bit-identical to each
    /// other. With `sync_bn: false` each rank normalises its own 4 lines: parameters, running
    /// statistics and losses end more than 1e-4 away (measured 5e-4 to 5e-2) - the switch matters.
    func testSyncBatchNormTwoRanksOfBatchBMatchOneProcessOfBatch2B() throws {
        let steps = 7, limit: Float = 1e-5
        for optimizer in [DataParallelTests.Optim(name: "Momentum", lr: 1e-4, clip: nil),
                          DataParallelTests.Optim(name: "AdamW", lr: 0.005, clip: 1)] {
            let base = dir.appendingPathComponent(optimizer.name).path
            let single = try DataParallelTests.train(batch: 8, steps: steps, optimizer: optimizer, dataParallel: nil,
                                                     runDir: base + "/single", batchNorm: true, syncBN: true)
            XCTAssertFalse(single.messages.contains { $0.contains("BatchNorm statistics") }, "single process: no effect")
            for sync in [true, false] {
                let (r0, r1) = try DataParallelTests.twoRanks { rank, dp in
                    try DataParallelTests.train(batch: 4, steps: steps, optimizer: optimizer, dataParallel: dp,
                                                runDir: base + "/\(sync)\(rank)", batchNorm: true, syncBN: sync)
                }
                let label = "\(optimizer.name), sync_bn \(sync)"
                let line = "data parallel: BatchNorm statistics " + (sync ? "synchronised over 2 ranks" : "per rank")
                XCTAssertTrue(r0.messages.contains { $0.hasPrefix(line) }, "\(label): \(r0.messages)")
                let (params, stats) = try (DataParallelTests.maxDiff(r0.state, single.state),
                                           DataParallelTests.maxDiff(r0.buffers, single.buffers))
                let lossDiff = zip(r0.losses, single.losses).map { abs($0 - $1) / max(abs($1), 1e-9) }.max() ?? .infinity
                print("\(label): after \(steps) steps max |2 ranks - 1 process|: parameters \(params), running statistics "
                      + "\(stats), losses (relative) \(lossDiff) (limit \(limit) when synchronised)")
                XCTAssertEqual(r0.buffers.count, 2, "running_mean and running_var")
                XCTAssertEqual(r0.losses, r1.losses, label)
                if sync {
                    XCTAssertEqual(try DataParallelTests.maxDiff(r0.state, r1.state), 0, "\(label): the ranks drifted apart")
                    XCTAssertEqual(r0.buffers, r1.buffers, "\(label): running statistics differ between the ranks")
                    XCTAssertLessThanOrEqual(params, limit, label)
                    XCTAssertLessThanOrEqual(stats, limit, label)
                    XCTAssertLessThanOrEqual(lossDiff, Double(limit), label)
                } else {
                    XCTAssertGreaterThan(params, 10 * limit, label)
                    XCTAssertGreaterThan(stats, 10 * limit, label)
                    XCTAssertGreaterThan(lossDiff, 10 * Double(limit), label)
                }
            }
            XCTAssertGreaterThan(try DataParallelTests.maxDiff(single.state, single.initial), 1e-3, "the model must train")
        }
    }
}
