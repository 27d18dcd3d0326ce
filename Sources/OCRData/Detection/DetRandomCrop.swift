import Foundation
import OCRCore

/// PaddleOCR's `EastRandomCropData`: a random window of the page that never cuts a text region,
/// scaled to fit `width` x `height` (keeping its aspect ratio and padding the rest with zeros
/// when `keepRatio`, stretched otherwise).
///
/// The window's edges are drawn from the columns and rows no cared-for region's extent covers
/// (regions are marked from `floor(min)` to `ceil(max)`, so every region lies wholly on one
/// side of each edge), from two different gaps when there are several. A window smaller than
/// `minCropSideRatio` of the page, or holding no region, is redrawn up to `maxTries` times;
/// then the whole page is used. Don't-care regions may be cut (they are masked anyway).
///
/// Deliberate differences from PaddleOCR: extents are clamped to the page before marking (NumPy
/// would wrap a negative start), and the last gap counts as a gap (PaddleOCR's `split_regions`
/// forgets it).
public struct DetRandomCrop: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var maxTries: Int
    public var minCropSideRatio: Double
    public var keepRatio: Bool

    public init(width: Int = 640, height: Int = 640, maxTries: Int = 50, minCropSideRatio: Double = 0.1, keepRatio: Bool = true) {
        self.width = width
        self.height = height
        self.maxTries = maxTries
        self.minCropSideRatio = minCropSideRatio
        self.keepRatio = keepRatio
    }

    /// A window of a page, in its pixel coordinates.
    public struct Window: Sendable, Hashable {
        public var x: Int, y: Int, width: Int, height: Int
    }

    /// Chooses the window for a `pageWidth` x `pageHeight` page with these cared-for polygons.
    public func window(pageWidth w: Int, pageHeight h: Int, polygons: [Polygon], rng: inout SplitMix64) -> Window {
        let whole = Window(x: 0, y: 0, width: w, height: h)
        guard !polygons.isEmpty else { return whole }  // no window can hold text: PaddleOCR's tries all fail
        var columns = [Bool](repeating: false, count: w), rows = [Bool](repeating: false, count: h)
        for p in polygons {
            guard let box = p.boundingBox else { continue }
            Self.mark(&columns, from: box.minX, to: box.maxX)
            Self.mark(&rows, from: box.minY, to: box.maxY)
        }
        let xGaps = Self.gaps(columns), yGaps = Self.gaps(rows)
        guard !xGaps.isEmpty, !yGaps.isEmpty else { return whole }
        for _ in 0..<maxTries {
            let (x0, x1) = Self.select(xGaps, rng: &rng)
            let (y0, y1) = Self.select(yGaps, rng: &rng)
            if Double(x1 - x0) < minCropSideRatio * Double(w) || Double(y1 - y0) < minCropSideRatio * Double(h) { continue }
            let window = Window(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
            if polygons.contains(where: { !Self.isOutside($0, window) }) { return window }
        }
        return whole
    }

    /// The map from page coordinates to output coordinates for `window`, and the size of the
    /// scaled window inside the output (the rest is padding when `keepRatio`).
    public func placement(of window: Window) -> (transform: PageTransform, validWidth: Int, validHeight: Int) {
        let (cw, ch) = (Double(window.width), Double(window.height))
        let shift = PageTransform.translation(-Double(window.x), -Double(window.y))
        guard keepRatio else {
            return (PageTransform.scaling(Double(width) / cw, Double(height) / ch).after(shift), width, height)
        }
        let s = min(Double(width) / cw, Double(height) / ch)
        let (vw, vh) = (max(1, Int(cw * s)), max(1, Int(ch * s)))
        return (PageTransform.scaling(Double(vw) / cw, Double(vh) / ch).after(shift), vw, vh)
    }

    /// Whether the polygon lies wholly outside the window (PaddleOCR `is_poly_outside_rect`).
    public static func isOutside(_ p: Polygon, _ r: Window) -> Bool {
        guard let b = p.boundingBox else { return true }
        let (x0, y0, x1, y1) = (Double(r.x), Double(r.y), Double(r.x + r.width), Double(r.y + r.height))
        return b.maxX < x0 || b.minX > x1 || b.maxY < y0 || b.minY > y1
    }

    static func mark(_ a: inout [Bool], from lo: Double, to hi: Double) {
        let start = max(0, Int(lo.rounded(.down))), end = min(a.count, Int(hi.rounded(.up)))
        if start < end { for i in start..<end { a[i] = true } }
    }

    /// Runs of unmarked indices.
    static func gaps(_ marked: [Bool]) -> [ClosedRange<Int>] {
        var out = [ClosedRange<Int>](), start: Int?
        for i in 0...marked.count {
            let free = i < marked.count && !marked[i]
            if free, start == nil { start = i }
            if !free, let s = start { out.append(s...(i - 1)); start = nil }
        }
        return out
    }

    /// Two edges: from two gaps drawn with replacement when there are several
    /// (`region_wise_random_select`), else two positions in the one gap (`random_select`).
    static func select(_ gaps: [ClosedRange<Int>], rng: inout SplitMix64) -> (Int, Int) {
        let a: Int, b: Int
        if gaps.count > 1 {
            let (g, k) = (gaps[rng.nextInt(below: gaps.count)], gaps[rng.nextInt(below: gaps.count)])
            (a, b) = (rng.nextInt(in: g), rng.nextInt(in: k))
        } else {
            (a, b) = (rng.nextInt(in: gaps[0]), rng.nextInt(in: gaps[0]))
        }
        return (min(a, b), max(a, b))
    }
}
