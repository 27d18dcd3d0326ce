import Imaging
import XCTest

final class TransformTests: XCTestCase {
    private let twoByTwo: [UInt8] = [10, 20, 30, 40]

    func testNearestUpscaleRepeatsEachPixel() throws {
        let image = try Image(width: 2, height: 2, colorOrder: .gray, pixels: twoByTwo)
        let up = try image.resized(width: 4, height: 4, interpolation: .nearest)
        XCTAssertEqual(up.pixels, [10, 10, 20, 20,
                                   10, 10, 20, 20,
                                   30, 30, 40, 40,
                                   30, 30, 40, 40])
    }

    func testShrinkToOnePixelAverages() throws {
        // 2x2 -> 1x1: linear samples the centre (0.5, 0.5), area averages all four: both 25.
        let image = try Image(width: 2, height: 2, colorOrder: .gray, pixels: twoByTwo)
        XCTAssertEqual(try image.resized(width: 1, height: 1, interpolation: .linear).pixels, [25])
        XCTAssertEqual(try image.resized(width: 1, height: 1, interpolation: .area).pixels, [25])
    }

    func testLinearUpscaleInterpolatesBetweenPixels() throws {
        // 1x2 -> 1x4 horizontally: destination x maps to source (x + 0.5) / 2 - 0.5:
        // -0.25 (clamped: 0), 0.25, 0.75, 1.25 (clamped: 1) -> 0, 25, 75, 100.
        let image = try Image(width: 2, height: 1, colorOrder: .gray, pixels: [0, 100])
        XCTAssertEqual(try image.resized(width: 4, height: 1, interpolation: .linear).pixels, [0, 25, 75, 100])
    }

    func testResizeErrors() throws {
        let image = try Fixtures.pattern(width: 4, height: 4, order: .bgr)
        assertImagingError(.invalidArgument, "resize", "4x4 3ch -> 0x0", "positive") {
            try image.resized(width: 0, height: 0)
        }
    }

    func testIdentityPerspectiveWarpReturnsTheSameImage() throws {
        let image = try Fixtures.pattern(width: 9, height: 7, order: .bgr)
        for interpolation in [Interpolation.nearest, .linear, .cubic] {
            let warped = try image.warpedPerspective(matrix: [1, 0, 0, 0, 1, 0, 0, 0, 1], interpolation: interpolation)
            XCTAssertEqual(warped, image, "\(interpolation)")
        }
    }

    func testTranslationAffineMovesAPixel() throws {
        var pixels = [UInt8](repeating: 0, count: 8 * 6)
        pixels[1 * 8 + 2] = 200  // (x 2, y 1)
        let image = try Image(width: 8, height: 6, colorOrder: .gray, pixels: pixels)
        let moved = try image.warpedAffine(matrix: [1, 0, 3, 0, 1, 2], interpolation: .nearest)  // +3, +2
        XCTAssertEqual(moved[5, 3], 200)
        XCTAssertEqual(Fixtures.count(moved, equalTo: 200), 1)
        // Pixels that came from outside take the border value.
        let filled = try image.warpedAffine(matrix: [1, 0, 3, 0, 1, 2], interpolation: .nearest, borderValue: [9])
        XCTAssertEqual(filled[0, 0], 9)
        XCTAssertEqual(filled[3, 2], 0)
    }

    func testBorderValueRepeatsOnEveryChannel() throws {
        let image = try Image(width: 2, height: 2, colorOrder: .bgr, repeating: 0)
        let shifted = try image.warpedAffine(matrix: [1, 0, 5, 0, 1, 0], borderValue: [7])
        XCTAssertEqual(shifted.pixels, [UInt8](repeating: 7, count: 12))
        let coloured = try image.warpedAffine(matrix: [1, 0, 5, 0, 1, 0], borderValue: [1, 2, 3])
        XCTAssertEqual(Array(coloured.pixels.prefix(3)), [1, 2, 3])
        assertImagingError(.invalidArgument, "needs 1 or 3 values, got 2") {
            try image.warpedAffine(matrix: [1, 0, 5, 0, 1, 0], borderValue: [1, 2])
        }
    }

    func testWarpPerspectiveFromSolvedTransformCropsARegion() throws {
        // Solve the homography taking the 4x3 block at (3, 2) to the origin, then crop it out:
        // how the recogniser crops text boxes.
        let image = try Fixtures.pattern(width: 10, height: 8, order: .gray)
        let src = [Point2f(3, 2), Point2f(7, 2), Point2f(7, 5), Point2f(3, 5)]
        let dst = [Point2f(0, 0), Point2f(4, 0), Point2f(4, 3), Point2f(0, 3)]
        let m = try perspectiveTransform(from: src, to: dst)
        let expected: [Double] = [1, 0, -3, 0, 1, -2, 0, 0, 1]
        let maxDiff = zip(m, expected).map { abs($0 - $1) }.max()!
        XCTAssertLessThan(maxDiff, 1e-9, "max |diff| = \(maxDiff)")
        let crop = try image.warpedPerspective(matrix: m, width: 4, height: 3, interpolation: .nearest)
        for y in 0..<3 { for x in 0..<4 { XCTAssertEqual(crop[x, y], image[x + 3, y + 2]) } }
    }

    func testAffineTransformSolvesScaleAndShift() throws {
        let m = try affineTransform(from: [Point2f(0, 0), Point2f(1, 0), Point2f(0, 1)],
                                    to: [Point2f(5, 6), Point2f(7, 6), Point2f(5, 9)])
        let expected: [Double] = [2, 0, 5, 0, 3, 6]
        XCTAssertLessThan(zip(m, expected).map { abs($0 - $1) }.max()!, 1e-9, "\(m)")
    }

    func testWarpAndTransformErrors() throws {
        let image = try Fixtures.pattern(width: 4, height: 3, order: .gray)
        assertImagingError(.invalidArgument, "warp_affine", "4x3 1ch", "5 values, needs 6") {
            try image.warpedAffine(matrix: [1, 0, 0, 0, 1])
        }
        assertImagingError(.invalidArgument, "warp_perspective", "6 values, needs 9") {
            try image.warpedPerspective(matrix: [1, 0, 0, 0, 1, 0])
        }
        assertImagingError(.invalidArgument, "warp_affine", "singular") {
            try image.warpedAffine(matrix: [1, 2, 0, 2, 4, 0])
        }
        assertImagingError(.invalidArgument, "warp_perspective", "singular") {
            try image.warpedPerspective(matrix: [1, 0, 0, 0, 1, 0, 0, 0, 0])
        }
        assertImagingError(.invalidArgument, "not finite") {
            try image.warpedAffine(matrix: [1, 0, .nan, 0, 1, 0])
        }
        assertImagingError(.invalidArgument, "warp_affine", "-> 0x3", "positive") {
            try image.warpedAffine(matrix: [1, 0, 0, 0, 1, 0], width: 0)
        }
        let square = [Point2f(0, 0), Point2f(1, 0), Point2f(1, 1), Point2f(0, 1)]
        assertImagingError(.invalidArgument, "get_perspective_transform", "3 -> 4 points", "exactly 4") {
            try perspectiveTransform(from: Array(square.prefix(3)), to: square)
        }
        assertImagingError(.invalidArgument, "get_perspective_transform", "degenerate") {
            try perspectiveTransform(from: [Point2f(0, 0), Point2f(1, 1), Point2f(2, 2), Point2f(3, 3)], to: square)
        }
        assertImagingError(.invalidArgument, "get_affine_transform", "exactly 3") {
            try affineTransform(from: square, to: square)
        }
        assertImagingError(.invalidArgument, "get_affine_transform", "degenerate") {
            try affineTransform(from: [Point2f(0, 0), Point2f(1, 1), Point2f(2, 2)], to: Array(square.prefix(3)))
        }
    }
}
