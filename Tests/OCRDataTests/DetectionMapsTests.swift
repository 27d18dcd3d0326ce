import OCRCore
import XCTest
@testable import OCRData

/// Shrink and threshold maps against values worked out by hand (see each test's comment).
final class DetectionMapsTests: XCTestCase {
    private func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ text: String = "abc") -> TextRegion {
        TextRegion(transcription: text, polygon: Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)]))
    }

    /// 100 x 40 rectangle: area 4000, perimeter 280, D = 4000 (1 - 0.4^2) / 280 = 12, so the
    /// shrunk rectangle is [22, 98] x [32, 48] (an inward offset keeps square corners) and is
    /// filled inclusively: 77 x 17 pixels.
    func testShrinkMapOfARectangleIsTheRectangleMovedInByD() throws {
        let r = rect(10, 20, 110, 60)
        XCTAssertEqual(r.polygon.shrinkDistance(ratio: 0.4), 12, accuracy: 1e-12)
        let m = try ShrinkMapBuilder()([r], width: 128, height: 96)
        for (x, y) in [(22, 32), (98, 48), (22, 48), (98, 32), (60, 40)] { XCTAssertEqual(m[x: x, y: y], 1, "(\(x), \(y))") }
        for (x, y) in [(21, 40), (99, 40), (60, 31), (60, 49), (10, 20), (5, 5)] { XCTAssertEqual(m[x: x, y: y], 0, "(\(x), \(y))") }
        XCTAssertEqual(m.map.reduce(0, +), 77 * 17)
        XCTAssertEqual(m.mask.reduce(0, +), Float(128 * 96), "nothing is masked out")
    }

    /// Diamond |x - 50| + |y - 50| <= 20 (a square turned 45 degrees, side 20 sqrt 2): area 800,
    /// perimeter 80 sqrt 2, D = 800 * 0.84 / (80 sqrt 2) = 5.94. Each edge moves in by D, so the
    /// shrunk diamond is |dx| + |dy| <= 20 - D sqrt 2 = 11.6: L1 distance 11 is in, 13 is out.
    func testShrinkMapOfARotatedSquareIsInsetByD() throws {
        let diamond = TextRegion(transcription: "x", polygon: Polygon([(50, 30), (70, 50), (50, 70), (30, 50)]))
        let d = diamond.polygon.shrinkDistance(ratio: 0.4)
        XCTAssertEqual(d, 800 * 0.84 / (80 * 2.0.squareRoot()), accuracy: 1e-9)
        let m = try ShrinkMapBuilder()([diamond], width: 100, height: 100)
        for (x, y) in [(50, 50), (50, 39), (50, 61), (39, 50), (61, 50), (56, 45), (45, 44)] {
            XCTAssertEqual(m[x: x, y: y], 1, "(\(x), \(y)) has L1 distance <= 11")
        }
        for (x, y) in [(50, 37), (50, 63), (37, 50), (63, 50), (57, 44), (43, 43), (50, 30)] {
            XCTAssertEqual(m[x: x, y: y], 0, "(\(x), \(y)) has L1 distance >= 13")
        }
    }

    /// Same rectangle as the shrink test on a larger page, (20, 20)-(120, 60): D = 12.
    /// threshold = 0.3 + 0.4 (1 - min(1, d / 12)) with d the distance to the nearest edge:
    /// on an edge 0.7; 1 px inside 0.3 + 0.4 * 11/12; 6 px in or out 0.5; 20 px in (the middle)
    /// 0.3; outside the grown polygon's box 0.3. Outside a corner the distance is to the corner:
    /// (17, 17) is sqrt(18) from (20, 20). The mask is the grown polygon: [8, 132] x [8, 72]
    /// with round corners of radius 12.
    func testThresholdMapOfARectangle() throws {
        let m = try BorderMapBuilder()([rect(20, 20, 120, 60)], width: 140, height: 100)
        let expected: [((Int, Int), Double)] = [
            ((20, 40), 0.7), ((70, 20), 0.7), ((120, 50), 0.7),
            ((21, 40), 0.3 + 0.4 * 11 / 12), ((70, 26), 0.5), ((70, 14), 0.5), ((14, 40), 0.5), ((126, 40), 0.5),
            ((70, 40), 0.3), ((5, 40), 0.3), ((9, 9), 0.3),
            ((17, 17), 0.3 + 0.4 * (1 - 18.0.squareRoot() / 12)),
        ]
        for ((x, y), v) in expected { XCTAssertEqual(Double(m[x: x, y: y]), v, accuracy: 1e-5, "(\(x), \(y))") }
        for (x, y) in [(8, 40), (132, 40), (70, 8), (70, 72), (20, 40), (70, 40)] { XCTAssertEqual(m.mask(x: x, y: y), 1, "(\(x), \(y))") }
        for (x, y) in [(7, 40), (133, 40), (70, 7), (70, 73), (9, 9), (131, 71)] { XCTAssertEqual(m.mask(x: x, y: y), 0, "(\(x), \(y))") }
    }

    /// The diamond again: on an edge 0.7; L1 distance 24 or 16 is 4 / sqrt 2 from the edge,
    /// 0.3 + 0.4 (1 - 2.828 / 5.94); the centre (14.1 from every edge) 0.3.
    func testThresholdMapOfARotatedSquare() throws {
        let diamond = TextRegion(transcription: "x", polygon: Polygon([(50, 30), (70, 50), (50, 70), (30, 50)]))
        let d = diamond.polygon.shrinkDistance(ratio: 0.4)
        let m = try BorderMapBuilder()([diamond], width: 100, height: 100)
        let near = 0.3 + 0.4 * (1 - (4 / 2.0.squareRoot()) / d)
        let expected: [((Int, Int), Double)] = [
            ((40, 40), 0.7), ((60, 40), 0.7), ((50, 30), 0.7), ((38, 38), near), ((42, 42), near), ((62, 62), near),
            ((50, 50), 0.3), ((45, 45), 0.3),
        ]
        for ((x, y), v) in expected { XCTAssertEqual(Double(m[x: x, y: y]), v, accuracy: 1e-5, "(\(x), \(y))") }
    }

    /// A don't-care region and one lower than min_text_size are masked out of the shrink mask
    /// and left out of both maps; the threshold map ignores the don't-care one only (PaddleOCR).
    func testDontCareAndTooSmallRegionsAreMaskedOut() throws {
        let care = rect(10, 10, 60, 40), dontCare = rect(70, 10, 120, 40, "###"), thin = rect(10, 60, 60, 65)
        let s = try ShrinkMapBuilder()([care, dontCare, thin], width: 130, height: 80)
        XCTAssertEqual(s[x: 35, y: 25], 1)
        XCTAssertEqual(s.mask(x: 35, y: 25), 1)
        XCTAssertEqual(s[x: 95, y: 25], 0, "don't-care text is not a target")
        XCTAssertEqual(s.mask(x: 95, y: 25), 0, "and is not learnt as background either")
        XCTAssertEqual(s.mask(x: 70, y: 10), 0)
        XCTAssertEqual(s[x: 35, y: 62], 0)
        XCTAssertEqual(s.mask(x: 35, y: 62), 0, "5 px high < min_text_size 8")
        XCTAssertEqual(s.mask(x: 65, y: 50), 1)
        let b = try BorderMapBuilder()([care, dontCare], width: 130, height: 80)
        XCTAssertEqual(b.mask(x: 95, y: 25), 0)
        XCTAssertEqual(b[x: 70, y: 25], 0.3, accuracy: 1e-6, "no border drawn around don't-care text")
        XCTAssertEqual(b[x: 10, y: 25], 0.7, accuracy: 1e-6)
    }

    /// PaddleOCR's distance uses the angle the pixel sees the edge under; straight out in front
    /// of a short edge (angle < 90 degrees) it takes the nearer endpoint, not the perpendicular.
    func testBorderDistanceFollowsPaddleOCRsFormula() {
        let (a, b) = (Point(0, 0), Point(10, 0))
        XCTAssertEqual(BorderMapBuilder.distance(Point(5, 3), a, b), 3, accuracy: 1e-12)
        XCTAssertEqual(BorderMapBuilder.distance(Point(-3, 4), a, b), 5, accuracy: 1e-12)
        XCTAssertEqual(BorderMapBuilder.distance(Point(0, 0), a, b), 0)
        XCTAssertEqual(BorderMapBuilder.distance(Point(5, 6), a, b), 61.0.squareRoot(), accuracy: 1e-12,
                       "angle APB < 90 degrees: the endpoint distance, as in PaddleOCR")
    }
}
