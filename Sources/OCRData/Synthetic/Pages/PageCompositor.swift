import Foundation
import Imaging
import OCRCore

/// Puts one planned sheet onto the page: background (a sheet of paper lying on a desk, a scan
/// filling the page, or a photo-like scene), the distractors, then every text line warped by
/// sheet-to-page homography times its own placement - the same matrix that carries its label
/// polygons - and finally the capture effects (blur, noise, JPEG) of `render`.
struct PageCompositor {
    let pages: SyntheticPages
    let layout: PageLayout
    var random: SynthRandom
    let wantsInkLayer: Bool
    let width: Int
    let height: Int
    /// BGR page being drawn.
    var pixels: [UInt8]
    var inkLayer: [UInt8]

    init(pages: SyntheticPages, layout: PageLayout, random: SynthRandom, inkLayer: Bool) throws {
        self.pages = pages
        self.layout = layout
        self.random = random
        wantsInkLayer = inkLayer
        (width, height) = pages.config.size
        pixels = []
        self.inkLayer = inkLayer ? [UInt8](repeating: 0, count: width * height) : []
    }

    mutating func render() throws -> RenderedPage {
        let (W, H) = (Double(width), Double(height))
        let config = pages.config
        // 1. The sheet: its size, and whether it fills the page as a scan does.
        let scan = (layout == .document || layout == .form) && random.chance(0.35)
        let (sw, fullHeight): (Double, Double) = switch layout {
        case .scene: (W, H)
        case _ where scan: (W, H)
        case .document, .form: (W * random.uniform(0.75, 1), H * random.uniform(0.85, 1))
        case .receipt: (W * random.uniform(0.35, 0.6), H * random.uniform(0.85, 1))
        case .shippingLabel: (W * random.uniform(0.6, 0.9), H * random.uniform(0.6, 0.9))
        case .idCard: { let w = W * random.uniform(0.6, 0.9); return (w, w / 1.586) }()
        }
        let builder = PageBuilder(pages: pages, random: random.fork(), width: sw.rounded(), height: fullHeight.rounded())
        switch layout {
        case .document: try builder.document()
        case .receipt: try builder.receipt()
        case .form: try builder.form()
        case .shippingLabel: try builder.shippingLabel()
        case .idCard: try builder.idCard()
        case .scene: try builder.scene()
        }
        let sh = builder.contentBottom ?? fullHeight

        // 2. Sheet -> page: rotation, a scale that keeps the turned sheet on the page, an offset
        // within the room left, then a perspective jitter of the corners.
        var sheetToPage = Homography.identity
        var fillsPage = layout == .scene || scan
        if !fillsPage {
            let angle = random.chance(config.pageRotateProb) ? random.symmetric(config.pageRotateDegrees) : 0
            let (c, s) = (abs(cos(angle * .pi / 180)), abs(sin(angle * .pi / 180)))
            let (bw, bh) = (sw * c + sh * s, sw * s + sh * c)
            let scale = min(1, 0.98 * W / bw, 0.98 * H / bh)
            let (dx, dy) = ((W - bw * scale) / 2, (H - bh * scale) / 2)
            let center = Point(W / 2 + random.symmetric(dx), H / 2 + random.symmetric(dy))
            sheetToPage = Homography.translation(center.x, center.y) * Homography.rotation(degrees: angle, about: Point(0, 0))
                * Homography.scale(scale) * Homography.translation(-sw / 2, -sh / 2)
            if random.chance(config.perspectiveProb) {
                let jitter = config.perspective * min(sw, sh) * scale
                let source = [Point(0, 0), Point(sw, 0), Point(sw, sh), Point(0, sh)]
                let target = source.map { p -> Point2f in
                    let q = sheetToPage.apply(p)
                    return Point2f(Float(q.x + random.symmetric(jitter)), Float(q.y + random.symmetric(jitter)))
                }
                sheetToPage = Homography(m: try perspectiveTransform(from: source.map { Point2f(Float($0.x), Float($0.y)) }, to: target))
            }
        } else if layout == .scene && random.chance(config.perspectiveProb) {
            // A scene seen at a slant: the page's corners pulled in or out (texts carried off the
            // page are left out, as always).
            let jitter = config.perspective * min(W, H)
            let corners = [Point2f(0, 0), Point2f(Float(W), 0), Point2f(Float(W), Float(H)), Point2f(0, Float(H))]
            let target = corners.map { Point2f($0.x + Float(random.symmetric(jitter)), $0.y + Float(random.symmetric(jitter))) }
            sheetToPage = Homography(m: try perspectiveTransform(from: corners, to: target))
        } else if layout != .scene && random.chance(config.pageRotateProb) {
            // A scan a little skewed on the glass.
            sheetToPage = Homography.rotation(degrees: random.symmetric(min(2, config.pageRotateDegrees)), about: Point(W / 2, H / 2))
            fillsPage = true
        }

        // 3. Background.
        try paintBackground(sheet: (sw, sh), sheetToPage: sheetToPage, fillsPage: fillsPage)

        // 4. Distractors, then text.
        try drawShapes(builder.shapes, sheetToPage)
        var regions: [TextRegion] = []
        for line in builder.lines {
            regions += try drawLine(line, sheetToPage * line.placement)
        }

        // 5. Capture.
        var image = try Image(width: width, height: height, colorOrder: .bgr, pixels: pixels)
        image = try pages.styleRenderer.degrade(image, random: &random)
        return RenderedPage(image: image, regions: regions, layout: layoutName, inkLayer: wantsInkLayer ? inkLayer : nil)
    }

    var layoutName: String {
        switch layout {
        case .document: "document"
        case .receipt: "receipt"
        case .form: "form"
        case .shippingLabel: "shipping_label"
        case .idCard: "id_card"
        case .scene: "scene"
        }
    }

    private mutating func paintBackground(sheet: (Double, Double), sheetToPage: Homography, fillsPage: Bool) throws {
        let n = width * height
        func bytes(_ f: [Float]) -> [UInt8] { f.map { UInt8(min(255, max(0, $0 + 0.5))) } }
        if layout == .scene {
            pixels = bytes(pages.surroundRenderer.makeBackground(width: width, height: height, inverted: random.chance(0.2),
                                                                random: &random).pixels)
            return
        }
        if fillsPage && sheet == (Double(width), Double(height)) && sheetToPage.m == Homography.identity.m {
            pixels = bytes(pages.styleRenderer.makeBackground(width: width, height: height, inverted: false, random: &random).pixels)
            return
        }
        // A sheet of paper on a surround: the paper is made in the sheet's frame and warped like
        // its text; a warped all-ink mask says where it lies (soft at the edges). The surround (a
        // desk, a wall, out of focus behind the sheet) is made at a quarter of the size and scaled
        // up - smooth anyway, and a full-size one costs as much as the rest of the page.
        let (sw, sh) = (Int(sheet.0.rounded()), Int(sheet.1.rounded()))
        let (qw, qh) = (max(8, width / 4), max(8, height / 4))
        let small = try Image(width: qw, height: qh, colorOrder: .bgr,
                              pixels: bytes(pages.surroundRenderer.makeBackground(width: qw, height: qh, inverted: random.chance(0.5),
                                                                                  random: &random).pixels))
        var out = try small.resized(width: width, height: height, interpolation: .linear).pixels
        let paper = try Image(width: sw, height: sh, colorOrder: .bgr,
                              pixels: bytes(pages.styleRenderer.makeBackground(width: sw, height: sh, inverted: false,
                                                                               random: &random).pixels))
        let warpedPaper = try paper.warpedPerspective(matrix: sheetToPage.m, width: width, height: height,
                                                      border: .replicate).pixels
        let coverage = try Image(width: sw, height: sh, colorOrder: .gray, repeating: 255)
            .warpedPerspective(matrix: sheetToPage.m, width: width, height: height, border: .constant, borderValue: [0]).pixels
        for i in 0..<n {
            let a = Int(coverage[i])
            if a == 0 { continue }
            if a == 255 {
                out[i * 3] = warpedPaper[i * 3]
                out[i * 3 + 1] = warpedPaper[i * 3 + 1]
                out[i * 3 + 2] = warpedPaper[i * 3 + 2]
                continue
            }
            for c in 0..<3 {
                out[i * 3 + c] = UInt8((Int(out[i * 3 + c]) * (255 - a) + Int(warpedPaper[i * 3 + c]) * a + 127) / 255)
            }
        }
        pixels = out
    }

    private mutating func drawShapes(_ shapes: [PageShape], _ sheetToPage: Homography) throws {
        guard !shapes.isEmpty else { return }
        var image = try Image(width: width, height: height, colorOrder: .bgr, pixels: pixels)
        // Lengths on the page: the sheet's scale at its centre, for stroke widths.
        let unit = sheetToPage.apply(Point(1, 0)).distance(to: sheetToPage.apply(Point(0, 0)))
        for shape in shapes {
            let points = shape.points.map { p -> Point2i in
                let q = sheetToPage.apply(p)
                return Point2i(Int(q.x.rounded()), Int(q.y.rounded()))
            }
            let value = [shape.color.b, shape.color.g, shape.color.r]
            switch shape.kind {
            case .fill:
                try image.fillPoly([points], value: value, lineType: .antialiased)
            case .stroke(let thickness, let closed):
                try image.polylines([points], closed: closed, value: value, thickness: max(1, Int((thickness * unit).rounded())),
                                    lineType: .antialiased)
            }
        }
        pixels = image.pixels
    }

    /// Draws `line` through `transform` (line frame -> page); returns its labels, or none (and
    /// draws nothing) when a label would leave the page.
    private mutating func drawLine(_ line: PageLine, _ transform: Homography) throws -> [TextRegion] {
        let units = line.labelUnits(pages.config.granularity).map { ($0.0, $0.1.map(transform.apply)) }
        let (maxX, maxY) = (Double(width - 1), Double(height - 1))
        guard units.allSatisfy({ $0.1.allSatisfy { $0.x >= 0 && $0.y >= 0 && $0.x <= maxX && $0.y <= maxY } }) else { return [] }
        let m = line.mask
        let corners = [Point(-1, -1), Point(Double(m.width), -1), Point(Double(m.width), Double(m.height)),
                       Point(-1, Double(m.height))].map(transform.apply)
        let x0 = max(0, Int(corners.map(\.x).min()!.rounded(.down))), y0 = max(0, Int(corners.map(\.y).min()!.rounded(.down)))
        let x1 = min(width, Int(corners.map(\.x).max()!.rounded(.up)) + 1), y1 = min(height, Int(corners.map(\.y).max()!.rounded(.up)) + 1)
        guard x1 > x0 && y1 > y0 else { return [] }
        let (bw, bh) = (x1 - x0, y1 - y0)
        let toBox = Homography.translation(Double(-x0), Double(-y0)) * transform
        let coverage = try Image(width: m.width, height: m.height, colorOrder: .gray, pixels: m.pixels)
            .warpedPerspective(matrix: toBox.m, width: bw, height: bh, interpolation: .linear, border: .constant, borderValue: [0])
            .pixels

        // Ink that stands out from what lies under it.
        var sum = 0.0, samples = 0
        for y in stride(from: 0, to: bh, by: 2) {
            for x in stride(from: 0, to: bw, by: 2) where coverage[y * bw + x] > 0 {
                let i = ((y + y0) * width + x + x0) * 3
                sum += 0.114 * Double(pixels[i]) + 0.587 * Double(pixels[i + 1]) + 0.299 * Double(pixels[i + 2])
                samples += 1
            }
        }
        let ink = inkColor(under: samples > 0 ? sum / Double(samples) / 255 : 0.9, handwriting: line.handwriting)
        let opacity = Float(random.uniform(pages.config.render.inkOpacity))
        let bgr = [Float(ink.b), Float(ink.g), Float(ink.r)]
        for y in 0..<bh {
            for x in 0..<bw {
                let v = coverage[y * bw + x]
                guard v > 0 else { continue }
                let p = (y + y0) * width + x + x0
                let a = Float(v) / 255 * opacity
                for c in 0..<3 {
                    pixels[p * 3 + c] = UInt8(Float(pixels[p * 3 + c]) * (1 - a) + bgr[c] * a + 0.5)
                }
                if wantsInkLayer { inkLayer[p] = max(inkLayer[p], v) }
            }
        }
        return units.map { TextRegion(transcription: $0.0, polygon: Polygon($0.1)) }
    }

    /// A printer's or pen's ink on light ground, a light ink on dark ground; colourful now and
    /// then; black or white when the draw would be too faint to read (`min_contrast`).
    private mutating func inkColor(under luminance: Double, handwriting: Bool) -> LineRenderer.RGB {
        let o = pages.config.render
        if let fixed = o.textColor { return LineRenderer.RGB(fixed) }
        var ink: LineRenderer.RGB
        if random.chance(o.colorTextProb) {
            ink = pages.styleRenderer.hue(random.unit(), saturation: random.uniform(0.5, 1),
                                          value: luminance > 0.5 ? random.uniform(0.2, 0.6) : random.uniform(0.8, 1))
        } else if luminance > 0.5 {
            let table = handwriting ? LineRenderer.pens : LineRenderer.inks
            ink = table[random.weighted(table.map(\.1))].0.jittered(12, &random)
        } else {
            ink = random.chance(0.8) ? LineRenderer.RGB(245, 245, 245).jittered(10, &random) : LineRenderer.RGB(250, 220, 90)
        }
        if abs(ink.luminance - luminance) < o.minContrast {
            ink = luminance > 0.5 ? LineRenderer.RGB(0, 0, 0).jittered(20, &random) : LineRenderer.RGB(255, 255, 255).jittered(20, &random)
        }
        return ink
    }
}
