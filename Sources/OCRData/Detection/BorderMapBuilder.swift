import Imaging
import OCRCore

/// PaddleOCR's `MakeBorderMap`: the threshold map's target. Each cared-for polygon is grown by
/// the shrink distance `D = area (1 - r^2) / perimeter` (Clipper, round joins); inside the grown
/// polygon's bounding box every pixel gets `1 - min(1, d / D)`, d its distance to the nearest
/// polygon edge, and overlapping polygons keep the larger value. The map is then rescaled to
/// [`threshMin`, `threshMax`] everywhere; the mask is 1 inside the grown polygons.
///
/// The distance is PaddleOCR's: to the edge's line when the pixel sees the edge under an obtuse
/// angle, else to the nearer endpoint - not always the true distance to the segment (a pixel
/// far out in front of a short edge gets an endpoint distance), kept because models trained
/// with PaddleOCR learned this target. Polygons are not clamped to the page first (PaddleOCR
/// runs this before `MakeShrinkMap` clamps them); don't-care regions are left out.
public struct BorderMapBuilder: Sendable, Hashable {
    public var shrinkRatio: Double
    public var threshMin: Double
    public var threshMax: Double

    public init(shrinkRatio: Double = 0.4, threshMin: Double = 0.3, threshMax: Double = 0.7) {
        self.shrinkRatio = shrinkRatio
        self.threshMin = threshMin
        self.threshMax = threshMax
    }

    public func callAsFunction(_ regions: [TextRegion], width: Int, height: Int) throws -> LabelMap {
        var canvas = [Float](repeating: 0, count: width * height)
        var mask = try Image(width: width, height: height, colorOrder: .gray, repeating: 0)
        for region in regions where !region.isDontCare {
            try draw(region.polygon, canvas: &canvas, mask: &mask, width: width, height: height)
        }
        let (lo, span) = (Float(threshMin), Float(threshMax - threshMin))
        for i in canvas.indices { canvas[i] = canvas[i] * span + lo }
        return LabelMap(width: width, height: height, map: canvas, mask: mask.pixels.map(Float.init))
    }

    func draw(_ polygon: Polygon, canvas: inout [Float], mask: inout Image, width: Int, height: Int) throws {
        guard polygon.points.count >= 3, polygon.area > 0 else { return }
        let distance = polygon.shrinkDistance(ratio: shrinkRatio)
        guard distance > 0, let grown = try polygon.offset(by: distance, join: .round).first,
              let box = grown.boundingBox else { return }
        try mask.fillPoly([ShrinkMapBuilder.truncated(grown)], value: [1])
        // Clipper's output is on the integer grid, so the box corners are whole pixels.
        let (xmin, xmax, ymin, ymax) = (Int(box.minX), Int(box.maxX), Int(box.minY), Int(box.maxY))
        let x0 = min(max(0, xmin), width - 1), x1 = min(max(0, xmax), width - 1)
        let y0 = min(max(0, ymin), height - 1), y1 = min(max(0, ymax), height - 1)
        guard x0 <= x1, y0 <= y1 else { return }
        let edges = polygon.edges
        for y in y0...y1 {
            for x in x0...x1 {
                let p = Point(Double(x), Double(y))
                var nearest = 1.0
                for (a, b) in edges { nearest = min(nearest, min(max(Self.distance(p, a, b) / distance, 0), 1)) }
                let v = Float(1 - nearest)
                let i = y * width + x
                canvas[i] = max(canvas[i], v)
            }
        }
    }

    /// PaddleOCR's `_distance` for one pixel: via the angle the pixel sees the edge `a`-`b` under.
    static func distance(_ p: Point, _ a: Point, _ b: Point) -> Double {
        let d1 = (p.x - a.x) * (p.x - a.x) + (p.y - a.y) * (p.y - a.y)
        let d2 = (p.x - b.x) * (p.x - b.x) + (p.y - b.y) * (p.y - b.y)
        let d = (a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)
        guard d1 * d2 > 0 else { return 0 }  // on a vertex (NumPy's NaN path gives 0 too)
        let cosine = (d - d1 - d2) / (2 * (d1 * d2).squareRoot())
        if cosine < 0 { return min(d1, d2).squareRoot() }
        let sin2 = 1 - cosine * cosine
        guard d > 0 else { return min(d1, d2).squareRoot() }
        return (d1 * d2 * max(sin2, 0) / d).squareRoot()
    }
}
