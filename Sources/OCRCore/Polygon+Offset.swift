import CClipper

/// Polygon offsetting through Clipper (Debian's libpolyclipping, via the `CClipper` boundary):
/// the one implementation behind DB's label shrinking (training) and its unclip (inference).
extension Polygon {
    /// How convex corners are joined when offsetting (Clipper's JoinType).
    public enum OffsetJoin: Sendable {
        case square, round, miter

        var c: ccl_join {
            switch self {
            case .square: CCL_JOIN_SQUARE
            case .round: CCL_JOIN_ROUND
            case .miter: CCL_JOIN_MITER
            }
        }
    }

    /// The polygons Clipper gives for this closed polygon offset by `distance` (negative shrinks).
    /// Coordinates are rounded to a grid of 1/`scale` first, as Clipper works on integers; the
    /// default `scale` 1 is PaddleOCR's (pyclipper without scaling). A polygon that shrinks away
    /// gives `[]`.
    public func offset(by distance: Double, join: OffsetJoin = .round, scale: Double = 1) throws -> [Polygon] {
        guard points.count >= 3 else { throw PolygonOffsetError(message: "offset: a polygon needs at least 3 points, got \(points.count)") }
        var xy = [Double]()
        xy.reserveCapacity(points.count * 2)
        for p in points { xy.append(p.x); xy.append(p.y) }
        var out = ccl_paths()
        var err = ccl_error()
        let status = xy.withUnsafeBufferPointer {
            ccl_offset($0.baseAddress, points.count, distance, join.c, scale, &out, &err)
        }
        defer { ccl_paths_free(&out); ccl_error_free(&err) }
        guard status == 0 else {
            throw PolygonOffsetError(message: err.message.map { String(cString: $0) } ?? "offset failed")
        }
        var result = [Polygon]()
        result.reserveCapacity(out.count)
        var k = 0
        for i in 0..<out.count {
            let n = out.counts[i]
            var pts = [Point]()
            pts.reserveCapacity(n)
            for _ in 0..<n {
                pts.append(Point(out.xy[k], out.xy[k + 1]))
                k += 2
            }
            result.append(Polygon(pts))
        }
        return result
    }

    /// DB's shrink distance for label making (PaddleOCR `MakeShrinkMap`):
    /// `area * (1 - ratio^2) / perimeter`.
    public func shrinkDistance(ratio: Double) -> Double {
        let p = perimeter
        return p > 0 ? area * (1 - ratio * ratio) / p : 0
    }

    /// DB's unclip distance for detected boxes (PaddleOCR `DBPostProcess.unclip`):
    /// `area * ratio / perimeter`.
    public func unclipDistance(ratio: Double) -> Double {
        let p = perimeter
        return p > 0 ? area * ratio / p : 0
    }
}

/// A failed polygon offset (bad input, or Clipper itself failing).
public struct PolygonOffsetError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
