import Imaging
import XCTest

final class FilterTests: XCTestCase {
    func testGaussianBlurSpreadsAnImpulseSymmetrically() throws {
        var pixels = [UInt8](repeating: 0, count: 49)
        pixels[3 * 7 + 3] = 255
        let impulse = try Image(width: 7, height: 7, colorOrder: .gray, pixels: pixels)
        let blurred = try impulse.gaussianBlurred(sigmaX: 1, kernelWidth: 5, kernelHeight: 5)
        XCTAssertLessThan(blurred[3, 3], 255)
        XCTAssertGreaterThan(blurred[2, 3], 0)
        XCTAssertEqual(blurred[2, 3], blurred[4, 3])
        XCTAssertEqual(blurred[3, 2], blurred[3, 4])
        XCTAssertEqual(blurred[0, 0], 0, "outside the 5x5 kernel")
        // The 5-tap sigma-1 kernel's centre weight is 0.4026; squared and times 255 -> ~41.
        XCTAssertEqual(Int(blurred[3, 3]), 41, accuracy: 1)
    }

    func testBlurOfAConstantImageIsConstant() throws {
        let flat = try Image(width: 6, height: 5, colorOrder: .bgr, repeating: 77)
        XCTAssertEqual(try flat.gaussianBlurred(sigmaX: 2), flat)
    }

    func testBlurErrors() throws {
        let image = try Fixtures.pattern(width: 5, height: 5, order: .gray)
        assertImagingError(.invalidArgument, "gaussian_blur", "5x5 1ch", "kernel 4x4", "odd") {
            try image.gaussianBlurred(sigmaX: 1, kernelWidth: 4, kernelHeight: 4)
        }
        assertImagingError(.invalidArgument, "needs sigma_x > 0") { try image.gaussianBlurred(sigmaX: 0) }
        assertImagingError(.invalidArgument, "wrap") { try image.gaussianBlurred(sigmaX: 1, border: .wrap) }
    }
}
