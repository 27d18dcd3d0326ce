import OCRCore

/// A 2-D affine map in OpenCV pixel coordinates (pixel centres at integers), applied to a page
/// and to its polygons with the same numbers - so labels stay on the ink by construction.
///
/// Detection augmentation (flip, rotate, scale) and the random crop compose into one of these,
/// and the page is resampled once, straight to the crop size: the same result as PaddleOCR's
/// chain of warps and resizes up to interpolation, without building a 3x-scaled page first.
public struct PageTransform: Sendable, Hashable {
    /// Row-major [a, b, c, d, e, f]: x' = a x + b y + c, y' = d x + e y + f.
    public var m: [Double]

    public init(_ m: [Double]) {
        precondition(m.count == 6, "an affine map has 6 values")
        self.m = m
    }

    public static let identity = PageTransform([1, 0, 0, 0, 1, 0])

    /// Mirror left-right in a page `width` pixels wide (pixel x goes to width - 1 - x).
    public static func flipHorizontal(width: Int) -> PageTransform {
        PageTransform([-1, 0, Double(width - 1), 0, 1, 0])
    }

    /// Rotation by `degrees` (positive turns clockwise on screen, y down) about the centre of a
    /// `width` x `height` page, which keeps its size (corners leave, zeros come in).
    public static func rotation(degrees: Double, width: Int, height: Int) -> PageTransform {
        let t = degrees * .pi / 180
        let (c, s) = (cos(t), sin(t))
        let (cx, cy) = (Double(width - 1) / 2, Double(height - 1) / 2)
        return PageTransform([c, -s, cx - c * cx + s * cy, s, c, cy - s * cx - c * cy])
    }

    /// What `cv2.resize` does to coordinates: pixel areas scale, so x' = sx (x + 0.5) - 0.5.
    public static func scaling(_ sx: Double, _ sy: Double) -> PageTransform {
        PageTransform([sx, 0, 0.5 * sx - 0.5, 0, sy, 0.5 * sy - 0.5])
    }

    public static func translation(_ dx: Double, _ dy: Double) -> PageTransform {
        PageTransform([1, 0, dx, 0, 1, dy])
    }

    /// `other` first, then `self`.
    public func after(_ other: PageTransform) -> PageTransform {
        let (a, o) = (m, other.m)
        return PageTransform([a[0] * o[0] + a[1] * o[3], a[0] * o[1] + a[1] * o[4], a[0] * o[2] + a[1] * o[5] + a[2],
                              a[3] * o[0] + a[4] * o[3], a[3] * o[1] + a[4] * o[4], a[3] * o[2] + a[4] * o[5] + a[5]])
    }

    public func apply(_ p: Point) -> Point {
        Point(m[0] * p.x + m[1] * p.y + m[2], m[3] * p.x + m[4] * p.y + m[5])
    }

    public func apply(_ polygon: Polygon) -> Polygon { Polygon(polygon.points.map(apply)) }

    public func apply(_ region: TextRegion) -> TextRegion {
        TextRegion(transcription: region.transcription, polygon: apply(region.polygon))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
