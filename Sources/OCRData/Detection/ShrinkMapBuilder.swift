import Imaging
import OCRCore

/// PaddleOCR's `MakeShrinkMap`: the probability map's target is each text polygon shrunk
/// inwards by `D = area (1 - r^2) / perimeter` (Clipper, round joins), filled with 1; the mask
/// is 1 except over don't-care regions, regions narrower or lower than `minTextSize`, and
/// regions that shrink away, where the loss must not learn "no text".
///
/// As in PaddleOCR: polygons are first clamped to the page ([0, w-1] x [0, h-1]) and those with
/// area below 1 become don't-care; when the shrink splits a polygon in pieces, the ratio is
/// raised (0.4, 0.8: `arange(r, 1, r)`) until it gives one piece, and if none does the pieces of
/// the last try are all filled. Points are truncated to integers for filling, as `astype(int32)`.
public struct ShrinkMapBuilder: Sendable, Hashable {
    public var shrinkRatio: Double
    public var minTextSize: Double

    public init(shrinkRatio: Double = 0.4, minTextSize: Double = 8) {
        self.shrinkRatio = shrinkRatio
        self.minTextSize = minTextSize
    }

    public func callAsFunction(_ regions: [TextRegion], width: Int, height: Int) throws -> LabelMap {
        var gt = try Image(width: width, height: height, colorOrder: .gray, repeating: 0)
        var mask = try Image(width: width, height: height, colorOrder: .gray, repeating: 1)
        for region in regions {
            let polygon = region.polygon.clamped(width: width, height: height)
            guard let box = polygon.boundingBox else { continue }
            if region.isDontCare || polygon.area < 1 || min(box.maxX - box.minX, box.maxY - box.minY) < minTextSize {
                try mask.fillPoly([Self.truncated(polygon)], value: [0])
                continue
            }
            var pieces: [Polygon] = []
            for ratio in stride(from: shrinkRatio, to: 1, by: shrinkRatio) {
                pieces = try polygon.offset(by: -polygon.shrinkDistance(ratio: ratio), join: .round)
                if pieces.count == 1 { break }
            }
            if pieces.isEmpty {
                try mask.fillPoly([Self.truncated(polygon)], value: [0])
                continue
            }
            try gt.fillPoly(pieces.map(Self.truncated), value: [1])
        }
        return LabelMap(width: width, height: height, map: gt.pixels.map(Float.init), mask: mask.pixels.map(Float.init))
    }

    /// Points as `np.int32` casts them (toward zero).
    static func truncated(_ p: Polygon) -> [Point2i] {
        p.points.map { Point2i(Int($0.x), Int($0.y)) }
    }
}
