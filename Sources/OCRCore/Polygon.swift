/// A simple polygon (text region) given by its vertices in order; the last vertex connects back
/// to the first. Either orientation is accepted.
public struct Polygon: Hashable, Sendable, Codable, CustomStringConvertible {
    public var points: [Point]

    public init(_ points: [Point]) { self.points = points }

    /// From `[[x, y], ...]` pairs as in label files.
    public init(_ pairs: [(Double, Double)]) { points = pairs.map { Point($0.0, $0.1) } }

    // Encoded as [[x, y], ...], like PaddleOCR's "points" and the serving API's "text_region".
    public init(from decoder: Decoder) throws { points = try [Point](from: decoder) }
    public func encode(to encoder: Encoder) throws { try points.encode(to: encoder) }

    /// Shoelace signed area: positive when the vertices run counter-clockwise in a y-up frame,
    /// i.e. clockwise on screen (y down) - PaddleOCR's TL, TR, BR, BL order is positive.
    public var signedArea: Double {
        guard points.count >= 3 else { return 0 }
        var s = 0.0
        for i in points.indices { s += points[i].cross(points[(i + 1) % points.count]) }
        return s / 2
    }

    /// Enclosed area (absolute shoelace area; meaningful for simple polygons).
    public var area: Double { abs(signedArea) }

    /// Length of the closed boundary.
    public var perimeter: Double {
        guard points.count >= 2 else { return 0 }
        return points.indices.reduce(0) { $0 + points[$1].distance(to: points[($1 + 1) % points.count]) }
    }

    public var boundingBox: BoundingBox? { BoundingBox(enclosing: points) }

    /// Edges as (start, end) pairs, closing edge included.
    public var edges: [(Point, Point)] {
        points.indices.map { (points[$0], points[($0 + 1) % points.count]) }
    }

    /// At least 3 vertices, finite coordinates, non-zero area and no two non-adjacent edges
    /// touching - the cases where shapely's `is_valid` (used by PaddleOCR's DetMetric) is true.
    public var isValid: Bool {
        guard points.count >= 3, points.allSatisfy({ $0.x.isFinite && $0.y.isFinite }) else { return false }
        guard area > Geometry.tolerance(for: points) * Geometry.tolerance(for: points) else { return false }
        return isSimple
    }

    /// No edge crosses or touches a non-adjacent edge, and adjacent edges do not fold back.
    /// Repeated consecutive vertices (including a closing copy of the first) are allowed, as in
    /// shapely.
    public var isSimple: Bool {
        let tol = Geometry.tolerance(for: points)
        var v = [Point]()
        for p in points where v.last.map({ $0.distance(to: p) > tol }) ?? true { v.append(p) }
        while v.count > 1, v[0].distance(to: v[v.count - 1]) <= tol { v.removeLast() }
        let n = v.count
        guard n >= 3 else { return false }
        let e = v.indices.map { (v[$0], v[($0 + 1) % n]) }
        for i in 0..<n {
            for j in (i + 1)..<n {
                let adjacent = j == i + 1 || (i == 0 && j == n - 1)
                if adjacent {
                    // Adjacent edges share one vertex; they must not overlap along a line.
                    let shared = j == i + 1 ? e[i].1 : e[i].0
                    let a = (j == i + 1 ? e[i].0 : e[i].1) - shared
                    let b = (j == i + 1 ? e[j].1 : e[j].0) - shared
                    if abs(a.cross(b)) <= tol * max(a.length, b.length) && a.dot(b) > 0 { return false }
                } else if Geometry.segmentsTouch(e[i].0, e[i].1, e[j].0, e[j].1, tolerance: tol) {
                    return false
                }
            }
        }
        return true
    }

    /// Whether `p` is inside or on the boundary.
    public func contains(_ p: Point) -> Bool {
        Geometry.locate(p, in: points, tolerance: Geometry.tolerance(for: points)) != .outside
    }

    /// Each coordinate clamped to [0, width-1] x [0, height-1] - PaddleOCR's `clip_det_res`
    /// (without its rounding to int), so boxes never point outside the image.
    public func clamped(width: Int, height: Int) -> Polygon {
        let maxX = Double(max(width - 1, 0)), maxY = Double(max(height - 1, 0))
        return Polygon(points.map { Point(min(max($0.x, 0), maxX), min(max($0.y, 0), maxY)) })
    }

    public var description: String { "Polygon(\(points.map(\.description).joined(separator: ", ")))" }
}
