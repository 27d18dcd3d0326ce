import Foundation
import Imaging
import XCTest

final class CodecTests: XCTestCase {
    func testPNGRoundTripIsExactForEveryColourOrder() throws {
        for order in ColorOrder.allCases {
            let image = try Fixtures.pattern(width: 7, height: 5, order: order)
            let png = try image.encoded(as: .png)
            XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47], "PNG signature")
            let mode: DecodeMode = switch order {
            case .gray: .gray
            case .bgr, .bgra: .keep
            case .rgb: .rgb
            case .rgba: .keep
            }
            var decoded = try Image(decoding: png, mode: mode)
            if order == .rgba { decoded = try decoded.converted(to: .rgba) }  // .keep gives BGRA
            XCTAssertEqual(decoded, image, "\(order)")
        }
    }

    func testKeepModeGivesStoredChannelsAndBGRModeDropsAlpha() throws {
        let bgra = try Fixtures.pattern(width: 3, height: 2, order: .bgra)
        let png = try bgra.encoded(as: .png)
        XCTAssertEqual(try Image(decoding: png, mode: .keep).colorOrder, .bgra)
        let bgr = try Image(decoding: png)
        XCTAssertEqual(bgr.colorOrder, .bgr)
        XCTAssertEqual(bgr, try bgra.converted(to: .bgr))
    }

    func testJPEGRoundTripIsClose() throws {
        let image = try Fixtures.gradient(width: 32, height: 24)
        let jpeg = try image.encoded(as: .jpeg(quality: 95))
        XCTAssertEqual(Array(jpeg.prefix(2)), [0xFF, 0xD8], "JPEG SOI marker")
        let decoded = try Image(decoding: jpeg)
        XCTAssertEqual(decoded.width, 32)
        XCTAssertEqual(decoded.height, 24)
        let diffs = zip(decoded.pixels, image.pixels).map { abs(Int($0) - Int($1)) }
        let maxDiff = diffs.max()!
        let meanDiff = Double(diffs.reduce(0, +)) / Double(diffs.count)
        print("JPEG q95: max |diff| = \(maxDiff) (limit 12), mean |diff| = \(meanDiff) (limit 2)")
        XCTAssertLessThanOrEqual(maxDiff, 12)
        XCTAssertLessThanOrEqual(meanDiff, 2)
        // JPEG has no alpha: a BGRA image encodes as its BGR part.
        let bgra = try image.converted(to: .bgra)
        XCTAssertEqual(try Image(decoding: bgra.encoded(as: .jpeg(quality: 95)), mode: .keep).colorOrder, .bgr)
        // Lower quality must cost bytes less and error more: the quality argument reaches libjpeg.
        XCTAssertLessThan(try image.encoded(as: .jpeg(quality: 10)).count, jpeg.count)
    }

    func testCorruptBytesThrowDecodeError() {
        assertImagingError(.decode, "decode", "could not decode 11 bytes") {
            try Image(decoding: Array("not a image".utf8))
        }
        assertImagingError(.decode, "could not decode 0 bytes") { try Image(decoding: Data()) }
        // A PNG signature followed by garbage.
        assertImagingError(.decode, "decode") {
            try Image(decoding: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 0xAB, count: 64))
        }
    }

    func testTruncatedPNGThrowsDecodeError() throws {
        let png = try Fixtures.pattern(width: 16, height: 16, order: .bgr).encoded(as: .png)
        let half = png.prefix(png.count / 2)
        assertImagingError(.decode, "decode", "could not decode \(half.count) bytes", "truncated") {
            try Image(decoding: half)
        }
    }

    /// Every prefix of a real PNG throws (libpng checks through IEND), and many corrupted copies
    /// either decode or throw: none crashes.
    func testDamagedPNGsNeverCrash() throws {
        let png = [UInt8](try Fixtures.pattern(width: 9, height: 6, order: .bgr).encoded(as: .png))
        var decodedPrefixes: [Int] = []
        for n in 0..<png.count {
            do {
                _ = try Image(decoding: png[0..<n])
                decodedPrefixes.append(n)
            } catch let error as ImagingError {
                XCTAssertEqual(error.kind, .decode, error.message)
            }
        }
        XCTAssertEqual(decodedPrefixes, [], "prefixes of \(png.count) bytes that decoded")
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            var damaged = png
            for _ in 0..<3 { damaged[Int.random(in: 8..<png.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            _ = try? Image(decoding: damaged)
        }
    }

    func testSixteenBitPNGIsScaledTo8Bit() throws {
        // 2x1 16-bit gray: 0x1234 and 0xFFFF -> 0x12 and 0xFF (OpenCV keeps the high byte).
        let png = PNGBuilder.png(width: 2, height: 1, bitDepth: 16, colorType: 0, rows: [[0x12, 0x34, 0xFF, 0xFF]])
        XCTAssertEqual(try Image(decoding: png, mode: .keep).pixels, [0x12, 0xFF])
        XCTAssertEqual(try Image(decoding: png, mode: .gray).pixels, [0x12, 0xFF])
        XCTAssertEqual(try Image(decoding: png, mode: .bgr).pixels, [0x12, 0x12, 0x12, 0xFF, 0xFF, 0xFF])
    }

    func testGrayAlphaPNGKeepsItsAlpha() throws {
        let png = PNGBuilder.png(width: 2, height: 1, bitDepth: 8, colorType: 4, rows: [[10, 200, 30, 0]])
        let kept = try Image(decoding: png, mode: .keep)
        XCTAssertEqual(kept.colorOrder, .bgra)
        XCTAssertEqual(kept.pixels, [10, 10, 10, 200, 30, 30, 30, 0])
        XCTAssertEqual(try Image(decoding: png, mode: .gray).pixels, [10, 30])
    }

    func testTruncatedJPEGNeverCrashes() throws {
        // libjpeg pads a truncated JPEG instead of failing; we only require a clean outcome.
        let jpeg = [UInt8](try Fixtures.gradient(width: 32, height: 24).encoded(as: .jpeg(quality: 90)))
        var (decoded, threw) = (0, 0)
        for n in stride(from: 0, to: jpeg.count, by: 7) {
            do {
                let image = try Image(decoding: jpeg[0..<n])
                XCTAssertEqual([image.width, image.height], [32, 24])
                decoded += 1
            } catch let error as ImagingError {
                XCTAssertEqual(error.kind, .decode, error.message)
                threw += 1
            }
        }
        print("truncated JPEG (\(jpeg.count) bytes): \(decoded) prefixes decoded padded, \(threw) threw")
    }

    func testFileDecodeAndPathErrors() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("imaging-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }

        let image = try Fixtures.pattern(width: 5, height: 4, order: .bgr)
        let path = dir.appendingPathComponent("ok.png").path
        try image.encoded(as: .png).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try Image(contentsOf: path), image)

        let missing = dir.appendingPathComponent("missing.png").path
        assertImagingError(.io, missing, "No such file") { try Image(contentsOf: missing) }
        assertImagingError(.io, dir.path) { try Image(contentsOf: dir.path) }  // a directory

        let text = dir.appendingPathComponent("notes.png").path
        try Data("hello".utf8).write(to: URL(fileURLWithPath: text))
        assertImagingError(.decode, text, "could not decode 5 bytes") { try Image(contentsOf: text) }
    }

    func testEncodeErrors() throws {
        let image = try Fixtures.pattern(width: 2, height: 2, order: .gray)
        assertImagingError(.invalidArgument, "encode", "2x2 1ch", "quality", "101") {
            try image.encoded(as: .jpeg(quality: 101))
        }
    }

    func testImageInitRejectsBadSizes() {
        assertImagingError(.invalidArgument, "needs 12 bytes, got 11") {
            try Image(width: 2, height: 2, colorOrder: .bgr, pixels: [UInt8](repeating: 0, count: 11))
        }
        assertImagingError(.invalidArgument, "0x3") { try Image(width: 0, height: 3) }
        assertImagingError(.invalidArgument, "overflow") {
            try Image(width: Int(Int32.max), height: Int(Int32.max), colorOrder: .bgra)
        }
    }
}
