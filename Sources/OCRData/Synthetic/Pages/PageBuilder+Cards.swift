import Foundation
import OCRCore

// Label and card layouts, and the scene: text scattered on a photo-like background.
extension PageBuilder {
    /// A shipping label: a thick border, a small sender block, a large recipient block, a
    /// tracking number over a large barcode, thick rules between the parts.
    func shippingLabel() throws {
        let margin = width * random.uniform(0.03, 0.06)
        let border = random.uniform(2, 5)
        box(SheetRect(x: margin / 2, y: margin / 2, width: width - margin, height: height - margin), thickness: border,
            color: LineRenderer.RGB(10, 10, 10))
        let inner = width - 2 * margin
        var y = margin
        func block(heading: Double, body: Double, lines: Int) throws {
            if let head = try fillLine(font: displayFont, size: heading, maxWidth: inner / 2, maxWords: 1, wordCase: .upper) {
                put(head, x: margin, top: y)
            }
            y += heading * 1.5
            for k in 0..<lines {
                let line: PageLine?
                if k == lines - 1 {
                    line = try makeLine([pages.words.token(.postcode, for: bodyFont, random: &random) ?? "1",
                                         pages.words.word(for: bodyFont, case: .upper, random: &random) ?? "X"],
                                        font: bodyFont, size: body, maxWidth: inner)
                } else {
                    line = try fillLine(font: bodyFont, size: body, maxWidth: inner * random.uniform(0.5, 0.95),
                                        maxWords: random.int(in: 1...4), wordCase: random.chance(0.3) ? .upper : .capitalized)
                }
                if let line { put(line, x: margin + heading, top: y) }
                y += step(line, size: body, leading: 1.35)
            }
            y += body * 0.5
            rule(margin / 2, y, width - margin / 2, y, thickness: border, color: LineRenderer.RGB(10, 10, 10))
            y += body * 0.7
        }
        try block(heading: textSize(10, 14), body: textSize(11, 16), lines: random.int(in: 2...3))
        try block(heading: textSize(12, 18), body: textSize(18, 32), lines: random.int(in: 3...4))
        let codeSize = textSize(18, 36)
        if let code = try makeLine([pages.words.token(.code, for: displayFont, random: &random) ?? "0"], font: displayFont,
                                   size: codeSize, maxWidth: inner) {
            put(code, x: width / 2, top: y, align: .center)
        }
        y += codeSize * 1.5
        let barHeight = min(height - margin - y, height * random.uniform(0.1, 0.2))
        if barHeight > 20 { barcode(SheetRect(x: margin, y: y, width: inner, height: barHeight)) }
        y += barHeight + codeSize * 0.5
        // Small print in two columns below: weight, date, reference...
        let small = textSize(10, 15)
        let kinds: [PageWords.Token] = [.quantity, .date, .code, .number, .phone]
        while y + small * 1.5 < height - margin {
            for column in 0..<2 {
                let x = margin + Double(column) * inner / 2
                let name = try fillLine(font: bodyFont, size: small, maxWidth: inner / 4, maxWords: 1, wordCase: .upper)
                if let name { put(name, x: x, top: y) }
                let offset = name.map { Double($0.width) + small } ?? 0
                if let value = try makeLine([pages.words.token(kinds[random.int(below: kinds.count)], for: bodyFont, random: &random) ?? "0"],
                                            font: bodyFont, size: small, maxWidth: inner / 2 - offset - small) {
                    put(value, x: x + offset, top: y)
                }
            }
            y += small * 1.6
        }
    }

    /// An ID-card-like block: a coloured header band with a title, a photo box, field names
    /// (small, upper case) over values, and a machine-readable-zone-like code at the foot.
    func idCard() throws {
        let band = height * random.uniform(0.14, 0.22)
        filled(SheetRect(x: 0, y: 0, width: width, height: band),
               color: hueColor(random.unit(), saturation: random.uniform(0.5, 0.9), value: random.uniform(0.25, 0.6)))
        box(SheetRect(x: 0, y: 0, width: width, height: height), thickness: 2, color: ruleColor)
        let titleSize = textSize(band * 0.35, band * 0.55)
        if let title = try fillLine(font: displayFont, size: titleSize, maxWidth: width * 0.9, maxWords: random.int(in: 1...3),
                                    wordCase: .upper) {
            put(title, x: width / 2, top: (band - Double(title.bottom - title.top)) / 2, align: .center)
        }
        let margin = width * 0.04
        let photo = SheetRect(x: margin, y: band + margin, width: width * 0.28, height: (height - band) * 0.62)
        filled(photo, color: hueColor(random.unit(), saturation: random.uniform(0, 0.2), value: random.uniform(0.6, 0.85)))
        shapes.append(PageShape(points: circle(Point(photo.x + photo.width / 2, photo.y + photo.height * 0.38), photo.width * 0.22),
                                kind: .fill, color: hueColor(random.unit(), saturation: 0.3, value: 0.4)))
        shapes.append(PageShape(points: circle(Point(photo.x + photo.width / 2, photo.maxY), photo.width * 0.4, segments: 24)
            .filter { $0.y <= photo.maxY }, kind: .fill, color: hueColor(random.unit(), saturation: 0.3, value: 0.35)))
        let x0 = photo.maxX + margin
        let room = width - x0 - margin
        let label = textSize(9, 12), value = textSize(13, 22)
        var y = band + margin
        let kinds: [PageWords.Token] = [.date, .code, .number]
        while y + label * 1.3 + value * 1.4 < height * 0.8 {
            let name = try fillLine(font: bodyFont, size: label, maxWidth: room, maxWords: random.int(in: 1...2), wordCase: .upper)
            if let name { put(name, x: x0, top: y) }
            y += step(name, size: label, leading: 1.3)
            let v = random.chance(0.4)
                ? try makeLine([pages.words.token(kinds[random.int(below: kinds.count)], for: bodyFont, random: &random) ?? "0"],
                               font: bodyFont, size: value, maxWidth: room)
                : try fillLine(font: bodyFont, size: value, maxWidth: room, maxWords: random.int(in: 1...3), wordCase: .capitalized)
            if let v { put(v, x: x0, top: y) }
            y += step(v, size: value, leading: 1.5)
        }
        let mrz = textSize(10, 16)
        let codes = (0..<2).compactMap { _ in pages.words.token(.code, for: bodyFont, random: &random) }
        if let line = try makeLine(codes, font: bodyFont, size: mrz, maxWidth: width - 2 * margin) {
            put(line, x: margin, baseline: height - margin - mrz * 0.3)
        }
    }

    /// Words and short phrases of many sizes scattered over a photo-like background with
    /// coloured blobs; a share rotated on their own (`block_rotate_*`) and curved (`curve_*`).
    func scene() throws {
        let config = pages.config
        for _ in 0..<random.int(in: 1...6) {
            let c = Point(random.uniform(0, width), random.uniform(0, height))
            let r = random.uniform(0.04, 0.15) * min(width, height)
            let color = hueColor(random.unit(), saturation: random.uniform(0.2, 0.9), value: random.uniform(0.2, 0.95))
            let points = random.chance(0.5) ? circle(c, r)
                : (0..<random.int(in: 3...6)).map { _ in Point(c.x + random.symmetric(r), c.y + random.symmetric(r)) }
            shapes.append(PageShape(points: points, kind: .fill, color: color))
            // Text keeps off the blobs: ink chosen for the ground beside a blob may vanish on it.
            occupied.append(SheetRect(x: c.x - r, y: c.y - r, width: 2 * r, height: 2 * r))
        }
        let wanted = random.int(in: 4...16)
        var placed = 0
        for _ in 0..<(wanted * 4) where placed < wanted {
            let size = textSize(14, 80)
            let font = random.chance(0.5) ? bodyFont : displayFont
            let wordCase: PageWords.Case = random.chance(0.3) ? .upper : .asIs
            let words = random.int(in: 1...4)
            guard var line = try (random.chance(0.2)
                ? makeLine([pages.words.token(PageWords.Token.allCases[random.int(below: PageWords.Token.allCases.count)],
                                              for: font, random: &random) ?? "0"], font: font, size: size, maxWidth: width * 0.9)
                : fillLine(font: font, size: size, maxWidth: width * 0.9, maxWords: words, wordCase: wordCase)) else { continue }
            if random.chance(config.curveProb) && line.width > Int(size * 2) { bend(&line) }
            let rotation = random.chance(config.blockRotateProb) ? random.symmetric(config.blockRotateDegrees) : 0
            let x = random.uniform(0, max(1, width - Double(line.width)))
            let y = random.uniform(size, max(size + 1, height - size * 0.5))
            let candidate = PageBuilder.placedBox(line, x: x, baseline: y, rotation: rotation)
            guard candidate.x >= 2 && candidate.y >= 2 && candidate.maxX <= width - 2 && candidate.maxY <= height - 2,
                  !occupied.contains(where: { $0.intersects(candidate.insetBy(-size * 0.2)) }) else { continue }
            put(line, x: x, baseline: y, rotation: rotation)
            occupied.append(candidate)
            placed += 1
        }
    }

    /// Bends a line's baseline: an arch up or down, or part of a wave, up to `curve_amplitude` em.
    func bend(_ line: inout PageLine) {
        let amplitude = random.uniform(0.3, 1) * pages.config.curveAmplitude * line.size
        let w = Double(line.mask.width)
        switch random.int(below: 3) {
        case 0:  // arch: the middle high
            line.bend { x in let u = (x - w / 2) / (w / 2); return amplitude * min(1.2, u * u) }
        case 1:  // sag: the middle low
            line.bend { x in let u = (x - w / 2) / (w / 2); return amplitude * max(0, 1 - u * u) }
        default:
            let phase = random.uniform(0, 2 * Double.pi), turns = random.uniform(0.4, 1)
            line.bend { x in amplitude * (1 + sin(phase + 2 * Double.pi * turns * x / w)) / 2 }
        }
    }

    /// The sheet box `put` would give the line's label polygon (rotation included).
    static func placedBox(_ line: PageLine, x: Double, baseline: Double, rotation: Double) -> SheetRect {
        var l = line
        let dx = x - Double(line.left), dy = baseline - Double(line.baselineY)
        l.placement = Homography.translation(dx, dy)
        if rotation != 0 {
            let c = Point(x + Double(line.width) / 2, Double(line.top + line.bottom) / 2 + dy)
            l.placement = Homography.rotation(degrees: rotation, about: c) * l.placement
        }
        let points = l.labelUnits(.line)[0].1.map(l.placement.apply)
        let xs = points.map(\.x), ys = points.map(\.y)
        return SheetRect(x: xs.min()!, y: ys.min()!, width: xs.max()! - xs.min()!, height: ys.max()! - ys.min()!)
    }
}
