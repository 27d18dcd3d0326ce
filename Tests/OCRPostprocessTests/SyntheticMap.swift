import Foundation
import Imaging
import OCRCore
@testable import OCRPostprocess

/// Probability maps drawn with OpenCV's fillPoly: background `background`, each region filled
/// with its own probability - what a perfectly trained DB model would output.
struct SyntheticMap {
    let width: Int, height: Int
    var values: [Float]

    init(width: Int, height: Int, background: Float = 0.02) {
        self.width = width
        self.height = height
        values = [Float](repeating: background, count: width * height)
    }

    /// Sets every pixel fillPoly covers for `polygon` (rounded to whole pixels) to `p`.
    mutating func fill(_ polygon: Polygon, probability p: Float) throws {
        var mask = try Image(width: width, height: height, colorOrder: .gray)
        let pts = polygon.points.map { Point2i(x: Int($0.x.rounded()), y: Int($0.y.rounded())) }
        try mask.fillPoly([pts], value: [1])
        for i in values.indices where mask.pixels[i] != 0 { values[i] = p }
    }
}

/// A w x h rectangle centred at (cx, cy), turned by `degrees` (clockwise on screen), corners
/// TL, TR, BR, BL before the turn.
func rotatedBox(cx: Double, cy: Double, w: Double, h: Double, degrees: Double = 0) -> Polygon {
    let a = degrees * .pi / 180, c = cos(a), s = sin(a)
    return Polygon([(-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)].map { x, y in
        Point(cx + x * c - y * s, cy + x * s + y * c)
    })
}

/// The margin `d` such that unclip (ratio `r`) of the (w - 2d) x (h - 2d) kernel grows it by
/// exactly `d` again: d = r * (w - 2d)(h - 2d) / (2 (w - 2d + h - 2d)), solved by bisection.
/// Drawing that kernel makes a map from which DB post-processing should give back w x h.
func restoringMargin(w: Double, h: Double, unclipRatio r: Double) -> Double {
    func f(_ d: Double) -> Double {
        let kw = w - 2 * d, kh = h - 2 * d
        return r * kw * kh / (2 * (kw + kh)) - d
    }
    var lo = 0.0, hi = min(w, h) / 2 - 1e-9          // f(lo) > 0, f(hi) < 0
    for _ in 0..<100 {
        let mid = (lo + hi) / 2
        if f(mid) > 0 { lo = mid } else { hi = mid }
    }
    return lo
}
