import Foundation
import Imaging
import OCRCore
import OCRPostprocess
import XCTest

/// Parity with PaddleOCR's DB post-processing: Fixtures/make_db_reference.py runs PaddleOCR's
/// algorithm (OpenCV 4.6, pyclipper, shapely) on Fixtures/db_map.png - blurred, noisy blobs:
/// straight and turned lines, a weak one, a curved band, a ring with a hole, a speck - for quad
/// (fast and slow score), poly, dilation, max_candidates and rescaling. The same boxes must
/// come back, pixel for pixel, with the same scores.
final class DBPostProcessParityTests: XCTestCase {
    struct Reference: Decodable {
        struct Case: Decodable {
            var name: String
            var options: DBPostProcessOptions
            var source_width: Int
            var source_height: Int
            var boxes: [Box]
        }
        struct Box: Decodable {
            var points: [[Int]]
            var score: Double
        }
        var cases: [Case]
    }

    func testMatchesPaddleOCRsPostProcessing() throws {
        let dir = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: dir.appendingPathComponent("db_reference.json")))
        let png = try Image(contentsOf: dir.appendingPathComponent("db_map.png").path, mode: .gray)
        // As the script reads it: uint8 / 255 in float32.
        let map = png.pixels.map { Float($0) / 255 }
        var compared = 0
        for c in reference.cases {
            let found = try DBPostProcess(c.options).boxes(probability: map, width: png.width, height: png.height,
                                                           sourceWidth: c.source_width, sourceHeight: c.source_height)
            XCTAssertEqual(found.count, c.boxes.count, "\(c.name): \(found.map(\.polygon))")
            var maxScoreDiff = 0.0
            for (f, r) in zip(found, c.boxes) {
                let expected = r.points.map { Point(Double($0[0]), Double($0[1])) }
                XCTAssertEqual(f.polygon.points, expected, "\(c.name)")
                maxScoreDiff = max(maxScoreDiff, abs(f.score - r.score))
                compared += 1
            }
            print("\(c.name): \(found.count) boxes, max |score diff| = \(maxScoreDiff) (limit 1e-6)")
            XCTAssertLessThanOrEqual(maxScoreDiff, 1e-6, c.name)
        }
        XCTAssertGreaterThanOrEqual(compared, 15)
    }
}
