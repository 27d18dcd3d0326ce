import OCRCore

/// A distractor on the sheet: ink that is not text (rules, boxes, table grids, barcodes, stamps,
/// logos, photo blobs), drawn before the text and never labelled - a detector must learn to leave
/// it alone. Points are sheet coordinates; the page's homography carries them like the text.
struct PageShape {
    enum Kind {
        /// A filled polygon.
        case fill
        /// An outline `thickness` pixels wide, closed or open.
        case stroke(thickness: Double, closed: Bool)
    }

    var points: [Point]
    var kind: Kind
    var color: LineRenderer.RGB
}

// Shape makers the layouts share.
extension PageBuilder {
    func rule(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, thickness: Double = 1.5, color: LineRenderer.RGB? = nil) {
        shapes.append(PageShape(points: [Point(x0, y0), Point(x1, y1)], kind: .stroke(thickness: thickness, closed: false),
                                color: color ?? ruleColor))
    }

    /// A dashed rule, as receipts print between sections.
    func dashedRule(_ x0: Double, _ x1: Double, y: Double, dash: Double, color: LineRenderer.RGB? = nil) {
        var x = x0
        while x + dash <= x1 {
            rule(x, y, x + dash, y, thickness: max(1, dash / 4), color: color)
            x += dash * 1.8
        }
    }

    func box(_ r: SheetRect, thickness: Double = 1.5, color: LineRenderer.RGB? = nil) {
        shapes.append(PageShape(points: r.corners, kind: .stroke(thickness: thickness, closed: true), color: color ?? ruleColor))
    }

    func filled(_ r: SheetRect, color: LineRenderer.RGB) {
        shapes.append(PageShape(points: r.corners, kind: .fill, color: color))
    }

    /// Bars of varying widths filling `r`, as a 1-D barcode looks (not a decodable one).
    func barcode(_ r: SheetRect) {
        let module = max(1.2, r.width / Double(random.int(in: 60...110)))
        var x = r.x + module * 4
        var black = true
        let color = LineRenderer.RGB(10, 10, 10)
        while x < r.x + r.width - module * 4 {
            let w = module * Double(random.int(in: 1...4))
            if black { filled(SheetRect(x: x, y: r.y, width: min(w, r.x + r.width - x), height: r.height), color: color) }
            x += w
            black.toggle()
        }
    }

    /// A rubber stamp: one or two rings (or a rounded frame) and a star or bars inside, in stamp
    /// red, blue or violet, sometimes tilted. No letters: a stamp's text would need a label.
    func stamp(center c: Point, radius: Double) {
        let colors = [LineRenderer.RGB(190, 30, 40), LineRenderer.RGB(40, 60, 170), LineRenderer.RGB(110, 40, 140)]
        let color = colors[random.int(below: colors.count)]
        let thickness = max(1.5, radius * 0.06)
        shapes.append(PageShape(points: circle(c, radius), kind: .stroke(thickness: thickness, closed: true), color: color))
        if random.chance(0.6) {
            shapes.append(PageShape(points: circle(c, radius * 0.72), kind: .stroke(thickness: thickness * 0.6, closed: true),
                                    color: color))
        }
        if random.chance(0.5) {
            let r = radius * 0.4
            let star = (0..<10).map { i -> Point in
                let a = Double(i) * Double.pi / 5 - Double.pi / 2
                let rr = i % 2 == 0 ? r : r * 0.45
                return Point(c.x + rr * cos(a), c.y + rr * sin(a))
            }
            shapes.append(PageShape(points: star, kind: .fill, color: color))
        } else {
            for k in -1...1 {
                rule(c.x - radius * 0.45, c.y + Double(k) * radius * 0.2, c.x + radius * 0.45, c.y + Double(k) * radius * 0.2,
                     thickness: thickness * 0.8, color: color)
            }
        }
    }

    /// A logo: two or three overlapping filled shapes (circle, triangle, square, diamond) in
    /// brand colours.
    func logo(_ r: SheetRect) {
        let s = min(r.width, r.height)
        for _ in 0..<random.int(in: 2...3) {
            let color = hueColor(random.unit(), saturation: random.uniform(0.5, 1), value: random.uniform(0.3, 0.85))
            let size = s * random.uniform(0.35, 0.6)
            let c = Point(r.x + random.uniform(size / 2, r.width - size / 2), r.y + random.uniform(size / 2, r.height - size / 2))
            let points: [Point] = switch random.int(below: 4) {
            case 0: circle(c, size / 2)
            case 1: [Point(c.x, c.y - size / 2), Point(c.x + size / 2, c.y + size / 2), Point(c.x - size / 2, c.y + size / 2)]
            case 2: SheetRect(x: c.x - size / 2, y: c.y - size / 2, width: size, height: size).corners
            default: [Point(c.x, c.y - size / 2), Point(c.x + size / 2, c.y), Point(c.x, c.y + size / 2), Point(c.x - size / 2, c.y)]
            }
            shapes.append(PageShape(points: points, kind: .fill, color: color))
        }
    }

    func circle(_ c: Point, _ r: Double, segments: Int = 48) -> [Point] {
        (0..<segments).map { i in
            let a = Double(i) * 2 * Double.pi / Double(segments)
            return Point(c.x + r * cos(a), c.y + r * sin(a))
        }
    }

    func hueColor(_ h: Double, saturation: Double, value: Double) -> LineRenderer.RGB {
        pages.styleRenderer.hue(h, saturation: saturation, value: value)
    }
}

/// An axis-aligned rectangle on the sheet.
struct SheetRect {
    var x: Double, y: Double, width: Double, height: Double

    var corners: [Point] { [Point(x, y), Point(x + width, y), Point(x + width, y + height), Point(x, y + height)] }
    var maxX: Double { x + width }
    var maxY: Double { y + height }

    func intersects(_ o: SheetRect) -> Bool { x < o.maxX && o.x < maxX && y < o.maxY && o.y < maxY }

    func insetBy(_ d: Double) -> SheetRect { SheetRect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
}

import Foundation
