/// Intersection area and IoU of simple polygons, convex or not.
///
/// Method (Green's theorem): the boundary of P ∩ Q is made of the parts of P's edges that lie
/// inside Q and the parts of Q's edges that lie inside P. Each edge is cut at every crossing
/// with the other polygon, each piece is classified by its midpoint, and the shoelace terms of
/// the inside pieces add up to the intersection area - for any pair of simple polygons, and for
/// intersections made of several pieces. Shared boundary pieces are counted once when the
/// edges run the same way (the regions lie on the same side) and not at all when they run
/// opposite ways (the regions only touch). Sutherland-Hodgman clipping would be wrong for a
/// concave clip polygon; this is not. Self-intersecting input gives no meaningful area
/// (check `isValid` first, as `DetectionMetrics` does).
extension Polygon {
    /// Area of the overlap with `other`.
    public func intersectionArea(with other: Polygon) -> Double {
        guard points.count >= 3, other.points.count >= 3,
              let b1 = boundingBox, let b2 = other.boundingBox, b1.intersection(b2) != nil else { return 0 }
        let p = signedArea >= 0 ? points : points.reversed()
        let q = other.signedArea >= 0 ? other.points : other.points.reversed()
        let tol = Geometry.tolerance(for: p + q)
        let twice = Self.insideBoundaryTerms(of: p, within: q, keepSharedSameDirection: true, tolerance: tol)
            + Self.insideBoundaryTerms(of: q, within: p, keepSharedSameDirection: false, tolerance: tol)
        return min(max(0, twice / 2), min(area, other.area))
    }

    /// Union area: |P| + |Q| - |P ∩ Q|.
    public func unionArea(with other: Polygon) -> Double {
        area + other.area - intersectionArea(with: other)
    }

    /// Intersection over union; 0 when the union is empty.
    public func iou(with other: Polygon) -> Double {
        let inter = intersectionArea(with: other)
        let union = area + other.area - inter
        return union > 0 ? inter / union : 0
    }

    /// Twice the signed area contributed by the pieces of `a`'s edges inside `b`.
    private static func insideBoundaryTerms(of a: [Point], within b: [Point], keepSharedSameDirection: Bool,
                                            tolerance tol: Double) -> Double {
        var sum = 0.0
        for i in a.indices {
            let start = a[i], end = a[(i + 1) % a.count]
            let r = end - start
            let rr = r.dot(r)
            guard rr > 0 else { continue }
            // Cut parameters along this edge. Extra cuts are harmless; a missed one is not, so
            // the acceptance tests below are deliberately lenient.
            var cuts: [Double] = [0, 1]
            for j in b.indices {
                let c = b[j], d = b[(j + 1) % b.count]
                let s = d - c
                let denom = r.cross(s)
                if abs(denom) > 1e-12 * r.length * s.length {
                    let t = (c - start).cross(s) / denom
                    let u = (c - start).cross(r) / denom
                    if t > 0 && t < 1 && u >= -1e-9 && u <= 1 + 1e-9 { cuts.append(t) }
                } else if abs((c - start).cross(r)) <= tol * r.length {
                    // Collinear edges: cut where the other edge's ends project.
                    for e in [c, d] {
                        let t = (e - start).dot(r) / rr
                        if t > 0 && t < 1 { cuts.append(t) }
                    }
                }
            }
            cuts.sort()
            for k in 1..<cuts.count where cuts[k] - cuts[k - 1] > 1e-12 {
                let p0 = start + r * cuts[k - 1], p1 = start + r * cuts[k]
                let mid = start + r * ((cuts[k - 1] + cuts[k]) / 2)
                switch Geometry.locate(mid, in: b, tolerance: tol) {
                case .inside:
                    sum += p0.cross(p1)
                case .boundary(let edge):
                    let s = b[(edge + 1) % b.count] - b[edge]
                    if keepSharedSameDirection && r.dot(s) > 0 { sum += p0.cross(p1) }
                case .outside:
                    break
                }
            }
        }
        return sum
    }
}
