import Foundation
import NN
import Torch
import XCTest
@testable import OCRTrain

final class CheckpointTests: XCTestCase {
    func testRoundTripOfEveryPart() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ckpt-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("run/latest.h5").path
        var c = Checkpoint()
        c.model = ["head/fc/weight": try Tensor.randn([3, 2]), "bn/num_batches_tracked": try Tensor(scalar: 5, dtype: .int64)]
        c.ema = ["head/fc/weight": try Tensor.randn([3, 2])]
        c.emaDecay = 0.999
        c.emaUpdates = 12
        c.optimizerKind = "AdamW"
        c.optimizer = [0: ["head/fc/weight": ["exp_avg": try Tensor.randn([3, 2]), "step": try Tensor(scalar: 7, dtype: .int64)]]]
        c.rng = try Torch.rngState()
        c.progress.step = 70
        c.progress.epoch = 2
        c.progress.batchInEpoch = 5
        c.progress.bestMetric = 0.93
        c.config = "Global:\n  seed: 1\n"
        c.charset = "a\nb\nü\n"
        c.useSpaceChar = true
        c.preprocess = "3x32x320"
        try c.write(to: path)
        let r = try Checkpoint.read(from: path)
        XCTAssertEqual(r.progress, c.progress)
        XCTAssertEqual(r.config, c.config)
        XCTAssertEqual(r.charset, c.charset)
        XCTAssertTrue(r.useSpaceChar)
        XCTAssertEqual(r.preprocess, "3x32x320")
        XCTAssertEqual(r.emaUpdates, 12)
        XCTAssertEqual(r.optimizerKind, "AdamW")
        XCTAssertEqual(try r.model["head/fc/weight"]!.toArray(Float.self), try c.model["head/fc/weight"]!.toArray(Float.self))
        XCTAssertEqual(r.model["bn/num_batches_tracked"]!.dtype, .int64)
        XCTAssertEqual(try r.optimizer[0]!["head/fc/weight"]!["step"]!.item(), 7)
        XCTAssertEqual(try r.optimizer[0]!["head/fc/weight"]!["exp_avg"]!.toArray(Float.self),
                       try c.optimizer[0]!["head/fc/weight"]!["exp_avg"]!.toArray(Float.self))
        XCTAssertEqual(try r.rng!.toArray(UInt8.self), try c.rng!.toArray(UInt8.self))
        XCTAssertThrowsError(try Checkpoint.read(from: dir.appendingPathComponent("nope.h5").path)) {
            XCTAssertTrue("\($0)".contains("nope.h5"))
        }
    }
}
