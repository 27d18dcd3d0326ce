import Foundation
import OCRCore

/// A 3x3 projective transform (row-major): what carries text from its line's own frame onto the
/// sheet and the sheet onto the page. Pixels and label polygons go through the same matrix, so a
/// polygon lies where the pixels went. Coordinates are OpenCV's: pixel (i, j) has its centre at
/// (i, j), as `warpPerspective` and `fillPoly` take them.
struct Homography {
    var m: [Double]

    static let identity = Homography(m: [1, 0, 0, 0, 1, 0, 0, 0, 1])

    static func translation(_ dx: Double, _ dy: Double) -> Homography { Homography(m: [1, 0, dx, 0, 1, dy, 0, 0, 1]) }

    static func scale(_ s: Double) -> Homography { Homography(m: [s, 0, 0, 0, s, 0, 0, 0, 1]) }

    /// Rotation by `degrees` (clockwise on screen, y down) about `center`.
    static func rotation(degrees: Double, about center: Point) -> Homography {
        let a = degrees * Double.pi / 180
        let (c, s) = (cos(a), sin(a))
        return translation(center.x, center.y) * Homography(m: [c, -s, 0, s, c, 0, 0, 0, 1])
            * translation(-center.x, -center.y)
    }

    /// `a * b` applies `b` first, then `a`.
    static func * (a: Homography, b: Homography) -> Homography {
        var out = [Double](repeating: 0, count: 9)
        for r in 0..<3 {
            for c in 0..<3 { out[r * 3 + c] = a.m[r * 3] * b.m[c] + a.m[r * 3 + 1] * b.m[3 + c] + a.m[r * 3 + 2] * b.m[6 + c] }
        }
        return Homography(m: out)
    }

    func apply(_ p: Point) -> Point {
        let w = m[6] * p.x + m[7] * p.y + m[8]
        return Point((m[0] * p.x + m[1] * p.y + m[2]) / w, (m[3] * p.x + m[4] * p.y + m[5]) / w)
    }
}
