import Imaging
import XCTest

final class ColorTests: XCTestCase {
    // Pure blue, green, red and a mix, as BGR.
    private let bgrPixels: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]

    func testBGRToGrayUsesBT601Weights() throws {
        let bgr = try Image(width: 4, height: 1, colorOrder: .bgr, pixels: bgrPixels)
        let gray = try bgr.converted(to: .gray)
        XCTAssertEqual(gray.colorOrder, .gray)
        // round(0.114*255)=29, round(0.587*255)=150, round(0.299*255)=76, 0.114*10+0.587*20+0.299*30=21.85
        XCTAssertEqual(gray.pixels, [29, 150, 76, 22])
    }

    func testRGBToGrayReadsChannelsInRGBOrder() throws {
        let rgb = try Image(width: 4, height: 1, colorOrder: .bgr, pixels: bgrPixels).converted(to: .rgb)
        XCTAssertEqual(rgb.pixels, [0, 0, 255, 0, 255, 0, 255, 0, 0, 30, 20, 10])
        XCTAssertEqual(try rgb.converted(to: .gray).pixels, [29, 150, 76, 22])
    }

    func testAlphaAndGrayExpansion() throws {
        let bgr = try Image(width: 4, height: 1, colorOrder: .bgr, pixels: bgrPixels)
        let bgra = try bgr.converted(to: .bgra)
        XCTAssertEqual(Array(bgra.pixels.prefix(8)), [255, 0, 0, 255, 0, 255, 0, 255])
        XCTAssertEqual(try bgra.converted(to: .bgr), bgr)
        XCTAssertEqual(try bgra.converted(to: .rgba).pixels.prefix(4), [0, 0, 255, 255])
        let gray = try Image(width: 2, height: 1, colorOrder: .gray, pixels: [7, 200])
        XCTAssertEqual(try gray.converted(to: .rgb).pixels, [7, 7, 7, 200, 200, 200])
        XCTAssertEqual(try gray.converted(to: .rgba).pixels, [7, 7, 7, 255, 200, 200, 200, 255])
    }

    func testEveryPairConvertsAndKeepsTheSameColours() throws {
        // Converting to X and back to the source is lossless when no channel is dropped.
        for from in ColorOrder.allCases {
            let image = try Fixtures.pattern(width: 3, height: 2, order: from)
            for to in ColorOrder.allCases {
                let there = try image.converted(to: to)
                XCTAssertEqual(there.colorOrder, to)
                XCTAssertEqual(there.pixels.count, 6 * to.channels)
                if to != .gray, !(from.channels == 4 && to.channels == 3) {
                    XCTAssertEqual(try there.converted(to: from), image, "\(from) -> \(to) -> \(from)")
                }
            }
        }
    }
}
