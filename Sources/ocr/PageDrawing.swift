import Foundation
import Imaging
import OCRData
import OCRInference

/// `ocr predict --draw`: PaddleOCR's `draw_ocr_box_txt` layout - the page with each read line's box
/// on the left, a white panel of the same size on the right with each text drawn into its box
/// (rendered by OCRData's FreeType line renderer, scaled to the box). Characters the font lacks
/// are left out of the drawn text (the box is still drawn); the texts themselves are in the
/// JSON/TSV output.
struct PageDrawing {
    let font: FontFile
    let renderer: LineRenderer

    init(fontPath: String) throws {
        font = try FontFile(path: fontPath)
        renderer = try LineRenderer(options: .clean)
    }

    func draw(_ page: Image, lines: [PageReader.Line]) throws -> Image {
        let (w, h) = (page.width, page.height)
        var left = page
        var right = try Image(width: w, height: h, colorOrder: .bgr, repeating: 255)
        for (i, line) in lines.enumerated() {
            let quad = line.textRegion.map { Point2i(x: $0[0], y: $0[1]) }
            // A colour per line, the same on both sides.
            let colour = [Double((i * 67) % 200), Double((i * 131 + 80) % 200), Double((i * 29 + 160) % 200)]
            try left.polylines([quad], value: colour, thickness: 2)
            try right.polylines([quad], value: colour, thickness: 1)
            try paste(text(line.text), into: &right, box: quad)
        }
        // Side by side: row y is the page's row then the panel's.
        var pixels = [UInt8](repeating: 0, count: 2 * w * h * 3)
        for y in 0..<h {
            pixels.replaceSubrange(y * 2 * w * 3..<(y * 2 + 1) * w * 3, with: left.pixels[y * w * 3..<(y + 1) * w * 3])
            pixels.replaceSubrange((y * 2 + 1) * w * 3..<(y + 1) * 2 * w * 3, with: right.pixels[y * w * 3..<(y + 1) * w * 3])
        }
        return try Image(width: 2 * w, height: h, colorOrder: .bgr, pixels: pixels)
    }

    /// The text rendered black on white, or nil when the font draws none of it.
    private func text(_ text: String) throws -> Image? {
        let drawable = String(text.filter { font.covers($0) })
        guard drawable.contains(where: { !$0.isWhitespace }) else { return nil }
        return try renderer.render(drawable, font: font, seed: 0).image
    }

    /// `line` scaled into the box's bounding rectangle (aspect kept unless it is too wide).
    private func paste(_ line: Image?, into panel: inout Image, box: [Point2i]) throws {
        guard let line else { return }
        let x0 = max(box.map(\.x).min()!, 0), x1 = min(box.map(\.x).max()!, panel.width - 1)
        let y0 = max(box.map(\.y).min()!, 0), y1 = min(box.map(\.y).max()!, panel.height - 1)
        let (bw, bh) = (x1 - x0 + 1, y1 - y0 + 1)
        guard bw >= 2, bh >= 2 else { return }
        let h = bh, w = min(bw, max(1, line.width * bh / line.height))
        let scaled = try line.resized(width: w, height: h, interpolation: .area)
        var pixels = panel.pixels
        for y in 0..<h {
            for x in 0..<w {
                let (s, d) = ((y * w + x) * 3, ((y0 + y) * panel.width + x0 + x) * 3)
                // Darker wins: the text over the box outline.
                for k in 0..<3 { pixels[d + k] = min(pixels[d + k], scaled.pixels[s + k]) }
            }
        }
        panel = try Image(width: panel.width, height: panel.height, colorOrder: .bgr, pixels: pixels)
    }
}
