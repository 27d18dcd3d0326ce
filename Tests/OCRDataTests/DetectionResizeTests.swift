import Imaging
import OCRPreprocess
import XCTest

/// `DetResize` sizes (PaddleOCR's `DetResizeForTest`) worked out by hand, and `DetNormalize`.
final class DetectionResizeTests: XCTestCase {
    private func size(_ mode: DetResize.Mode, _ w: Int, _ h: Int, maxSideLimit: Int = 4000) -> [Int] {
        let s = DetResize(mode: mode, maxSideLimit: maxSideLimit).resizedSize(width: w, height: h)
        return [s.width, s.height]
    }

    func testLimitSideSizes() {
        // min 736: 720 < 736, ratio 736/720: 1280 -> int(1308.4) = 1308 -> round(40.875) * 32 = 1312.
        XCTAssertEqual(size(.limit(side: 736, type: .min), 1280, 720), [1312, 736])
        XCTAssertEqual(size(.limit(side: 736, type: .min), 2000, 1000), [1984, 992], "large pages are not shrunk; 2000 / 32 = 62.5 rounds to 62")
        // max 960: ratio 0.5 -> 960 x 540 -> 540 / 32 = 16.875 -> 544.
        XCTAssertEqual(size(.limit(side: 960, type: .max), 1920, 1080), [960, 544])
        XCTAssertEqual(size(.limit(side: 960, type: .max), 80, 48), [64, 64], "no scaling; 2.5 and 1.5 round half to even")
        XCTAssertEqual(size(.limit(side: 960, type: .max), 10, 5), [32, 32], "at least 32")
        // resize_long 640: 1000 x 500 -> 640 x 320.
        XCTAssertEqual(size(.limit(side: 640, type: .resizeLong), 1000, 500), [640, 320])
        // max 5000 on 6000 x 3000 -> 5000 x 2500 -> over max_side_limit 4000 -> 4000 x 2000 -> 62.5 -> 62 * 32.
        XCTAssertEqual(size(.limit(side: 5000, type: .max), 6000, 3000), [4000, 1984])
    }

    func testShapeAndLongSizes() {
        XCTAssertEqual(size(.shape(height: 736, width: 1280, keepRatio: false), 1000, 500), [1280, 736])
        XCTAssertEqual(size(.shape(height: 736, width: 1280, keepRatio: true), 1000, 500), [1472, 736])
        XCTAssertEqual(size(.shape(height: 736, width: 1280, keepRatio: true), 1000, 700), [1056, 736], "1051.4 up to 1056")
        XCTAssertEqual(size(.long(side: 960), 1000, 500), [1024, 512], "960 x 480, each up to a multiple of 128")
    }

    func testResizeReturnsRatiosAndPadsTinyPages() throws {
        let page = try Image(width: 1280, height: 720, colorOrder: .bgr, repeating: 9)
        let r = try DetResize()(page)
        XCTAssertEqual([r.image.width, r.image.height, r.sourceWidth, r.sourceHeight], [1312, 736, 1280, 720])
        XCTAssertEqual(r.ratioW, 1312.0 / 1280, accuracy: 1e-12)
        XCTAssertEqual(r.ratioH, 736.0 / 720, accuracy: 1e-12)

        let tiny = try Image(width: 20, height: 10, colorOrder: .bgr, repeating: 200)
        let t = try DetResize(mode: .limit(side: 64, type: .max))(tiny)
        XCTAssertEqual([t.image.width, t.image.height, t.sourceWidth, t.sourceHeight], [32, 32, 20, 10])
        XCTAssertEqual(t.ratioW, 1, "ratios of the padded 32x32 page, as PaddleOCR")
        XCTAssertEqual(t.image[5, 5], 200)
        XCTAssertEqual(t.image[25, 5], 0, "padding right of the page")
        XCTAssertEqual(t.image[5, 20], 0, "padding below the page")
    }

    func testNormalizeIsImageNetOnDecodeOrderChannelsCHW() throws {
        let pixels: [UInt8] = [255, 0, 128, 10, 20, 30]  // 2 x 1 BGR
        let page = try Image(width: 2, height: 1, colorOrder: .bgr, pixels: pixels)
        let out = DetNormalize()(page)
        let (s, m, d) = (Float(1) / 255, DetNormalize.imageNetMean, DetNormalize.imageNetStd)
        let expected: [Float] = [(255 * s - m[0]) / d[0], (10 * s - m[0]) / d[0],
                                 (0 * s - m[1]) / d[1], (20 * s - m[1]) / d[1],
                                 (128 * s - m[2]) / d[2], (30 * s - m[2]) / d[2]]
        XCTAssertEqual(out, expected)
        XCTAssertEqual(out[0], 2.2489083, accuracy: 1e-6)
        XCTAssertThrowsError(try DetNormalize(std: [0.2, 0, 0.2]).validate())
    }
}
