import Imaging
import XCTest

// Small hand-made images whose every pixel a test can reason about.
enum Fixtures {
    /// A w x h image whose bytes are a deterministic, non-repeating function of position.
    static func pattern(width: Int, height: Int, order: ColorOrder) throws -> Image {
        let n = width * height * order.channels
        let pixels = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ $0 / 7) }
        return try Image(width: width, height: height, colorOrder: order, pixels: pixels)
    }

    /// A smooth gradient: JPEG's favourite kind of content, so its error stays small.
    static func gradient(width: Int, height: Int) throws -> Image {
        var pixels: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                pixels += [UInt8(x * 255 / (width - 1)), UInt8(y * 255 / (height - 1)), UInt8((x + y) * 255 / (width + height - 2))]
            }
        }
        return try Image(width: width, height: height, colorOrder: .bgr, pixels: pixels)
    }

    /// Number of pixels (of a 1-channel map) equal to `value`.
    static func count(_ image: Image, equalTo value: UInt8) -> Int {
        image.pixels.lazy.filter { $0 == value }.count
    }
}

/// Asserts `body` throws an ImagingError of `kind` whose message contains every fragment.
func assertImagingError<T>(_ kind: ImagingError.Kind, _ fragments: String..., file: StaticString = #filePath,
                           line: UInt = #line, _ body: () throws -> T) {
    do {
        _ = try body()
        XCTFail("expected an ImagingError containing \(fragments)", file: file, line: line)
    } catch let error as ImagingError {
        XCTAssertEqual(error.kind, kind, "message: \(error.message)", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(error.message.contains(fragment), "'\(error.message)' lacks '\(fragment)'", file: file, line: line)
        }
    } catch {
        XCTFail("expected ImagingError, got \(error)", file: file, line: line)
    }
}
