import XCTest
@testable import OCRCore

final class PolygonOffsetTests: XCTestCase {
    let square = Polygon([(0, 0), (100, 0), (100, 40), (0, 40)])

    func testShrinkRectangleByDBDistance() throws {
        // A 100x40 box, r = 0.4: D = 4000 * (1 - 0.16) / 280 = 12.
        let d = square.shrinkDistance(ratio: 0.4)
        XCTAssertEqual(d, 12, accuracy: 1e-9)
        let shrunk = try square.offset(by: -d)
        XCTAssertEqual(shrunk.count, 1)
        let box = try XCTUnwrap(shrunk[0].boundingBox)
        XCTAssertEqual(box.minX, 12, accuracy: 1e-9)
        XCTAssertEqual(box.maxX, 88, accuracy: 1e-9)
        XCTAssertEqual(box.minY, 12, accuracy: 1e-9)
        XCTAssertEqual(box.maxY, 28, accuracy: 1e-9)
        XCTAssertEqual(shrunk[0].area, 76 * 16, accuracy: 1e-9)
    }

    func testUnclipGrowsWithRoundCorners() throws {
        // Unclip 1.5: D = 4000 * 1.5 / 280 = 21.43; round joins add the quarter circles.
        let d = square.unclipDistance(ratio: 1.5)
        let grown = try square.offset(by: d, scale: 16)
        XCTAssertEqual(grown.count, 1)
        let expected = 4000 + 280 * d + Double.pi * d * d
        XCTAssertEqual(grown[0].area, expected, accuracy: expected * 0.01)
    }

    func testShrinkAwayGivesNothingAndBadInputThrows() throws {
        XCTAssertEqual(try square.offset(by: -30), [])
        XCTAssertThrowsError(try Polygon([(0, 0), (1, 1)]).offset(by: 1)) { error in
            XCTAssertTrue("\(error)".contains("at least 3 points"), "\(error)")
        }
        XCTAssertThrowsError(try square.offset(by: .nan))
    }
}
