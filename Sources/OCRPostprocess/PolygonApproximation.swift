import Imaging

/// Douglas-Peucker simplification of a closed contour, following OpenCV's `approxPolyDP`
/// (closed case) step for step - where to start, the split order and the final pass that drops
/// nearly collinear points - so DB's `poly` boxes have the vertices PaddleOCR's have. Written
/// here because Imaging does not wrap approxPolyDP and only DB's poly mode needs it.
enum PolygonApproximation {
    /// The closed contour `points` simplified so no dropped point lies farther than `epsilon`
    /// from the result.
    static func closed(_ points: [Point2i], epsilon: Double) -> [Point2i] {
        let n = points.count
        guard n > 1 else { return points }
        let eps2 = epsilon * epsilon
        var out = [Point2i]()
        out.reserveCapacity(n)
        // A run of the contour from `start` to `end` (indices, wrapping).
        var stack: [(start: Int, end: Int)] = []

        // 1. Start from the point reached by jumping three times to the farthest point.
        var pos = 0, farthest = 0
        var withinEps = false
        for _ in 0..<3 {
            pos = (pos + farthest) % n
            let s = points[pos]
            var maxDist = 0.0
            farthest = 0
            for j in 1..<n {
                let q = points[(pos + j) % n]
                let dx = Double(q.x - s.x), dy = Double(q.y - s.y)
                let d = dx * dx + dy * dy
                if d > maxDist { maxDist = d; farthest = j }
            }
            withinEps = maxDist <= eps2
        }
        if withinEps {
            out.append(points[pos])
        } else {
            let start = pos % n, far = (farthest + start) % n
            stack.append((far, start))
            stack.append((start, far))
        }

        // 2. Split each run at its farthest point until every point is within epsilon.
        while let run = stack.popLast() {
            let s = points[run.start], e = points[run.end]
            var p = (run.start + 1) % n
            var keep = true
            var splitAt = run.start
            if p != run.end {
                let dx = Double(e.x - s.x), dy = Double(e.y - s.y)
                var maxDist = 0.0
                while p != run.end {
                    let q = points[p]
                    let d = abs(Double(q.y - s.y) * dx - Double(q.x - s.x) * dy)
                    if d > maxDist { maxDist = d; splitAt = p }
                    p = (p + 1) % n
                }
                keep = maxDist * maxDist <= eps2 * (dx * dx + dy * dy)
            }
            if keep {
                out.append(s)
            } else {
                stack.append((splitAt, run.end))
                stack.append((run.start, splitAt))
            }
        }
        return dropNearlyCollinear(out, eps2: eps2)
    }

    /// OpenCV's last pass: a point barely off the line through its neighbours (and between
    /// them) is removed.
    private static func dropNearlyCollinear(_ dst: [Point2i], eps2: Double) -> [Point2i] {
        var d = dst
        let count = d.count
        var newCount = count
        guard count > 2 else { return d }
        var pos = count - 1
        func read() -> Point2i { defer { pos = (pos + 1) % count }; return d[pos] }
        var start = read()
        var wpos = pos
        var pt = read()
        var i = 0
        while i < count && newCount > 2 {
            let end = read()
            let dx = Double(end.x - start.x), dy = Double(end.y - start.y)
            let dist = abs(Double(pt.x - start.x) * dy - Double(pt.y - start.y) * dx)
            let inner = Double(pt.x - start.x) * Double(end.x - pt.x) + Double(pt.y - start.y) * Double(end.y - pt.y)
            if dist * dist <= 0.5 * eps2 * (dx * dx + dy * dy) && dx != 0 && dy != 0 && inner >= 0 {
                newCount -= 1
                start = end
                d[wpos] = end
                wpos = (wpos + 1) % count
                pt = read()
                i += 2
                continue
            }
            start = pt
            d[wpos] = pt
            wpos = (wpos + 1) % count
            pt = end
            i += 1
        }
        return Array(d.prefix(newCount))
    }
}
