import NN
import OCRCore
import Torch
import XCTest
@testable import OCRTrain

final class ScheduleEMARemapTests: XCTestCase {
    func testSchedules() {
        let cos = LearningRateSchedule.cosine(base: 1, warmupSteps: 10, totalSteps: 110, minimum: 0)
        XCTAssertEqual(cos.rate(at: 0), 0.1, accuracy: 1e-12)
        XCTAssertEqual(cos.rate(at: 9), 1, accuracy: 1e-12)
        XCTAssertEqual(cos.rate(at: 10), 1, accuracy: 1e-12)
        XCTAssertEqual(cos.rate(at: 60), 0.5, accuracy: 1e-12)              // halfway down the cosine
        XCTAssertEqual(cos.rate(at: 110), 0, accuracy: 1e-12)
        XCTAssertEqual(cos.rate(at: 500), 0, accuracy: 1e-12)               // clamps after the end
        let pw = LearningRateSchedule.piecewise(boundaries: [100, 200], values: [1, 0.1, 0.01], warmupSteps: 0)
        XCTAssertEqual(pw.rate(at: 99), 1)
        XCTAssertEqual(pw.rate(at: 100), 0.1)
        XCTAssertEqual(pw.rate(at: 250), 0.01)
        XCTAssertEqual(LearningRateSchedule.constant(base: 0.5, warmupSteps: 4).rate(at: 1), 0.25)
    }

    func testEMAAveragesAndSwaps() throws {
        let fc = try Linear("fc", 2, 1, bias: false)
        try fc.weight.copy(from: try Tensor([0, 0] as [Float], shape: [1, 2]))
        let ema = try WeightEMA(fc, decay: 0.5)
        try fc.weight.copy(from: try Tensor([1, 1] as [Float], shape: [1, 2]))
        try ema.update()                 // d = min(0.5, 2/11) = 2/11: shadow = 9/11
        XCTAssertEqual(try ema.shadow[0].tensor.toArray(Float.self)[0], 9.0 / 11, accuracy: 1e-6)
        let seen = try ema.withAveragedWeights(in: fc) { try fc.weight.toArray(Float.self)[0] }
        XCTAssertEqual(seen, 9.0 / 11, accuracy: 1e-6)
        XCTAssertEqual(try fc.weight.toArray(Float.self), [1, 1])   // trained weights back
    }

    func testCharsetChangeKeepsSharedRows() throws {
        let old = try Charset(characters: "abc"), new = try Charset(characters: "cxa")
        let map = CharsetRemap.classMap(from: old, to: new)
        XCTAssertEqual(map, [0, 3, nil, 1])     // blank, c -> old 3, x new, a -> old 1
        let oldW = try Tensor([0, 1, 2, 3] as [Float], shape: [4, 1])
        let fresh = try Tensor([9, 9, 9, 9] as [Float], shape: [4, 1])
        XCTAssertEqual(try CharsetRemap.remapRows(old: oldW, fresh: fresh, map: map).toArray(Float.self), [0, 3, 9, 1])
    }
}
