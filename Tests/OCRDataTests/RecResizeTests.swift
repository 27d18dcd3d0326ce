import Imaging
import XCTest
@testable import OCRData
@testable import OCRPreprocess

final class RecResizeTests: XCTestCase {
    private func solid(_ w: Int, _ h: Int, bgr: [UInt8] = [10, 128, 250]) throws -> Image {
        try Image(width: w, height: h, colorOrder: .bgr, pixels: Array((0..<(w * h)).flatMap { _ in bgr }))
    }

    private func n(_ v: UInt8) -> Float { (Float(v) / 255 - 0.5) / 0.5 }

    func testNormalisationMatchesPaddleOCR() {
        let t = RecResize.normalisation
        XCTAssertEqual(t[0], -1)
        XCTAssertEqual(t[255], 1)
        XCTAssertEqual(t[128], 0.003921628, accuracy: 1e-7)
        XCTAssertEqual(t[64], (Float(64) / 255 - 0.5) / 0.5)
        XCTAssertTrue(zip(t, t.dropFirst()).allSatisfy { $0 < $1 })
    }

    /// 100 x 25 into [3, 32, 320]: ratio 4, width ceil(32 * 4) = 128; columns 128... are zero.
    func testKeepsRatioAndPadsWithZerosAfterNormalising() throws {
        let r = RecResize(imageShape: [3, 32, 320])
        XCTAssertEqual(r.resizedWidth(width: 100, height: 25), 128)
        XCTAssertEqual(r.resizedWidth(width: 101, height: 25), 130, "ceil(32 * 4.04) = ceil(129.28)")
        XCTAssertEqual(r.resizedWidth(width: 1000, height: 20), 320, "capped at W")
        XCTAssertEqual(r.resizedWidth(width: 1, height: 100), 1)

        let line = try r(try solid(100, 25))
        XCTAssertEqual(line.validWidth, 128)
        XCTAssertEqual(line.pixels.count, 3 * 32 * 128)
        var batch = [Float](repeating: 0, count: 2 * 3 * 32 * 320)
        r.place(line, into: &batch, at: 1, batchWidth: 320)
        func px(_ b: Int, _ c: Int, _ y: Int, _ x: Int) -> Float { batch[((b * 3 + c) * 32 + y) * 320 + x] }
        for (c, v) in [UInt8(10), 128, 250].enumerated() {  // BGR order kept: channel 0 is blue
            XCTAssertEqual(px(1, c, 0, 0), n(v))
            XCTAssertEqual(px(1, c, 31, 127), n(v))
            XCTAssertEqual(px(1, c, 16, 128), 0, "padding is 0 in normalised space")
            XCTAssertEqual(px(1, c, 16, 319), 0)
        }
        XCTAssertTrue(batch[0..<(3 * 32 * 320)].allSatisfy { $0 == 0 }, "image 0 untouched")
    }

    func testWithoutPaddingStretchesToTheFullShape() throws {
        let r = RecResize(imageShape: [3, 64, 256], padding: false)
        let line = try r(try solid(50, 40))
        XCTAssertEqual(line.validWidth, 256)
        XCTAssertEqual(line.pixels.count, 3 * 64 * 256)
        XCTAssertEqual(r.batchWidth(validWidths: [256, 256]), 256)
    }

    func testResizedPixelsMatchOpenCVResize() throws {
        let img = try DataFixture.lineImage(width: 150, height: 40, seed: 3)
        let r = RecResize(imageShape: [3, 32, 320])
        let line = try r(img)
        XCTAssertEqual(line.validWidth, 120)
        let ref = try img.resized(width: 120, height: 32)
        for (y, x, c) in [(0, 0, 0), (5, 17, 1), (31, 119, 2), (20, 60, 0)] {
            XCTAssertEqual(line.pixels[(c * 32 + y) * 120 + x], n(ref[x, y, c]))
        }
    }

    func testDynamicWidthPadsToTheWidestRoundedUp() throws {
        let r = RecResize(imageShape: [3, 32, 320], dynamicWidth: true)
        XCTAssertEqual(r.batchWidth(validWidths: [128, 50]), 128)
        XCTAssertEqual(r.batchWidth(validWidths: [126, 3]), 128)
        XCTAssertEqual(r.batchWidth(validWidths: [1]), 4)
        XCTAssertEqual(r.batchWidth(validWidths: [320]), 320)
        let odd = RecResize(imageShape: [3, 32, 318], dynamicWidth: true)
        XCTAssertEqual(odd.batchWidth(validWidths: [317]), 318, "never past W")
        XCTAssertEqual(RecResize(imageShape: [3, 32, 320]).batchWidth(validWidths: [50]), 320, "fixed mode")
    }

    func testGrayShapeConvertsToOneChannel() throws {
        let r = RecResize(imageShape: [1, 32, 100])
        let line = try r(try solid(64, 32, bgr: [100, 100, 100]))
        XCTAssertEqual(line.validWidth, 64)
        XCTAssertEqual(line.pixels.count, 32 * 64)
        XCTAssertEqual(line.pixels[0], n(100))
    }

    func testRejectsBadShapes() {
        XCTAssertThrowsError(try RecResize(imageShape: [3, 32]).validate())
        XCTAssertThrowsError(try RecResize(imageShape: [2, 32, 100]).validate())
        XCTAssertThrowsError(try RecResize(imageShape: [3, 0, 100]).validate())
        XCTAssertThrowsError(try RecResize(imageShape: [3, 32, 100], padding: false, dynamicWidth: true).validate())
        XCTAssertNoThrow(try RecResize(imageShape: [3, 48, 320]).validate())
    }
}
