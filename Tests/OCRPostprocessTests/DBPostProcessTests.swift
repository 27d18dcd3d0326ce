import Foundation
import Imaging
import OCRCore
@testable import OCRPostprocess

import XCTest

/// DB box extraction on maps drawn with known boxes: the boxes come back (IoU printed and
/// checked), low-scoring and tiny regions are dropped, coordinates are rescaled to the source.
final class DBPostProcessTests: XCTestCase {
    /// What is drawn: the region each box's kernel covers and the probability inside it.
    struct Drawn {
        var box: Polygon
        var probability: Float
        var kept: Bool
    }

    /// 640 x 440 map: two axis-aligned boxes, one turned 30 degrees and one 15 degrees the
    /// other way (all kept), one scoring 0.5 (< box_thresh 0.6) and one 3 x 2 pixel speck. The
    /// turned boxes are large: their kernels' pixel staircase makes the measured kernel about a
    /// pixel wider, which unclip about doubles, so a small turned box cannot reach IoU 0.95;
    /// the kernels are rounded to whole pixels when drawn, which costs small boxes the same way.
    func drawnPage() throws -> (SyntheticMap, [Drawn]) {
        var map = SyntheticMap(width: 640, height: 440)
        let drawn = [
            Drawn(box: rotatedBox(cx: 80, cy: 30, w: 120, h: 40), probability: 0.9, kept: true),
            Drawn(box: rotatedBox(cx: 560, cy: 50, w: 60, h: 60), probability: 0.8, kept: true),
            Drawn(box: rotatedBox(cx: 170, cy: 190, w: 240, h: 72, degrees: 30), probability: 0.95, kept: true),
            Drawn(box: rotatedBox(cx: 480, cy: 230, w: 240, h: 80, degrees: -15), probability: 0.85, kept: true),
            Drawn(box: rotatedBox(cx: 320, cy: 370, w: 160, h: 50), probability: 0.5, kept: false),
            Drawn(box: Polygon([(20, 420), (22, 420), (22, 421), (20, 421)]), probability: 0.9, kept: false),
        ]
        for d in drawn {
            // The speck is drawn as it is; the others as the kernel unclip 1.5 grows back to the box.
            let margin = d.box.area < 10 ? 0 : restoringMargin(w: d.box.points[0].distance(to: d.box.points[1]),
                                                                 h: d.box.points[1].distance(to: d.box.points[2]), unclipRatio: 1.5)
            let kernel = margin == 0 ? d.box : shrink(d.box, by: margin)
            try map.fill(kernel, probability: d.probability)
        }
        return (map, drawn)
    }

    /// The rectangle `p` (4 points in order) with every side moved inwards by `d`.
    func shrink(_ p: Polygon, by d: Double) -> Polygon {
        let c = Point(p.points.map(\.x).reduce(0, +) / 4, p.points.map(\.y).reduce(0, +) / 4)
        let u = (p.points[1] - p.points[0]) * (1 / p.points[0].distance(to: p.points[1]))
        let v = (p.points[3] - p.points[0]) * (1 / p.points[0].distance(to: p.points[3]))
        let hw = p.points[0].distance(to: p.points[1]) / 2 - d, hh = p.points[0].distance(to: p.points[3]) / 2 - d
        return Polygon([c - u * hw - v * hh, c + u * hw - v * hh, c + u * hw + v * hh, c - u * hw + v * hh])
    }

    /// For each expected box the found box with the highest IoU, its IoU and score.
    func match(_ found: [DetectedText], _ expected: [Polygon]) -> [(iou: Double, score: Double)] {
        expected.map { e in
            found.map { (e.iou(with: $0.polygon), $0.score) }.max { $0.0 < $1.0 } ?? (0, 0)
        }
    }

    func testDrawnBoxesComeBackAndWeakOrTinyOnesDoNot() throws {
        let (map, drawn) = try drawnPage()
        let found = try DBPostProcess().boxes(probability: map.values, width: 640, height: 440, sourceWidth: 640, sourceHeight: 440)
        let kept = drawn.filter(\.kept)
        XCTAssertEqual(found.count, kept.count, "\(found)")
        for (d, m) in zip(kept, match(found, kept.map(\.box))) {
            print("drawn \(d.box.points[0]) p \(d.probability): IoU \(String(format: "%.4f", m.iou)) (limit 0.95), score \(m.score)")
            XCTAssertGreaterThanOrEqual(m.iou, 0.95)
            // The fast score averages the min-area box, which takes in some background along a
            // turned kernel's staircase edges.
            XCTAssertEqual(m.score, Double(d.probability), accuracy: d.box.points[0].y == d.box.points[1].y ? 1e-6 : 0.05)
        }
        for f in found {
            XCTAssertEqual(f.polygon.points.count, 4)
            // PaddleOCR's corner order: TL, TR, BR, BL - clockwise on screen, positive signed area.
            XCTAssertGreaterThan(f.polygon.signedArea, 0)
            XCTAssertTrue(f.polygon.points.allSatisfy { $0.x == $0.x.rounded() && $0.y == $0.y.rounded() }, "whole pixels")
        }
        // Lowering box_thresh below 0.5 brings the weak box back; the speck stays out (min_size).
        let lenient = try DBPostProcess(.init(boxThresh: 0.4)).boxes(probability: map.values, width: 640, height: 440,
                                                                     sourceWidth: 640, sourceHeight: 440)
        XCTAssertEqual(lenient.count, kept.count + 1)
        XCTAssertGreaterThanOrEqual(match(lenient, [drawn[4].box])[0].iou, 0.95)
    }

    /// A map equal to DB's training label (the box shrunk by D = A (1 - 0.4^2) / L, the same
    /// Clipper offset label making uses): unclip 1.5 restores a square, but an elongated box
    /// comes back thinner - D is about 0.42 h for long lines, so the kernel keeps 16% of the
    /// height and unclip adds back only 0.24 h. A trained model's map, blurred past its label, is
    /// what makes PaddleOCR's 0.4 / 1.5 pair work on text lines.
    func testDBLabelKernelRestoresSquaresButNotLongLines() throws {
        func restoredIoU(_ box: Polygon) throws -> Double {
            let kernel = try XCTUnwrap(box.offset(by: -box.shrinkDistance(ratio: 0.4)).first)
            var map = SyntheticMap(width: 300, height: 200)
            try map.fill(kernel, probability: 0.9)
            let found = try DBPostProcess().boxes(probability: map.values, width: 300, height: 200, sourceWidth: 300, sourceHeight: 200)
            return match(found, [box])[0].iou
        }
        let square = try restoredIoU(rotatedBox(cx: 150, cy: 100, w: 100, h: 100))
        let line = try restoredIoU(rotatedBox(cx: 150, cy: 100, w: 200, h: 40))
        print("DB label kernel (shrink 0.4) after unclip 1.5: IoU square \(square), 200x40 line \(line)")
        XCTAssertGreaterThanOrEqual(square, 0.95)
        XCTAssertEqual(line, 0.68, accuracy: 0.05)
    }

    func testSlowScoreAgreesOnSolidRegions() throws {
        let (map, drawn) = try drawnPage()
        let found = try DBPostProcess(.init(scoreMode: .slow)).boxes(probability: map.values, width: 640, height: 440,
                                                                    sourceWidth: 640, sourceHeight: 440)
        let kept = drawn.filter(\.kept)
        XCTAssertEqual(found.count, kept.count)
        for (d, m) in zip(kept, match(found, kept.map(\.box))) {
            XCTAssertGreaterThanOrEqual(m.iou, 0.95)
            // Inside the contour every pixel has the drawn probability.
            XCTAssertEqual(m.score, Double(d.probability), accuracy: 1e-6)
        }
    }

    func testBoxesAreRescaledToTheSourceImage() throws {
        let (map, drawn) = try drawnPage()
        // The map was computed from a 1280 x 1320 page resized to 640 x 440.
        let found = try DBPostProcess().boxes(probability: map.values, width: 640, height: 440, sourceWidth: 1280, sourceHeight: 1320)
        let kept = drawn.filter(\.kept).map { Polygon($0.box.points.map { Point($0.x * 2, $0.y * 3) }) }
        XCTAssertEqual(found.count, kept.count)
        for m in match(found, kept) { XCTAssertGreaterThanOrEqual(m.iou, 0.95) }
        // Clipped to [0, size]: a region touching the map's corner stays inside the page.
        var edge = SyntheticMap(width: 100, height: 80)
        try edge.fill(Polygon([(0, 0), (40, 0), (40, 20), (0, 20)]), probability: 0.9)
        let clipped = try DBPostProcess().boxes(probability: edge.values, width: 100, height: 80, sourceWidth: 50, sourceHeight: 40)
        XCTAssertEqual(clipped.count, 1)
        let b = try XCTUnwrap(clipped.first?.polygon.boundingBox)
        XCTAssertEqual([b.minX, b.minY], [0, 0])
        XCTAssertLessThanOrEqual(b.maxX, 50)
        XCTAssertLessThanOrEqual(b.maxY, 40)
    }

    func testMaxCandidatesLimitsTheContoursLookedAt() throws {
        var map = SyntheticMap(width: 200, height: 200)
        for i in 0..<4 { try map.fill(rotatedBox(cx: 100, cy: 25 + Double(i) * 48, w: 120, h: 20), probability: 0.9) }
        let all = try DBPostProcess().boxes(probability: map.values, width: 200, height: 200, sourceWidth: 200, sourceHeight: 200)
        XCTAssertEqual(all.count, 4)
        let two = try DBPostProcess(.init(maxCandidates: 2)).boxes(probability: map.values, width: 200, height: 200,
                                                                   sourceWidth: 200, sourceHeight: 200)
        XCTAssertEqual(two, Array(all.prefix(2)), "the first two contours in OpenCV's order")
    }

    func testEmptyAndSaturatedMaps() throws {
        let db = DBPostProcess()
        XCTAssertEqual(try db.boxes(probability: [Float](repeating: 0, count: 64 * 48), width: 64, height: 48,
                                    sourceWidth: 640, sourceHeight: 480), [])
        XCTAssertEqual(try db.boxes(probability: [Float](repeating: 0.3, count: 64 * 48), width: 64, height: 48,
                                    sourceWidth: 640, sourceHeight: 480), [], "thresh is strict: > 0.3")
        // Everything text: one box, the whole page.
        let full = try db.boxes(probability: [Float](repeating: 1, count: 64 * 48), width: 64, height: 48,
                                sourceWidth: 640, sourceHeight: 480)
        XCTAssertEqual(full.count, 1)
        XCTAssertEqual(full.first?.polygon.boundingBox, BoundingBox(minX: 0, minY: 0, maxX: 640, maxY: 480))
    }

    func testDilationJoinsAOnePixelGap() throws {
        var map = SyntheticMap(width: 120, height: 60)
        try map.fill(Polygon([(10, 20), (49, 20), (49, 40), (10, 40)]), probability: 0.9)
        try map.fill(Polygon([(51, 20), (100, 20), (100, 40), (51, 40)]), probability: 0.9)
        let plain = try DBPostProcess().boxes(probability: map.values, width: 120, height: 60, sourceWidth: 120, sourceHeight: 60)
        let dilated = try DBPostProcess(.init(useDilation: true)).boxes(probability: map.values, width: 120, height: 60,
                                                                       sourceWidth: 120, sourceHeight: 60)
        XCTAssertEqual(plain.count, 2)
        XCTAssertEqual(dilated.count, 1)
    }

    func testPolyModeFollowsTheRegionOutline() throws {
        // An L-shaped region: a quad box would cover the empty corner, the polygon does not.
        var map = SyntheticMap(width: 200, height: 200)
        let l = Polygon([(40, 40), (160, 40), (160, 80), (80, 80), (80, 160), (40, 160)])
        try map.fill(l, probability: 0.9)
        let poly = try DBPostProcess(.init(boxType: .poly)).boxes(probability: map.values, width: 200, height: 200,
                                                                  sourceWidth: 200, sourceHeight: 200)
        XCTAssertEqual(poly.count, 1)
        let p = try XCTUnwrap(poly.first?.polygon)
        XCTAssertGreaterThan(p.points.count, 6, "round joins around the corners")
        XCTAssertFalse(p.contains(Point(140, 140)), "the empty corner of the L")
        XCTAssertTrue(p.contains(Point(60, 150)) && p.contains(Point(150, 60)))
        XCTAssertEqual(poly[0].score, 0.9, accuracy: 0.02)
        // The unclipped outline contains the region and is about unclip distance wider.
        let d = l.unclipDistance(ratio: 1.5)
        print("poly: L area \(l.area), result area \(p.area), unclip distance \(d)")
        XCTAssertEqual(p.intersectionArea(with: l), l.area, accuracy: l.area * 0.01)
        XCTAssertEqual(p.area, l.area + l.perimeter * d + Double.pi * d * d, accuracy: l.area * 0.05)
    }

    func testApproximationKeepsEveryPointWithinEpsilon() {
        // A dense circle of radius 50: every contour point within epsilon of the simplified outline.
        let circle = (0..<360).map { i -> Point2i in
            let a = Double(i) * .pi / 180
            return Point2i(x: Int((100 + 50 * cos(a)).rounded()), y: Int((100 + 50 * sin(a)).rounded()))
        }
        let eps = 1.5
        let approx = PolygonApproximation.closed(circle, epsilon: eps)
        XCTAssertLessThan(approx.count, 40)
        XCTAssertGreaterThan(approx.count, 8)
        XCTAssertTrue(approx.allSatisfy(circle.contains), "vertices are contour points")
        let poly = approx.map { Point(Double($0.x), Double($0.y)) }
        for q in circle {
            let p = Point(Double(q.x), Double(q.y))
            let dist = poly.indices.map { segmentDistance(p, poly[$0], poly[($0 + 1) % poly.count]) }.min()!
            XCTAssertLessThanOrEqual(dist, eps + 1e-9, "\(q)")
        }
        // A rectangle's four corners stay as they are.
        let rect = [Point2i(0, 0), Point2i(10, 0), Point2i(10, 5), Point2i(0, 5)]
        XCTAssertEqual(Set(PolygonApproximation.closed(rect, epsilon: 0.1)), Set(rect))
    }

    func segmentDistance(_ p: Point, _ a: Point, _ b: Point) -> Double {
        let d = b - a, len2 = d.dot(d)
        let t = len2 == 0 ? 0 : min(max((p - a).dot(d) / len2, 0), 1)
        return p.distance(to: a + d * t)
    }

    func testBadInputIsAnErrorNamingIt() throws {
        XCTAssertThrowsError(try DBPostProcess().boxes(probability: [0, 0, 0], width: 2, height: 2, sourceWidth: 2, sourceHeight: 2)) {
            XCTAssertTrue("\($0)".contains("2x2 map needs 4 probabilities, got 3"), "\($0)")
        }
        XCTAssertThrowsError(try DBPostProcess().boxes(probability: [0], width: 1, height: 1, sourceWidth: 0, sourceHeight: 2)) {
            XCTAssertTrue("\($0)".contains("0x2"), "\($0)")
        }
        XCTAssertThrowsError(try DBPostProcess(.init(unclipRatio: 0)).boxes(probability: [0], width: 1, height: 1,
                                                                           sourceWidth: 1, sourceHeight: 1)) {
            XCTAssertTrue("\($0)".contains("unclip_ratio"), "\($0)")
        }
    }

    /// The cost per page: a 960 x 960 map (PP-OCR's det input) with 60 text lines.
    func testSpeedOn960Map() throws {
        var map = SyntheticMap(width: 960, height: 960)
        for i in 0..<60 {
            try map.fill(rotatedBox(cx: 240 + Double(i % 2) * 480, cy: 20 + Double(i / 2) * 31, w: 400, h: 12, degrees: Double(i % 5) - 2),
                         probability: 0.9)
        }
        let db = DBPostProcess()
        var found = [DetectedText]()
        let t0 = Date()
        for _ in 0..<5 { found = try db.boxes(probability: map.values, width: 960, height: 960, sourceWidth: 1920, sourceHeight: 1920) }
        let ms = Date().timeIntervalSince(t0) * 1000 / 5
        print("DB post-processing, 960x960 map, \(found.count) boxes: \(String(format: "%.1f", ms)) ms per map (this build, shared machine)")
        XCTAssertEqual(found.count, 60)
    }
}
