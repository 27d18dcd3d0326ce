import Foundation
import Imaging
import XCTest
@testable import OCRInference

/// Page files: grey, RGBA and 16-bit pages read like the BGR page; bad files each fail alone with
/// an error naming the file while the other pages of the same call are read.
final class PagePipelineFileTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws { dir = try Fixtures.scratchDirectory("pages") }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func write(_ name: String, _ data: Data) throws -> String {
        let path = dir + "/" + name
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// One page in four encodings; each reads the same lines.
    func testGreyRGBAAnd16BitPagesReadAsTheBGRPage() throws {
        let (image, _) = try TestPages.page(width: 480, height: 200, lines: [
            TestPages.Placed(text: "grey and alpha", x: 20, y: 30), TestPages.Placed(text: "sixteen bits", x: 60, y: 120)])
        let gray = try image.converted(to: .gray)
        // Black text on a transparent page (colour 0 where alpha is 0): without alpha over white it is all black.
        var bgra = [UInt8](repeating: 0, count: gray.width * gray.height * 4)
        for i in 0..<(gray.width * gray.height) { bgra[i * 4 + 3] = 255 - gray.pixels[i] }
        let transparent = try Image(width: gray.width, height: gray.height, colorOrder: .bgra, pixels: bgra)
        let files = [
            try write("bgr.png", image.encoded(as: .png)),
            try write("gray.png", gray.encoded(as: .png)),
            try write("rgba.png", transparent.encoded(as: .png)),
            try write("gray16.png", PNG16.encode(gray: gray.pixels.map { UInt16($0) * 257 }, width: gray.width, height: gray.height)),
        ]
        let decodedRGBA = try PageImage.read(files[2])
        XCTAssertEqual(decodedRGBA.colorOrder, .bgr)
        XCTAssertEqual(decodedRGBA[0, 0, 0], 255, "a transparent pixel is white")
        XCTAssertEqual(try PageImage.read(files[3]).colorOrder, .bgr)

        let results = try TestPages.reader().read(files: files)
        let texts = try results.map { try $0.result.get().lines.map { TestPages.withoutSpaces($0.text) } }
        XCTAssertEqual(texts[0], ["greyandalpha", "sixteenbits"])
        for (file, t) in zip(files, texts) { XCTAssertEqual(t, texts[0], file) }
    }

    /// Not an image, a zero-byte file, a truncated JPEG, a 60000 x 60000 PNG header and a page over
    /// the size limit: each an error naming the file; the good page between them is read.
    func testBadFilesFailAloneNamingTheFile() throws {
        let (image, _) = try TestPages.page(width: 320, height: 120, lines: [TestPages.Placed(text: "still read", x: 20, y: 30)])
        let jpeg = try image.encoded(as: .jpeg(quality: 90))
        var hugeHeader = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8))
        hugeHeader += Data([0, 0, 0xEA, 0x60, 0, 0, 0xEA, 0x60, 8, 2, 0, 0, 0, 0, 0, 0, 0])   // 60000 x 60000, CRC not checked
        let files = [
            try write("text.png", Data("hello, not an image\n".utf8)),
            try write("empty.jpg", Data()),
            try write("good.jpg", jpeg),
            try write("truncated.jpg", jpeg.prefix(jpeg.count / 2)),
            try write("huge.png", hugeHeader),
        ]
        let results = try TestPages.reader().read(files: files, maxPixels: PageImage.defaultMaxPixels)
        let expected = [
            "not an image OpenCV can decode",
            "empty file (0 bytes)",
            nil,
            "truncated JPEG",
            "60000 x 60000 px is 3600.0 megapixels, over the limit of 50.0",
        ]
        for (r, want) in zip(results, expected) {
            switch (r.result, want) {
            case (.success(let page), nil):
                XCTAssertEqual(page.lines.map { TestPages.withoutSpaces($0.text) }, ["stillread"])
            case (.failure(let e), let want?):
                XCTAssertEqual(e.kind, .image, r.path)
                XCTAssertTrue(e.message.hasPrefix(r.path + ": ") && e.message.contains(want), "\(r.path): \(e.message)")
            default:
                XCTFail("\(r.path): \(r.result)")
            }
        }
        // The limit applies to decoded formats without a known header too, and is the caller's.
        let small = assertThrows(InferenceError.self) { try PageImage.read(files[2], maxPixels: 320 * 120 - 1) }
        XCTAssertTrue(small?.message.contains("over the limit") == true, small?.message ?? "")
        XCTAssertNoThrow(try PageImage.read(files[2], maxPixels: 320 * 120))
        // A missing file.
        let missing = assertThrows(InferenceError.self) { try PageImage.read(dir + "/nope.png") }
        XCTAssertTrue(missing?.message.hasPrefix(dir + "/nope.png: cannot be read") == true, missing?.message ?? "")
    }

    /// Several pages in flight (`ocr predict`'s default on 2+ cores) hand back exactly what one at a
    /// time does, in input order, a bad file failing alone in its place; a handler that throws
    /// stops the call with no page started after it.
    func testPagesReadConcurrentlyComeBackInInputOrder() throws {
        var files: [String] = []
        for (i, words) in ["first page", "second", "third one here", "fourth", "fifth page", "sixth", "seventh"].enumerated() {
            let (image, _) = try TestPages.page(width: 360, height: 100 + 20 * (i % 3), lines: [TestPages.Placed(text: words, x: 20, y: 30)])
            files.append(try write("p\(i).png", image.encoded(as: .png)))
        }
        files.insert(try write("broken.png", Data("not a page".utf8)), at: 3)
        files.append(files[0])                                    // the same file twice is read twice
        let reader = try TestPages.reader()
        let one = reader.read(files: files)
        for jobs in [2, 3] {
            var got: [PageReader.FileResult] = []
            try reader.read(files: files, jobs: jobs) { got.append($0) }
            XCTAssertEqual(got.map(\.path), files, "jobs \(jobs)")
            for (a, b) in zip(got, one) {
                switch (a.result, b.result) {
                case (.success(let x), .success(let y)):
                    XCTAssertEqual(x.lines, y.lines, "\(a.path), jobs \(jobs)")
                case (.failure(let x), .failure(let y)):
                    XCTAssertEqual(x.message, y.message)
                default:
                    XCTFail("\(a.path), jobs \(jobs): \(a.result) vs \(b.result)")
                }
            }
        }
        XCTAssertEqual(try one[0].result.get().lines.map { TestPages.withoutSpaces($0.text) }, ["firstpage"])
        if case .success = one[3].result { XCTFail("broken.png was read") }

        struct Stop: Error {}
        var handled = 0
        XCTAssertThrowsError(try reader.read(files: files, jobs: 2) { _ in
            handled += 1
            if handled == 2 { throw Stop() }
        })
        XCTAssertEqual(handled, 2)
    }

    /// A JPEG stored turned with EXIF orientation 6 ("turn 90 degrees clockwise to show") is read upright.
    func testJPEGExifOrientationIsApplied() throws {
        let (image, _) = try TestPages.page(width: 320, height: 120, lines: [TestPages.Placed(text: "upright", x: 20, y: 30)])
        let stored = try TextCrop.rotatedCounterClockwise(image).encoded(as: .jpeg(quality: 95))
        // APP1 Exif, big-endian TIFF, one IFD entry: Orientation (0x0112), SHORT, 1, value 6.
        let tiff: [UInt8] = Array("MM".utf8) + [0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0]
        let body: [UInt8] = Array("Exif".utf8) + [0, 0] + tiff
        let app1: [UInt8] = [0xFF, 0xE1, UInt8((body.count + 2) >> 8), UInt8((body.count + 2) & 0xFF)] + body
        let path = try write("exif6.jpg", Data([0xFF, 0xD8] + app1) + stored.dropFirst(2))
        let page = try PageImage.read(path)
        XCTAssertEqual([page.width, page.height], [320, 120])
        let read = try TestPages.reader(classifier: false).read(page)
        XCTAssertEqual(read.lines.map(\.text), ["upright"])
    }

    func testHeaderSizes() throws {
        let image = try Image(width: 37, height: 23, colorOrder: .bgr, repeating: 200)
        XCTAssertEqual(ImageHeader.size(of: try image.encoded(as: .png)).map { [$0.width, $0.height] }, [37, 23])
        XCTAssertEqual(ImageHeader.size(of: try image.encoded(as: .jpeg(quality: 80))).map { [$0.width, $0.height] }, [37, 23])
        XCTAssertTrue(ImageHeader.jpegIsComplete(try image.encoded(as: .jpeg(quality: 80))))
        XCTAssertNil(ImageHeader.size(of: Data("plain text".utf8)))
    }
}

/// A 16-bit grey PNG written by hand (stored deflate blocks; Imaging encodes 8-bit only).
enum PNG16 {
    static func encode(gray: [UInt16], width: Int, height: Int) -> Data {
        var raw = [UInt8]()
        for y in 0..<height {
            raw.append(0)  // filter: none
            for x in 0..<width { let v = gray[y * width + x]; raw += [UInt8(v >> 8), UInt8(v & 0xFF)] }
        }
        var z: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65535, raw.count - offset)
            let last: UInt8 = offset + n == raw.count ? 1 : 0
            z += [last, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            z += raw[offset..<offset + n]
            offset += n
        } while offset < raw.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in raw { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        z += be32((b << 16) | a)
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        png += chunk("IHDR", be32(UInt32(width)) + be32(UInt32(height)) + [16, 0, 0, 0, 0])
        png += chunk("IDAT", z)
        png += chunk("IEND", [])
        return Data(png)
    }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in body {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return be32(UInt32(data.count)) + body + be32(~crc)
    }
}
