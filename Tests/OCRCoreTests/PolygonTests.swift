import Foundation
import XCTest
@testable import OCRCore

final class PolygonTests: XCTestCase {
    func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Polygon {
        Polygon([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])   // TL, TR, BR, BL
    }

    func testAreaPerimeterAndOrientation() {
        let sq = rect(0, 0, 1, 1)
        XCTAssertEqual(sq.area, 1)
        XCTAssertEqual(sq.signedArea, 1)                       // TL,TR,BR,BL is positive
        XCTAssertEqual(Polygon(sq.points.reversed()).signedArea, -1)
        XCTAssertEqual(sq.perimeter, 4)
        let tri = Polygon([(0, 0), (4, 0), (0, 3)])
        XCTAssertEqual(tri.area, 6)                            // 4*3/2
        XCTAssertEqual(tri.perimeter, 12)                      // 3-4-5
        XCTAssertEqual(Polygon([(0, 0), (1, 1)]).area, 0)
        XCTAssertEqual(tri.boundingBox, BoundingBox(minX: 0, minY: 0, maxX: 4, maxY: 3))
    }

    func testIntersectionOfAxisAlignedSquares() {
        let a = rect(0, 0, 2, 2), b = rect(1, 0, 3, 2)
        XCTAssertEqual(a.intersectionArea(with: b), 2, accuracy: 1e-12)
        XCTAssertEqual(a.iou(with: b), 2.0 / 6, accuracy: 1e-12)   // 2 / (4 + 4 - 2)
        XCTAssertEqual(a.iou(with: a), 1, accuracy: 1e-12)
        XCTAssertEqual(a.intersectionArea(with: rect(2, 0, 4, 2)), 0, accuracy: 1e-12)   // shared edge only
        XCTAssertEqual(a.intersectionArea(with: rect(2, 2, 4, 4)), 0, accuracy: 1e-12)   // shared corner only
        XCTAssertEqual(a.intersectionArea(with: rect(5, 5, 6, 6)), 0)
        XCTAssertEqual(rect(0, 0, 1, 1).intersectionArea(with: a), 1, accuracy: 1e-12)    // inside, sharing two edges
        XCTAssertEqual(rect(0.5, 0.5, 1, 1).intersectionArea(with: a), 0.25, accuracy: 1e-12)
    }

    func testRotatedSquareIntersection() {
        // Diamond |x-1|+|y-1| <= 1 (area 2) against the square [0,2]^2: fully inside.
        let diamond = Polygon([(1, 0), (2, 1), (1, 2), (0, 1)])
        XCTAssertEqual(diamond.area, 2)
        XCTAssertEqual(diamond.intersectionArea(with: rect(0, 0, 2, 2)), 2, accuracy: 1e-12)
        // Against [1,2]x[0,2]: the right half, area 1.
        XCTAssertEqual(diamond.intersectionArea(with: rect(1, 0, 2, 2)), 1, accuracy: 1e-12)
        // Against [0,1]^2: one quarter triangle, area 0.5.
        XCTAssertEqual(diamond.intersectionArea(with: rect(0, 0, 1, 1)), 0.5, accuracy: 1e-12)
    }

    func testNonConvexIntersection() {
        // L-shape = [0,2]x[0,1] ∪ [0,1]x[1,2], area 3.
        let l = Polygon([(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)])
        XCTAssertEqual(l.area, 3)
        // ∩ [0.5,2.5]^2 = [0.5,2]x[0.5,1] (0.75) + [0.5,1]x[1,2] (0.5) = 1.25.
        let s = rect(0.5, 0.5, 2.5, 2.5)
        XCTAssertEqual(l.intersectionArea(with: s), 1.25, accuracy: 1e-12)
        XCTAssertEqual(s.intersectionArea(with: l), 1.25, accuracy: 1e-12)
        XCTAssertEqual(Polygon(l.points.reversed()).intersectionArea(with: s), 1.25, accuracy: 1e-12)
        // Sutherland-Hodgman with the L as clip polygon would wrongly fill the notch [1,2]x[1,2]:
        // a square exactly in the notch must give 0.
        XCTAssertEqual(l.intersectionArea(with: rect(1, 1, 2, 2)), 0, accuracy: 1e-12)
    }

    func testIntersectionWithTwoSeparatePieces() {
        // U = [0,3]^2 minus the slot [1,2]x[1,3]; area 9 - 2 = 7.
        let u = Polygon([(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3)])
        XCTAssertEqual(u.area, 7)
        // A bar across both arms at y in [2, 2.5]: pieces [0,1] and [2,3], each 1 x 0.5.
        let bar = rect(-1, 2, 4, 2.5)
        XCTAssertEqual(u.intersectionArea(with: bar), 1.0, accuracy: 1e-12)
        XCTAssertEqual(u.iou(with: bar), 1.0 / (7 + 2.5 - 1), accuracy: 1e-12)
    }

    func testCollinearOverlappingEdges() {
        // Share the lines y=0 and y=1 over x in [1,2].
        let a = rect(0, 0, 2, 1), b = rect(1, 0, 3, 1)
        XCTAssertEqual(a.intersectionArea(with: b), 1, accuracy: 1e-12)
        XCTAssertEqual(Polygon(a.points.reversed()).intersectionArea(with: b), 1, accuracy: 1e-12)
    }

    /// Random convex pairs against Sutherland-Hodgman (exact for a convex clip polygon).
    func testRandomConvexPairsMatchSutherlandHodgman() {
        var rng = SplitMix64(seed: 42)
        var worst = 0.0
        for _ in 0..<300 {
            let a = convexHull(randomPoints(8, &rng)), b = convexHull(randomPoints(8, &rng))
            let expected = polygonArea(sutherlandHodgman(subject: a.points, clip: b.points))
            let diff = abs(a.intersectionArea(with: b) - expected)
            worst = max(worst, diff)
            XCTAssertEqual(a.intersectionArea(with: b), b.intersectionArea(with: a), accuracy: 1e-9)
        }
        print("convex intersection: max |diff| = \(worst) (limit 1e-9)")
        XCTAssertLessThan(worst, 1e-9)
    }

    /// Random star-shaped (generally non-convex) pairs against an exact oracle: each polygon is
    /// the disjoint union of its fan triangles from the star centre, so the intersection area is
    /// the sum of convex triangle-triangle intersections.
    func testRandomStarShapedPairsMatchTriangleDecomposition() {
        var rng = SplitMix64(seed: 9)
        var worst = 0.0
        for _ in 0..<150 {
            let (a, ca) = star(&rng), (b, cb) = star(&rng)
            var expected = 0.0
            for ta in fan(a, ca) { for tb in fan(b, cb) { expected += polygonArea(sutherlandHodgman(subject: ta, clip: tb)) } }
            worst = max(worst, abs(a.intersectionArea(with: b) - expected))
        }
        print("non-convex intersection: max |diff| = \(worst) (limit 1e-9)")
        XCTAssertLessThan(worst, 1e-9)
    }

    /// Small integer grids make shared edges, collinear overlaps and vertices on edges common -
    /// the degenerate cases where boundary handling matters.
    func testDegenerateGridCasesMatchExactAnswers() {
        var rng = SplitMix64(seed: 3)
        var worst = 0.0
        for _ in 0..<400 {
            func r() -> Double { Double(Int.random(in: 0...4, using: &rng)) }
            var (x0, x1, y0, y1) = (r(), r(), r(), r())
            if x0 == x1 || y0 == y1 { continue }
            if x0 > x1 { swap(&x0, &x1) }; if y0 > y1 { swap(&y0, &y1) }
            var (u0, u1, v0, v1) = (r(), r(), r(), r())
            if u0 == u1 || v0 == v1 { continue }
            if u0 > u1 { swap(&u0, &u1) }; if v0 > v1 { swap(&v0, &v1) }
            let a = rect(x0, y0, x1, y1), b = rect(u0, v0, u1, v1)
            let expected = a.boundingBox!.intersection(b.boundingBox!)?.area ?? 0
            worst = max(worst, abs(a.intersectionArea(with: b) - expected))
        }
        for _ in 0..<400 {
            let t1 = (0..<3).map { _ in Point(Double(Int.random(in: 0...3, using: &rng)), Double(Int.random(in: 0...3, using: &rng))) }
            let t2 = (0..<3).map { _ in Point(Double(Int.random(in: 0...3, using: &rng)), Double(Int.random(in: 0...3, using: &rng))) }
            guard polygonArea(t1) > 0, polygonArea(t2) > 0 else { continue }
            let expected = polygonArea(sutherlandHodgman(subject: t1, clip: t2))
            worst = max(worst, abs(Polygon(t1).intersectionArea(with: Polygon(t2)) - expected))
        }
        print("degenerate grid intersection: max |diff| = \(worst) (limit 1e-9)")
        XCTAssertLessThan(worst, 1e-9)
    }

    func testValidity() {
        XCTAssertTrue(rect(0, 0, 1, 1).isValid)
        XCTAssertFalse(Polygon([(0, 0), (1, 1), (1, 0), (0, 1)]).isValid)         // bow-tie
        XCTAssertFalse(Polygon([(0, 0), (1, 1), (2, 2)]).isValid)                 // collinear, zero area
        XCTAssertFalse(Polygon([(0, 0), (1, 1)]).isValid)
        XCTAssertFalse(Polygon([(0, 0), (.nan, 0), (1, 1)]).isValid)
        XCTAssertTrue(Polygon([(0, 0), (1, 0), (1, 0), (1, 1), (0, 1), (0, 0)]).isValid)   // repeated points, as shapely
        XCTAssertFalse(Polygon([(0, 0), (2, 0), (2, 2), (1, 0.0), (0, 2)]).isValid)     // vertex touching an edge
    }

    func testContains() {
        let l = Polygon([(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)])
        XCTAssertTrue(l.contains(Point(0.5, 0.5)))
        XCTAssertTrue(l.contains(Point(2, 0.5)))        // boundary
        XCTAssertFalse(l.contains(Point(1.5, 1.5)))     // the notch
    }

    func testOrderPointsClockwiseAsPaddleOCR() {
        let shuffled = [Point(10, 5), Point(0, 0), Point(0, 5), Point(10, 0)]
        XCTAssertEqual(Polygon.orderedClockwise(shuffled), [Point(0, 0), Point(10, 0), Point(10, 5), Point(0, 5)])
        // A slightly rotated box.
        let tilted = [Point(2, 10), Point(100, 0), Point(0, 20), Point(102, 12)]
        XCTAssertEqual(Polygon.orderedClockwise(tilted), [Point(2, 10), Point(100, 0), Point(102, 12), Point(0, 20)])
        XCTAssertNil(Polygon.orderedClockwise([Point(0, 0), Point(1, 1)]))
    }

    func testOrderPointsClockwiseTieFallsBackToAngles() {
        // 45° diamond: sums tie (1,3,3,1). PaddleOCR's version returns a point twice here.
        let diamond = [Point(2, 1), Point(1, 0), Point(0, 1), Point(1, 2)]
        let ordered = Polygon.orderedClockwise(diamond)!
        XCTAssertEqual(Set(ordered), Set(diamond))
        XCTAssertEqual(ordered[0], Point(1, 0))             // smallest x+y, then smallest y
        XCTAssertEqual(ordered, [Point(1, 0), Point(2, 1), Point(1, 2), Point(0, 1)])
        XCTAssertGreaterThan(Polygon(ordered).signedArea, 0)   // clockwise on screen
    }

    func testClampToImage() {
        let p = Polygon([(-5, 10), (120, -3), (130, 60), (50, 49.5)]).clamped(width: 100, height: 50)
        XCTAssertEqual(p.points, [Point(0, 10), Point(99, 0), Point(99, 49), Point(50, 49)])
    }

    func testBoundingBox() {
        let b = BoundingBox(enclosing: [Point(3, 4), Point(-1, 7), Point(2, 2)])!
        XCTAssertEqual(b, BoundingBox(minX: -1, minY: 2, maxX: 3, maxY: 7))
        XCTAssertEqual(b.width, 4); XCTAssertEqual(b.height, 5); XCTAssertEqual(b.area, 20)
        XCTAssertNil(BoundingBox(enclosing: [Point]()))
        XCTAssertEqual(b.intersection(BoundingBox(minX: 0, minY: 0, maxX: 10, maxY: 3)), BoundingBox(minX: 0, minY: 2, maxX: 3, maxY: 3))
        XCTAssertNil(b.intersection(BoundingBox(minX: 5, minY: 0, maxX: 6, maxY: 1)))
    }

    func testCodableAsPaddleOCRPointLists() throws {
        let p = try JSONDecoder().decode(Polygon.self, from: Data("[[1,2],[3.5,4],[5,6]]".utf8))
        XCTAssertEqual(p.points, [Point(1, 2), Point(3.5, 4), Point(5, 6)])
        XCTAssertEqual(String(decoding: try JSONEncoder().encode(Polygon([(1, 2), (3, 4), (5, 6)])), as: UTF8.self),
                       "[[1,2],[3,4],[5,6]]")
        XCTAssertThrowsError(try JSONDecoder().decode(Polygon.self, from: Data("[[1,2,3]]".utf8)))
    }

    // MARK: - Oracles

    func randomPoints(_ n: Int, _ rng: inout SplitMix64) -> [Point] {
        (0..<n).map { _ in Point(Double.random(in: 0...10, using: &rng), Double.random(in: 0...10, using: &rng)) }
    }

    /// Andrew's monotone chain, counter-clockwise.
    func convexHull(_ pts: [Point]) -> Polygon {
        let p = pts.sorted { ($0.x, $0.y) < ($1.x, $1.y) }
        func half(_ s: [Point]) -> [Point] {
            var h = [Point]()
            for q in s {
                while h.count >= 2 && (h[h.count - 1] - h[h.count - 2]).cross(q - h[h.count - 2]) <= 0 { h.removeLast() }
                h.append(q)
            }
            return h
        }
        let lower = half(p), upper = half(p.reversed())
        return Polygon(Array(lower.dropLast() + upper.dropLast()))
    }

    /// Star-shaped polygon around a random centre; returns it and the centre.
    func star(_ rng: inout SplitMix64) -> (Polygon, Point) {
        let c = Point(Double.random(in: 3...7, using: &rng), Double.random(in: 3...7, using: &rng))
        let n = Int.random(in: 5...12, using: &rng)
        // Jittered even spacing keeps every angular gap below pi, so the centre sees every edge.
        let angles = (0..<n).map { 2 * .pi * (Double($0) + Double.random(in: 0..<0.8, using: &rng)) / Double(n) }
        let pts = angles.map { a -> Point in
            let r = Double.random(in: 0.5...4, using: &rng)
            return Point(c.x + r * cos(a), c.y + r * sin(a))
        }
        return (Polygon(pts), c)
    }

    func fan(_ p: Polygon, _ c: Point) -> [[Point]] {
        p.points.indices.map { [c, p.points[$0], p.points[($0 + 1) % p.points.count]] }
    }

    func sutherlandHodgman(subject: [Point], clip: [Point]) -> [Point] {
        let orient: Double = polygonSignedArea(clip) >= 0 ? 1 : -1
        var output = subject
        for i in clip.indices {
            let a = clip[i], b = clip[(i + 1) % clip.count]
            let inside = { (p: Point) in orient * (b - a).cross(p - a) >= 0 }
            let input = output
            output = []
            guard !input.isEmpty else { break }
            for j in input.indices {
                let cur = input[j], prev = input[(j + input.count - 1) % input.count]
                let crossing = { () -> Point in
                    let r = cur - prev, s = b - a
                    let t = (a - prev).cross(s) / r.cross(s)
                    return prev + r * t
                }
                if inside(cur) {
                    if !inside(prev) { output.append(crossing()) }
                    output.append(cur)
                } else if inside(prev) {
                    output.append(crossing())
                }
            }
        }
        return output
    }

    func polygonSignedArea(_ p: [Point]) -> Double {
        guard p.count >= 3 else { return 0 }
        return p.indices.reduce(0) { $0 + p[$1].cross(p[($1 + 1) % p.count]) } / 2
    }
    func polygonArea(_ p: [Point]) -> Double { abs(polygonSignedArea(p)) }
}
