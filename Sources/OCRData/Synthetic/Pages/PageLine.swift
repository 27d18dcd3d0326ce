import Foundation
import OCRCore

/// One line of text on a page, rasterised word by word with one font and one style (so each
/// word's ink box is known exactly, for word-level labels) and joined on a common baseline into
/// one coverage mask in the line's own frame. `placement` carries that frame onto the sheet.
///
/// Label polygons come from the same numbers as the pixels: a unit's box is its ink box, padded by
/// the one pixel bilinear warping can spread ink by; a curved line's box follows the same column
/// shift the pixels got, sampled every few pixels. (`top`/`bottom`, the line box, are for laying
/// rows out, not for labels.)
struct PageLine {
    /// Joined coverage mask of the words, line frame (curve already applied).
    var mask: GlyphMask
    /// The words and their ink boxes in the line frame (before the curve).
    var words: [(text: String, ink: PixelBox)]
    /// The line box (tall letters to descenders, or the ink where it reaches further), line frame
    /// rows (before the curve).
    var top: Int
    var bottom: Int
    /// Em size, pixels.
    var size: Double
    var handwriting: Bool
    /// Downward shift of each column of the mask (empty: straight line).
    var curve: [Double] = []
    /// Line frame -> sheet.
    var placement = Homography.identity

    var text: String { words.map(\.text).joined(separator: " ") }
    /// Ink extent, line frame columns [left, right).
    var left: Int { words.first!.ink.left }
    var right: Int { words.last!.ink.right }
    var width: Int { right - left }
    var baselineY: Int { mask.baselineY }

    /// Joins rasterised words, each set after the previous one's advance plus `space` pixels.
    init(words parts: [(text: String, mask: GlyphMask)], space: Double, size: Double, handwriting: Bool) {
        precondition(!parts.isEmpty, "a line has at least one word")
        var pens = [Double](), pen = 0.0
        for p in parts {
            pens.append(pen)
            pen += p.mask.advance + space
        }
        let above = parts.map(\.mask.baselineY).max()!
        let below = parts.map { $0.mask.height - $0.mask.baselineY }.max()!
        let offsets = zip(parts, pens).map { Int(($1 - $0.mask.originX).rounded()) }
        let minX = offsets.min()!
        let width = zip(parts, offsets).map { $1 - minX + $0.mask.width }.max()!
        let height = above + below
        var pixels = [UInt8](repeating: 0, count: width * height)
        var boxes: [(String, PixelBox)] = []
        for (p, offset) in zip(parts, offsets) {
            let dx = offset - minX, dy = above - p.mask.baselineY
            let m = p.mask
            for y in 0..<m.height {
                let row = (y + dy) * width + dx
                for x in 0..<m.width where m.pixels[y * m.width + x] != 0 {
                    pixels[row + x] = max(pixels[row + x], m.pixels[y * m.width + x])
                }
            }
            let ink = m.ink!
            boxes.append((p.text, PixelBox(left: ink.left + dx, top: ink.top + dy, right: ink.right + dx, bottom: ink.bottom + dy)))
        }
        let ascender = parts.map(\.mask.ascender).max()!, descender = parts.map(\.mask.descender).min()!
        var joined = GlyphMask(width: width, height: height, pixels: pixels, baselineY: above, originX: 0, advance: pen,
                               ascender: ascender, descender: descender, ink: nil)
        joined.measureInk()
        mask = joined
        words = boxes
        top = min(boxes.map(\.1.top).min()!, above - Int(ascender.rounded(.up)))
        bottom = max(boxes.map(\.1.bottom).max()!, above - Int(descender.rounded(.down)))
        self.size = size
        self.handwriting = handwriting
    }

    /// Bends the baseline: column x moves down by `shift(x)` (>= 0) pixels, with linear
    /// interpolation between rows for fractional shifts.
    mutating func bend(_ shift: (Double) -> Double) {
        let w = mask.width, h = mask.height
        let shifts = (0..<w).map { shift(Double($0)) }
        let extra = Int((shifts.max() ?? 0).rounded(.up)) + 1
        let outHeight = h + extra
        var out = [UInt8](repeating: 0, count: w * outHeight)
        for x in 0..<w {
            let s = shifts[x], whole = Int(s.rounded(.down)), f = s - Double(whole)
            for y in 0..<outHeight {
                // out(y) = in(y - s): between rows y - whole - 1 and y - whole.
                let y0 = y - whole - 1, y1 = y - whole
                let a = y0 >= 0 && y0 < h ? Double(mask.pixels[y0 * w + x]) : 0
                let b = y1 >= 0 && y1 < h ? Double(mask.pixels[y1 * w + x]) : 0
                let v = a * f + b * (1 - f)
                if v > 0 { out[y * w + x] = UInt8(min(255, v + 0.5)) }
            }
        }
        mask.height = outHeight
        mask.pixels = out
        mask.measureInk()
        curve = shifts
    }

    /// The label polygon of ink columns [left, right) and rows [top, bottom) in the line frame: 4
    /// points when straight, the bent top and bottom edges sampled every ~24 pixels when curved.
    func polygon(left: Int, right: Int, top: Int, bottom: Int) -> [Point] {
        let (l, r) = (Double(left - 1), Double(right))
        guard !curve.isEmpty else {
            let (t, b) = (Double(top - 1), Double(bottom))
            return [Point(l, t), Point(r, t), Point(r, b), Point(l, b)]
        }
        // Chords cut a curve's outer side by at most k s^2 / 8 for curvature k: one more pixel
        // of padding covers the bends `bend` is given.
        let (t, b) = (Double(top - 2), Double(bottom + 1))
        let segments = max(2, min(12, Int((r - l) / 24) + 1))
        let xs = (0...segments).map { l + (r - l) * Double($0) / Double(segments) }
        func shift(_ x: Double) -> Double {
            let i = min(max(Int(x.rounded()), 0), curve.count - 1)
            return curve[i]
        }
        let upper = xs.map { Point($0, t + shift($0)) }
        let lower = xs.reversed().map { Point($0, b + shift($0)) }
        return upper + lower
    }

    /// One (transcription, line-frame polygon) per label unit: a unit's box is its ink, reaching
    /// at least from the baseline to half the tall letters' height (so "-" or "..." still get a
    /// box a text line's height would suggest, not a sliver).
    func labelUnits(_ granularity: SyntheticPagesConfig.Granularity) -> [(String, [Point])] {
        let floorTop = baselineY - Int((mask.ascender * 0.55).rounded(.up)), floorBottom = baselineY + 1
        func unit(_ boxes: ArraySlice<(text: String, ink: PixelBox)>) -> (String, [Point]) {
            let top = min(boxes.map(\.ink.top).min()!, floorTop), bottom = max(boxes.map(\.ink.bottom).max()!, floorBottom)
            return (boxes.map(\.text).joined(separator: " "),
                    polygon(left: boxes.first!.ink.left, right: boxes.last!.ink.right, top: top, bottom: bottom))
        }
        return switch granularity {
        case .line: [unit(words[...])]
        case .word: words.indices.map { unit(words[$0...$0]) }
        }
    }
}
