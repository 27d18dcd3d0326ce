/// Low-level predicates shared by `Polygon` operations.
enum Geometry {
    /// Distance below which coordinates count as equal: relative to the polygon's scale, so
    /// pixel-sized and normalised (0...1) coordinates both work.
    static func tolerance(for points: [Point]) -> Double {
        let scale = points.reduce(1.0) { max($0, abs($1.x), abs($1.y)) }
        return scale * 1e-9
    }

    /// Where a point lies relative to a polygon.
    enum Location: Equatable {
        case inside, outside
        /// On the boundary, on the edge from `points[edge]` to the next vertex.
        case boundary(edge: Int)
    }

    /// Point location by even-odd ray casting, boundary checked first.
    static func locate(_ p: Point, in poly: [Point], tolerance tol: Double) -> Location {
        let n = poly.count
        guard n >= 3 else { return .outside }
        for i in 0..<n where distance(p, toSegment: poly[i], poly[(i + 1) % n]) <= tol {
            return .boundary(edge: i)
        }
        var inside = false
        var j = n - 1
        for i in 0..<n {
            let a = poly[i], b = poly[j]
            if (a.y > p.y) != (b.y > p.y) {
                let x = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y)
                if p.x < x { inside.toggle() }
            }
            j = i
        }
        return inside ? .inside : .outside
    }

    static func distance(_ p: Point, toSegment a: Point, _ b: Point) -> Double {
        let d = b - a
        let len2 = d.dot(d)
        guard len2 > 0 else { return p.distance(to: a) }
        let t = min(max((p - a).dot(d) / len2, 0), 1)
        return p.distance(to: a + d * t)
    }

    /// Whether closed segments ab and cd share any point (within tolerance).
    static func segmentsTouch(_ a: Point, _ b: Point, _ c: Point, _ d: Point, tolerance tol: Double) -> Bool {
        if distance(a, toSegment: c, d) <= tol || distance(b, toSegment: c, d) <= tol
            || distance(c, toSegment: a, b) <= tol || distance(d, toSegment: a, b) <= tol { return true }
        let r = b - a, s = d - c
        let denom = r.cross(s)
        guard denom != 0 else { return false }
        let t = (c - a).cross(s) / denom, u = (c - a).cross(r) / denom
        return t > 0 && t < 1 && u > 0 && u < 1
    }
}
