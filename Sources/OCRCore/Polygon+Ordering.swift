import Foundation

extension Polygon {
    /// Orders four points as top-left, top-right, bottom-right, bottom-left (clockwise on
    /// screen), following PaddleOCR's `order_points_clockwise`: TL has the smallest x+y, BR the
    /// largest; of the other two, TR has the smallest y-x and BL the largest.
    ///
    /// PaddleOCR's version can return one point twice when sums or differences tie (a square
    /// rotated 45°). Here a tie falls back to sorting by angle around the centroid, starting from
    /// the point with the smallest x+y (then smallest y), so four distinct points always come
    /// back as a permutation of the input. Returns nil unless there are exactly four points.
    public static func orderedClockwise(_ pts: [Point]) -> [Point]? {
        guard pts.count == 4 else { return nil }
        let sums = pts.map { $0.x + $0.y }
        let tl = sums.indices.min { sums[$0] < sums[$1] }!
        let br = sums.indices.max { sums[$0] < sums[$1] }!
        let rest = pts.indices.filter { $0 != tl && $0 != br }
        if tl != br && uniqueExtremes(sums, tl, br) {
            let diff = rest.map { pts[$0].y - pts[$0].x }
            if diff[0] != diff[1] {
                let (tr, bl) = diff[0] < diff[1] ? (rest[0], rest[1]) : (rest[1], rest[0])
                return [pts[tl], pts[tr], pts[br], pts[bl]]
            }
        }
        return angularOrder(pts)
    }

    /// This polygon's four points in PaddleOCR's TL, TR, BR, BL order; nil unless it has four.
    public func orderedClockwise() -> Polygon? { Polygon.orderedClockwise(points).map(Polygon.init) }

    /// Whether the smallest and largest sums are each attained once.
    private static func uniqueExtremes(_ sums: [Double], _ lo: Int, _ hi: Int) -> Bool {
        sums.filter { $0 == sums[lo] }.count == 1 && sums.filter { $0 == sums[hi] }.count == 1
    }

    /// Clockwise on screen (y down) around the centroid, starting at the smallest x+y.
    private static func angularOrder(_ pts: [Point]) -> [Point] {
        let c = Point(pts.map(\.x).reduce(0, +) / Double(pts.count), pts.map(\.y).reduce(0, +) / Double(pts.count))
        // atan2 with y down increases clockwise on screen.
        let sorted = pts.sorted { atan2($0.y - c.y, $0.x - c.x) < atan2($1.y - c.y, $1.x - c.x) }
        let start = sorted.indices.min { a, b in
            let sa = sorted[a].x + sorted[a].y, sb = sorted[b].x + sorted[b].y
            return sa != sb ? sa < sb : sorted[a].y < sorted[b].y
        }!
        return Array(sorted[start...] + sorted[..<start])
    }
}

