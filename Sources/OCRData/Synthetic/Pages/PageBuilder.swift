import Foundation
import OCRCore

/// The page layouts `SyntheticPages` draws from (`layouts` weights in the config, same order).
enum PageLayout: Int, CaseIterable {
    case document, receipt, form, shippingLabel, idCard, scene
}

/// Plans one page on its sheet (the paper, card or label, in its own upright frame): the layouts
/// (`PageBuilder+Documents.swift`, `PageBuilder+Cards.swift`) call `fillLine`/`makeLine` and
/// `put` for text and the shape makers (`PageShape.swift`) for distractors; the compositor then
/// carries everything onto the page through one homography. Lives for one page, on one thread.
final class PageBuilder {
    let pages: SyntheticPages
    var random: SynthRandom
    let width: Double
    let height: Double
    /// Placed lines, in drawing order.
    var lines: [PageLine] = []
    var shapes: [PageShape] = []
    /// Sheet boxes taken by scattered texts and shapes (scene layout), to keep them apart.
    var occupied: [SheetRect] = []
    /// This page's fonts: a body font and a display font (often the same).
    let bodyFont: FontFile
    let displayFont: FontFile
    /// Where the content ends, when the sheet should end there too (a receipt is cut after it).
    var contentBottom: Double?
    /// Colour of rules and boxes on this page.
    let ruleColor: LineRenderer.RGB

    init(pages: SyntheticPages, random: SynthRandom, width: Double, height: Double) {
        self.pages = pages
        self.random = random
        self.width = width
        self.height = height
        let fonts = pages.fonts
        bodyFont = fonts[self.random.int(below: fonts.count)]
        displayFont = self.random.chance(0.5) ? bodyFont : fonts[self.random.int(below: fonts.count)]
        let gray = self.random.uniform(0, 110)
        ruleColor = self.random.chance(0.8) ? LineRenderer.RGB(gray, gray, gray)
            : pages.styleRenderer.hue(self.random.unit(), saturation: 0.6, value: 0.5)
    }

    /// An em size drawn in [lo, hi] pixels, kept inside the config's `text_size`.
    func textSize(_ lo: Double, _ hi: Double) -> Double {
        let r = pages.config.textSize
        let (a, b) = (min(max(lo, r.lower), r.upper), min(max(hi, r.lower), r.upper))
        return random.uniform(a, b)
    }

    /// A line of `texts` in order, as many as fit in `maxWidth` pixels of ink; nil when not even
    /// the first fits (or the font draws none of them).
    func makeLine(_ texts: [String], font: FontFile, size: Double, maxWidth: Double) throws -> PageLine? {
        // Tokens like "12 JAN 2024" are words to a word-level label.
        var texts = texts.flatMap { $0.split(separator: " ").map(String.init) }[...]
        return try build(font: font, size: size, maxWidth: maxWidth, maxWords: texts.count) { _ in texts.popFirst() }
    }

    /// A line of corpus words (the first capitalised when `capitalize`), up to `maxWords` or as
    /// many as fit in `maxWidth`.
    func fillLine(font: FontFile, size: Double, maxWidth: Double, maxWords: Int = 40,
                  wordCase: PageWords.Case = .asIs, capitalize: Bool = false) throws -> PageLine? {
        try build(font: font, size: size, maxWidth: maxWidth, maxWords: maxWords) { [pages] k in
            let c: PageWords.Case = k == 0 && capitalize && wordCase == .asIs ? .capitalized : wordCase
            return pages.words.word(for: font, case: c, random: &self.random)
        }
    }

    /// Rasterises words from `next` with one style until the ink would pass `maxWidth`.
    private func build(font: FontFile, size: Double, maxWidth: Double, maxWords: Int,
                       next: (Int) -> String?) throws -> PageLine? {
        let renderer = pages.styleRenderer
        let style = renderer.drawStyle(for: font, size: size, random: &random)
        let space = try font.spaceAdvance(size: size) + style.spacing
        var parts: [(text: String, mask: GlyphMask)] = []
        var pen = 0.0
        for k in 0..<maxWords {
            guard let text = next(k), !text.isEmpty, font.covers(text) else { break }
            let mask: GlyphMask
            do {
                mask = try renderer.rasterize(text, font: font, style: style, random: &random)
            } catch let e as FontError where e.kind == .notCovered {
                continue
            }
            // Ink right edge of this word if appended, in pen coordinates.
            let inkRight = pen + Double(mask.ink!.right) - mask.originX
            let inkLeft = parts.first.map { Double($0.mask.ink!.left) - $0.mask.originX } ?? Double(mask.ink!.left) - mask.originX
            if inkRight - inkLeft > maxWidth { break }
            parts.append((text, mask))
            pen += mask.advance + space
        }
        guard !parts.isEmpty else { return nil }
        return PageLine(words: parts, space: space, size: size, handwriting: style.handwriting)
    }

    enum Align { case left, center, right }

    /// Places `line` with its ink's left edge (or centre, or right edge) at `x` and its baseline
    /// at `baseline`, turned by `rotation` degrees about `pivot` (the line's centre by default).
    /// Returns the sheet box it takes (before rotation).
    @discardableResult
    func put(_ line: PageLine, x: Double, baseline: Double, align: Align = .left, rotation: Double = 0,
             pivot: Point? = nil) -> SheetRect {
        var line = line
        let left = switch align {
        case .left: x
        case .center: x - Double(line.width) / 2
        case .right: x - Double(line.width)
        }
        let dx = left - Double(line.left), dy = baseline - Double(line.baselineY)
        var placement = Homography.translation(dx, dy)
        let box = SheetRect(x: left, y: Double(line.top) + dy, width: Double(line.width), height: Double(line.bottom - line.top))
        if rotation != 0 {
            let p = pivot ?? Point(box.x + box.width / 2, box.y + box.height / 2)
            placement = Homography.rotation(degrees: rotation, about: p) * placement
        }
        line.placement = placement
        lines.append(line)
        return box
    }

    /// Places `line` with the top of its line box at `top` (fonts' tall letters reach from 0.6 to
    /// over 1 em above the baseline, so rows are laid out by their measured boxes).
    @discardableResult
    func put(_ line: PageLine, x: Double, top: Double, align: Align = .left) -> SheetRect {
        put(line, x: x, baseline: top + Double(line.baselineY - line.top), align: align)
    }

    /// How far down the next row starts: `leading` em, or more when the line box is taller.
    func step(_ line: PageLine?, size: Double, leading: Double) -> Double {
        max(size * leading, Double((line?.bottom ?? 0) - (line?.top ?? 0)) * 1.12)
    }
}

extension FontFile {
    /// The pen advance of a space at `size` pixels (0.3 em when the font has no space).
    func spaceAdvance(size: Double) throws -> Double {
        guard covers(" ") else { return 0.3 * size }
        return try withFace { face in
            try face.setPixelSize(size)
            return Double(try face.shape(" ", letterSpacing: 0).glyphs.first?.x_advance ?? Float(0.3 * size))
        }
    }
}
