import Foundation
import Imaging
import OCRCore

/// Cutting a detected quad out of a page as an upright line image - PaddleOCR's
/// `get_rotate_crop_image` (tools/infer/utility.py), which RapidOCR copies.
public enum TextCrop {
    /// The crop's size from the quad (TL, TR, BR, BL): width the longer of the top and bottom
    /// edges, height the longer of the left and right edges, each truncated to whole pixels as
    /// Python's `int(np.linalg.norm(...))` (in float32 corners, as PaddleOCR's boxes are).
    public static func size(of quad: [Point]) -> (width: Int, height: Int) {
        let p = quad.map { Point2f(Float($0.x), Float($0.y)) }
        func norm(_ a: Point2f, _ b: Point2f) -> Float { ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot() }
        return (Int(max(norm(p[0], p[1]), norm(p[2], p[3]))), Int(max(norm(p[0], p[3]), norm(p[1], p[2]))))
    }

    /// Whether a crop this size is a vertical line PaddleOCR turns: height / width >= 1.5.
    public static func isVertical(width: Int, height: Int) -> Bool { Double(height) / Double(width) >= 1.5 }

    /// The quad mapped onto a `size(of:)` rectangle by a perspective warp (bicubic, border
    /// replicated); a crop at least 1.5 times as high as wide is then turned a quarter counter-
    /// clockwise (`np.rot90`), so vertical text reads left to right. Throws for a quad that is not
    /// four points or whose crop would be empty.
    public static func crop(_ page: Image, quad: Polygon) throws -> Image {
        guard quad.points.count == 4 else {
            throw InferenceError(.invalidInput, "crop: a text box has 4 corners, got \(quad.points.count)")
        }
        let (w, h) = size(of: quad.points)
        guard w > 0, h > 0 else { throw InferenceError(.invalidInput, "crop: the box \(quad) is \(w) x \(h) px") }
        let source = quad.points.map { Point2f(Float($0.x), Float($0.y)) }
        let target = [Point2f(0, 0), Point2f(Float(w), 0), Point2f(Float(w), Float(h)), Point2f(0, Float(h))]
        let matrix = try perspectiveTransform(from: source, to: target)
        let line = try page.warpedPerspective(matrix: matrix, width: w, height: h, interpolation: .cubic, border: .replicate)
        return isVertical(width: w, height: h) ? try rotatedCounterClockwise(line) : line
    }

    /// `np.rot90(image)`: a quarter turn counter-clockwise; pixel (x, y) of the W x H source
    /// lands at (y, W - 1 - x) of the H x W result.
    public static func rotatedCounterClockwise(_ image: Image) throws -> Image {
        let (w, h, c) = (image.width, image.height, image.channels)
        var out = [UInt8](repeating: 0, count: image.pixels.count)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    for x in 0..<w {
                        let from = (y * w + x) * c, to = ((w - 1 - x) * h + y) * c
                        for k in 0..<c { dst[to + k] = src[from + k] }
                    }
                }
            }
        }
        return try Image(width: h, height: w, colorOrder: image.colorOrder, pixels: out)
    }
}
