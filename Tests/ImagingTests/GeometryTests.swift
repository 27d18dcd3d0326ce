import Foundation
import Imaging
import XCTest

final class GeometryTests: XCTestCase {
    private func rectangleMap() throws -> Image {
        // 20x16 map with a filled rectangle x 5...14, y 4...11 (10 x 8 pixels).
        var map = try Image(width: 20, height: 16)
        try map.fillPoly([[Point2i(5, 4), Point2i(14, 4), Point2i(14, 11), Point2i(5, 11)]], value: [255])
        return map
    }

    func testFillPolyFillsExactlyTheRectanglePixels() throws {
        let map = try rectangleMap()
        XCTAssertEqual(Fixtures.count(map, equalTo: 255), 10 * 8)
        XCTAssertEqual(map[5, 4], 255)
        XCTAssertEqual(map[14, 11], 255)
        XCTAssertEqual(map[4, 4], 0)
        XCTAssertEqual(map[15, 11], 0)
        XCTAssertEqual(map[5, 12], 0)
    }

    func testFillPolyClipsAndPerChannelValues() throws {
        var image = try Image(width: 4, height: 4, colorOrder: .bgr)
        try image.fillPoly([[Point2i(-10, -10), Point2i(1, -10), Point2i(1, 1), Point2i(-10, 1)]], value: [1, 2, 3])
        XCTAssertEqual(Array(image.pixels.prefix(6)), [1, 2, 3, 1, 2, 3])
        XCTAssertEqual(Fixtures.count(image, equalTo: 3), 4)
        // Coordinates far outside the map are clipped, never a crash.
        try image.fillPoly([[Point2i(-1 << 40, 0), Point2i(1 << 40, 0), Point2i(0, 1 << 40)]], value: [9])
    }

    func testPolylinesDrawsTheOutlineOnly() throws {
        var map = try Image(width: 12, height: 8)
        try map.polylines([[Point2i(2, 3), Point2i(7, 3), Point2i(7, 5), Point2i(2, 5)]], value: [1])
        // Two rows of 6 plus the middle row's 2 ends.
        XCTAssertEqual(Fixtures.count(map, equalTo: 1), 6 + 6 + 2)
        XCTAssertEqual(map[4, 4], 0, "inside stays empty")
        var open = try Image(width: 12, height: 8)
        try open.polylines([[Point2i(2, 3), Point2i(7, 3), Point2i(7, 5), Point2i(2, 5)]], closed: false, value: [1])
        XCTAssertEqual(Fixtures.count(open, equalTo: 1), 6 + 6 + 1)
    }

    func testDrawingErrors() throws {
        var map = try Image(width: 4, height: 4)
        assertImagingError(.invalidArgument, "fill_poly", "4x4 1ch", "polygon 1 has 0 points") {
            try map.fillPoly([[Point2i(0, 0), Point2i(1, 1), Point2i(0, 1)], []], value: [1])
        }
        assertImagingError(.invalidArgument, "polylines", "thickness 0", "thickness must be") {
            try map.polylines([[Point2i(0, 0), Point2i(2, 2)]], value: [1], thickness: 0)
        }
        assertImagingError(.invalidArgument, "fill_poly value", "needs 1 or 1 values, got 3") {
            try map.fillPoly([[Point2i(0, 0)]], value: [1, 2, 3])
        }
        XCTAssertEqual(Fixtures.count(map, equalTo: 0), 16, "failed calls draw nothing")
        try map.fillPoly([], value: [1])  // nothing to draw is not an error
    }

    func testFindContoursOfAFilledRectangle() throws {
        let map = try rectangleMap()
        let before = map
        let contours = try map.findContours()
        XCTAssertEqual(map, before, "input untouched")
        XCTAssertEqual(contours.count, 1)
        XCTAssertEqual(Set(contours[0]), [Point2i(5, 4), Point2i(5, 11), Point2i(14, 11), Point2i(14, 4)])
        // Area through the pixel centres: (14 - 5) x (11 - 4).
        XCTAssertEqual(try contourArea(contours[0].map(Point2f.init)), 63)
        let full = try map.findContours(approximation: .none)
        XCTAssertEqual(full[0].count, 2 * (9 + 7), "every boundary pixel")
    }

    func testFindContoursRetrievalModes() throws {
        // A ring: outer and inner boundary.
        var map = try Image(width: 12, height: 12)
        try map.fillPoly([[Point2i(1, 1), Point2i(10, 1), Point2i(10, 10), Point2i(1, 10)]], value: [1])
        try map.fillPoly([[Point2i(4, 4), Point2i(7, 4), Point2i(7, 7), Point2i(4, 7)]], value: [0])
        XCTAssertEqual(try map.findContours(retrieval: .list).count, 2)
        XCTAssertEqual(try map.findContours(retrieval: .external).count, 1)
        XCTAssertEqual(try Image(width: 3, height: 3).findContours(), [])
    }

    func testFindContoursNeedsOneChannel() throws {
        let image = try Fixtures.pattern(width: 4, height: 4, order: .bgr)
        assertImagingError(.invalidArgument, "find_contours", "4x4 3ch", "1 channel") { try image.findContours() }
    }

    func testContourAreaAndArcLength() throws {
        let triangle = [Point2f(0, 0), Point2f(4, 0), Point2f(0, 3)]
        XCTAssertEqual(try contourArea(triangle), 6)
        let forward = try contourArea(triangle, oriented: true)
        let backward = try contourArea(triangle.reversed(), oriented: true)
        XCTAssertEqual(abs(forward), 6)
        XCTAssertEqual(forward, -backward, "orientation flips the sign")
        XCTAssertEqual(try arcLength(triangle, closed: true), 12, accuracy: 1e-6)
        XCTAssertEqual(try arcLength(triangle, closed: false), 4 + 5, accuracy: 1e-6)
        assertImagingError(.invalidArgument, "contour_area", "0 points", "at least 1") { try contourArea([]) }
        assertImagingError(.invalidArgument, "arc_length", "not finite") {
            try arcLength([Point2f(0, 0), Point2f(.infinity, 1)], closed: true)
        }
    }

    /// Corners of a w x h rectangle centred at c, rotated by `degrees` (clockwise, y down).
    private func corners(center c: Point2f, width w: Float, height h: Float, degrees: Float) -> [Point2f] {
        let a = degrees * .pi / 180
        return [(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)].map { dx, dy in
            Point2f(c.x + dx * cos(a) - dy * sin(a), c.y + dx * sin(a) + dy * cos(a))
        }
    }

    private func assertSamePoints(_ a: [Point2f], _ b: [Point2f], tolerance: Float, file: StaticString = #filePath,
                                  line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for p in a {
            let nearest = b.map { hypot($0.x - p.x, $0.y - p.y) }.min() ?? .infinity
            XCTAssertLessThan(nearest, tolerance, "\(p) not in \(b)", file: file, line: line)
        }
    }

    func testMinAreaRectOfARotatedRectangle() throws {
        let points = corners(center: Point2f(50, 40), width: 30, height: 10, degrees: 30)
        let rect = try minAreaRect(points)
        XCTAssertEqual(rect.center.x, 50, accuracy: 1e-3)
        XCTAssertEqual(rect.center.y, 40, accuracy: 1e-3)
        // OpenCV 4.6 reports angle in (0, 90]: here either 30 with 30x10, or 60 with 10x30.
        let sides = [rect.width, rect.height].sorted()
        XCTAssertEqual(sides[0], 10, accuracy: 1e-3)
        XCTAssertEqual(sides[1], 30, accuracy: 1e-3)
        if rect.width > rect.height {
            XCTAssertEqual(rect.angle, 30, accuracy: 1e-3)
        } else {
            XCTAssertEqual(rect.angle, 60, accuracy: 1e-3)
        }
        assertSamePoints(try boxPoints(rect), points, tolerance: 1e-3)
        // Interior points do not change it.
        let more = try minAreaRect(points + [Point2f(50, 40), Point2f(52, 41)])
        XCTAssertEqual(more.width * more.height, 300, accuracy: 1e-2)
    }

    func testBoxPointsOfAnAxisAlignedRectInOpenCVOrder() throws {
        let box = try boxPoints(RotatedRect(center: Point2f(10, 10), width: 4, height: 2, angle: 0))
        // bottom-left, top-left, top-right, bottom-right (y down).
        XCTAssertEqual(box, [Point2f(8, 11), Point2f(8, 9), Point2f(12, 9), Point2f(12, 11)])
    }

    func testBoxPointsRoundTripThroughMinAreaRect() throws {
        let rect = RotatedRect(center: Point2f(20, 15), width: 12, height: 5, angle: 25)
        let box = try boxPoints(rect)
        let back = try minAreaRect(box)
        XCTAssertEqual(back.center.x, 20, accuracy: 1e-3)
        XCTAssertEqual(back.center.y, 15, accuracy: 1e-3)
        XCTAssertEqual(back.width * back.height, 60, accuracy: 1e-2)
        assertSamePoints(try boxPoints(back), box, tolerance: 1e-3)
    }

    func testRotatedRectErrors() {
        assertImagingError(.invalidArgument, "min_area_rect", "0 points") { try minAreaRect([]) }
        assertImagingError(.invalidArgument, "min_area_rect", "points[1] is not finite") {
            try minAreaRect([Point2f(0, 0), Point2f(.nan, 0)])
        }
        assertImagingError(.invalidArgument, "box_points", "non-finite") {
            try boxPoints(RotatedRect(center: Point2f(0, 0), width: .nan, height: 1, angle: 0))
        }
        assertImagingError(.invalidArgument, "box_points", "size must be >= 0") {
            try boxPoints(RotatedRect(center: Point2f(0, 0), width: -1, height: 1, angle: 0))
        }
    }

    func testPointConversions() {
        XCTAssertEqual(Point2i(rounding: Point2f(2.5, -2.5)), Point2i(3, -3))
        XCTAssertEqual(Point2i(rounding: Point2f(2.7, -2.7), .towardZero), Point2i(2, -2))
        XCTAssertNil(Point2i(rounding: Point2f(.nan, 0)))
        XCTAssertEqual(Point2f(Point2i(3, 4)), Point2f(3, 4))
    }
}
