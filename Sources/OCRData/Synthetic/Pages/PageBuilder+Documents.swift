import Foundation
import OCRCore

// Paper layouts: a document page, a till receipt, an invoice or form. Each fills the sheet from
// the top down and stops where the next line would pass the bottom margin.
extension PageBuilder {
    /// Headings, paragraphs (one or two columns, first lines indented, last lines short),
    /// sometimes a bulleted list or a rule, a page number at the foot.
    func document() throws {
        let margin = width * random.uniform(0.05, 0.11)
        var y = margin
        if random.chance(0.4), let header = try makeLine(
            [pages.words.token(.date, for: bodyFont, random: &random) ?? "1"], font: bodyFont,
            size: textSize(10, 14), maxWidth: width / 2) {
            put(header, x: width - margin, top: y, align: .right)
            y += header.size * 2
        }
        let titleSize = textSize(24, 60)
        if let title = try fillLine(font: displayFont, size: titleSize, maxWidth: width - 2 * margin,
                                    maxWords: random.int(in: 1...5), wordCase: random.chance(0.4) ? .upper : .asIs,
                                    capitalize: true) {
            let centered = random.chance(0.4)
            put(title, x: centered ? width / 2 : margin, top: y, align: centered ? .center : .left)
            y += step(title, size: titleSize, leading: random.uniform(1.6, 2.2))
        }
        let columns = width > 600 && random.chance(0.3) ? 2 : 1
        let gutter = width * 0.04
        let columnWidth = (width - 2 * margin - Double(columns - 1) * gutter) / Double(columns)
        let body = textSize(11, 22)
        let leading = random.uniform(1.3, 1.7)
        let bottom = height - margin - body * 2
        let top = y
        for column in 0..<columns {
            let x0 = margin + Double(column) * (columnWidth + gutter)
            y = top
            while y + body * leading < bottom {
                switch random.int(below: 10) {
                case 0:  // subheading
                    let size = textSize(body * 1.2, body * 1.8)
                    let line = try fillLine(font: displayFont, size: size, maxWidth: columnWidth,
                                            maxWords: random.int(in: 1...4), capitalize: true)
                    if let line { put(line, x: x0, top: y) }
                    y += step(line, size: size, leading: 1.8)
                case 1:  // bullets
                    for _ in 0..<random.int(in: 2...4) where y + body * leading < bottom {
                        shapes.append(PageShape(points: circle(Point(x0 + body * 0.5, y + body * 0.5), body * 0.15),
                                                kind: .fill, color: ruleColor))
                        let line = try fillLine(font: bodyFont, size: body, maxWidth: (columnWidth - body * 1.5) * random.uniform(0.4, 1),
                                                capitalize: true)
                        if let line { put(line, x: x0 + body * 1.5, top: y) }
                        y += step(line, size: body, leading: leading)
                    }
                    y += body * 0.8
                case 2:  // a rule across the column
                    rule(x0, y + body * 0.3, x0 + columnWidth, y + body * 0.3, thickness: random.uniform(1, 3))
                    y += body * 1.2
                default:  // a paragraph
                    let count = random.int(in: 2...8)
                    for k in 0..<count where y + body * leading < bottom {
                        let indent = k == 0 && random.chance(0.5) ? body * 2 : 0
                        let share = k == count - 1 ? random.uniform(0.2, 1) : 1
                        let line = try fillLine(font: bodyFont, size: body, maxWidth: (columnWidth - indent) * share,
                                                capitalize: k == 0)
                        if let line { put(line, x: x0 + indent, top: y) }
                        y += step(line, size: body, leading: leading)
                    }
                    y += body * random.uniform(0.5, 1.2)
                }
            }
        }
        if let number = try makeLine([String(random.int(in: 1...300))], font: bodyFont, size: textSize(10, 14),
                                     maxWidth: width) {
            put(number, x: width / 2, baseline: height - margin * 0.6, align: .center)
        }
    }

    /// A till receipt: centred shop name and address, items with right-aligned prices, dashed
    /// rules, a total, the date and time, a barcode.
    func receipt() throws {
        let margin = width * random.uniform(0.05, 0.1)
        let inner = width - 2 * margin
        var y = margin
        let body = textSize(12, 22)
        let step = body * random.uniform(1.25, 1.5)
        if random.chance(0.3) {
            logo(SheetRect(x: width / 2 - body * 1.5, y: y, width: body * 3, height: body * 3))
            y += body * 3.5
        }
        let shopSize = textSize(body * 1.3, body * 2.2)
        if let shop = try fillLine(font: displayFont, size: shopSize, maxWidth: inner, maxWords: random.int(in: 1...3),
                                   wordCase: .upper) {
            put(shop, x: width / 2, top: y, align: .center)
            y += shopSize * 1.5
        }
        for _ in 0..<random.int(in: 1...3) {
            if let line = try fillLine(font: bodyFont, size: body, maxWidth: inner * random.uniform(0.5, 0.9), maxWords: 4) {
                put(line, x: width / 2, top: y, align: .center)
            }
            y += step
        }
        dashedRule(margin, width - margin, y: y + body * 0.3, dash: body * 0.5)
        y += step
        let upper = random.chance(0.5)
        let bottom = height - margin - body * 8
        for _ in 0..<random.int(in: 3...40) where y < bottom {
            let priceText = pages.words.token(.price, for: bodyFont, random: &random) ?? "0"
            guard let price = try makeLine([priceText], font: bodyFont, size: body, maxWidth: inner / 3) else { continue }
            put(price, x: width - margin, top: y, align: .right)
            var x = margin
            if random.chance(0.3), let q = try makeLine([pages.words.token(.quantity, for: bodyFont, random: &random) ?? "1"],
                                                          font: bodyFont, size: body, maxWidth: inner / 5) {
                put(q, x: x, top: y)
                x += Double(q.width) + body
            }
            let room = width - margin - Double(price.width) - body * 1.5 - x
            if room > body * 2, let item = try fillLine(font: bodyFont, size: body, maxWidth: room,
                                                        maxWords: random.int(in: 1...3), wordCase: upper ? .upper : .asIs) {
                put(item, x: x, top: y)
            }
            y += self.step(price, size: body, leading: step / body)
        }
        dashedRule(margin, width - margin, y: y + body * 0.3, dash: body * 0.5)
        y += step
        let totalSize = textSize(body * 1.1, body * 1.6)
        if let label = try fillLine(font: displayFont, size: totalSize, maxWidth: inner / 2, maxWords: 1, wordCase: .upper),
           let amount = try makeLine([pages.words.token(.price, for: displayFont, random: &random) ?? "0"], font: displayFont,
                                     size: totalSize, maxWidth: inner / 2 - totalSize) {
            put(label, x: margin, top: y)
            put(amount, x: width - margin, top: y, align: .right)
        }
        y += totalSize * 1.8
        let stamp = [pages.words.token(.date, for: bodyFont, random: &random), pages.words.token(.time, for: bodyFont, random: &random)]
        if let line = try makeLine(stamp.compactMap { $0 }, font: bodyFont, size: body, maxWidth: inner) {
            put(line, x: width / 2, top: y, align: .center)
        }
        y += step * 1.3
        if y + body * 4 < height - margin {
            barcode(SheetRect(x: margin + inner * 0.1, y: y, width: inner * 0.8, height: min(body * 4, height - margin - y)))
            y += body * 4
        }
        contentBottom = min(height, y + margin * 2)
    }

    /// An invoice or form: logo and title, boxes of field name over value, a ruled table with a
    /// tinted header row, totals, sometimes a stamp.
    func form() throws {
        let margin = width * random.uniform(0.04, 0.08)
        let inner = width - 2 * margin
        var y = margin
        let logoSize = width * random.uniform(0.08, 0.14)
        if random.chance(0.7) { logo(SheetRect(x: margin, y: y, width: logoSize, height: logoSize)) }
        let titleSize = textSize(22, 44)
        if let title = try fillLine(font: displayFont, size: titleSize, maxWidth: inner - logoSize - titleSize, maxWords: random.int(in: 1...2),
                                    wordCase: .upper) {
            put(title, x: width - margin, top: y, align: .right)
        }
        y += max(logoSize, titleSize * 1.4) + titleSize * 0.4
        let label = textSize(9, 13), value = textSize(13, 22)
        // Field boxes: rows of 2-3 boxes, a small field name at the top left, the value below.
        let perRow = random.int(in: 2...3)
        let boxWidth = inner / Double(perRow)
        let boxHeight = label * 1.6 + value * 1.7
        let tokenKinds: [PageWords.Token] = [.date, .code, .phone, .number, .postcode, .amount]
        for _ in 0..<random.int(in: 1...3) {
            for k in 0..<perRow {
                let r = SheetRect(x: margin + Double(k) * boxWidth, y: y, width: boxWidth, height: boxHeight)
                box(r, thickness: random.uniform(1, 2))
                if let name = try fillLine(font: bodyFont, size: label, maxWidth: r.width - label, maxWords: random.int(in: 1...2),
                                           wordCase: random.chance(0.5) ? .upper : .capitalized) {
                    put(name, x: r.x + label * 0.5, top: r.y + label * 0.3)
                }
                let valueLine: PageLine?
                if random.chance(0.5) {
                    let kind = tokenKinds[random.int(below: tokenKinds.count)]
                    valueLine = try makeLine([pages.words.token(kind, for: bodyFont, random: &random) ?? "0"], font: bodyFont,
                                             size: value, maxWidth: r.width - value)
                } else {
                    valueLine = try fillLine(font: bodyFont, size: value, maxWidth: r.width - value, maxWords: random.int(in: 1...3),
                                             capitalize: true)
                }
                if let v = valueLine { put(v, x: r.x + value * 0.5, top: r.y + label * 1.5) }
            }
            y += boxHeight + value * 0.6
        }
        // The table.
        let cell = textSize(11, 18)
        let rowHeight = cell * random.uniform(1.7, 2.2)
        let columns = random.int(in: 3...5)
        var widths = (0..<columns).map { k in k == 0 ? random.uniform(2, 3.5) : random.uniform(0.8, 1.4) }
        let total = widths.reduce(0, +)
        widths = widths.map { $0 / total * inner }
        let rows = min(random.int(in: 3...12), Int((height - margin - y - rowHeight * 3) / rowHeight))
        guard rows >= 1 else { return }
        let tableTop = y
        filled(SheetRect(x: margin, y: y, width: inner, height: rowHeight),
               color: hueColor(random.unit(), saturation: random.uniform(0, 0.3), value: random.uniform(0.82, 0.95)))
        for r in 0...rows {
            var x = margin
            for (c, w) in widths.enumerated() {
                let line: PageLine?
                if r == 0 {  // a header: a few draws for a word that fits the column
                    var header: PageLine?
                    for _ in 0..<4 where header == nil {
                        header = try fillLine(font: displayFont, size: cell, maxWidth: w - cell, maxWords: 1, wordCase: .capitalized)
                    }
                    line = header
                } else if c == 0 {
                    line = try fillLine(font: bodyFont, size: cell, maxWidth: w - cell, maxWords: random.int(in: 1...4))
                } else {
                    let kinds: [PageWords.Token] = [.price, .quantity, .percent, .number]
                    line = try makeLine([pages.words.token(kinds[random.int(below: kinds.count)], for: bodyFont, random: &random) ?? "0"],
                                        font: bodyFont, size: cell, maxWidth: w - cell)
                }
                if let line {
                    let b = y + (rowHeight - cell) / 2 + cell * 0.78
                    if c == 0 { put(line, x: x + cell * 0.5, baseline: b) } else { put(line, x: x + w - cell * 0.5, baseline: b, align: .right) }
                }
                x += w
            }
            y += rowHeight
        }
        // Grid: outer box, row rules, column rules.
        box(SheetRect(x: margin, y: tableTop, width: inner, height: y - tableTop), thickness: random.uniform(1, 2.5))
        for r in 1...rows { rule(margin, tableTop + Double(r) * rowHeight, width - margin, tableTop + Double(r) * rowHeight, thickness: 1) }
        var x = margin
        for w in widths.dropLast() {
            x += w
            rule(x, tableTop, x, y, thickness: 1)
        }
        y += cell
        if y + value * 2 < height - margin, let totalLabel = try fillLine(font: displayFont, size: value, maxWidth: inner / 3,
                                                                        maxWords: 1, wordCase: .upper),
           let amount = try makeLine([pages.words.token(.amount, for: displayFont, random: &random) ?? "0"], font: displayFont,
                                     size: value, maxWidth: inner / 3) {
            put(amount, x: width - margin - cell * 0.5, top: y, align: .right)
            put(totalLabel, x: width - margin - Double(amount.width) - value * 2, top: y, align: .right)
            y += value * 2
        }
        let room = height - margin - y
        if room > width * 0.12 && random.chance(0.6) {
            let radius = min(room / 2, width * random.uniform(0.06, 0.1))
            stamp(center: Point(margin + radius + random.uniform(0, inner / 2 - 2 * radius), y + radius), radius: radius)
        }
        // A note added by hand or a second stamp, turned on its own (`block_rotate_*`), in the
        // right half of the space left (the stamp keeps to the left half).
        let noteSize = textSize(16, 32)
        if room > noteSize * 3 && random.chance(pages.config.blockRotateProb),
           let note = try fillLine(font: random.chance(0.5) ? displayFont : bodyFont, size: noteSize, maxWidth: inner * 0.4,
                                   maxWords: random.int(in: 1...3), capitalize: true) {
            let angle = random.symmetric(min(pages.config.blockRotateDegrees, 25))
            let x = width / 2 + random.uniform(0, max(0, inner / 2 - Double(note.width) - noteSize))
            let top = y + random.uniform(noteSize, max(noteSize, room - noteSize * 2))
            let box = PageBuilder.placedBox(note, x: x, baseline: top + Double(note.baselineY - note.top), rotation: angle)
            if box.x >= width / 2 && box.maxX <= width - margin / 2 && box.maxY <= height - margin / 2 {
                put(note, x: x, baseline: top + Double(note.baselineY - note.top), rotation: angle)
            }
        }
    }
}
