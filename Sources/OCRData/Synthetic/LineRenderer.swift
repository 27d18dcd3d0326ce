import Foundation
import Imaging

/// Renders one text line with one font into a BGR image, with the variety of `RenderOptions`:
/// size, spacing, stroke width, slant, handwriting jitter, margins, colours and backgrounds,
/// rotation and perspective, blur, noise and JPEG artefacts. Every random choice comes from the
/// generator passed in, so an image is a pure function of (text, font, options, seed).
///
/// The order follows how a real line image comes about: glyphs are drawn into a coverage mask
/// (where handwriting jitter and elastic distortion act), the mask is cropped with margins and
/// warped (so no background is ever stretched or cut), then inked over a background, then blurred,
/// noised and compressed as a camera or scanner would.
///
/// A font that lacks a character of the text is never used for it: `render` throws
/// `FontError(.notCovered)` rather than draw a box or nothing.
public struct LineRenderer: Sendable {
    public let options: RenderOptions

    /// Throws `RenderOptionsError` for out-of-range options.
    public init(options: RenderOptions = RenderOptions()) throws {
        try options.validate()
        self.options = options
    }

    /// Renders `text` with `font`, drawing every random choice from (seed, index).
    public func render(_ text: String, font: FontFile, seed: UInt64, index: Int = 0) throws -> RenderedLine {
        var random = SynthRandom(SplitMix64(seed: seed, UInt64(bitPattern: Int64(index))))
        return try render(text, font: font, random: &random)
    }

    /// Whether handwriting mode may apply to `font` (`handwriting_fonts` filters by file name).
    public func handwritingApplies(to font: FontFile) -> Bool {
        options.handwritingProb > 0
            && (options.handwritingFonts.isEmpty || options.handwritingFonts.contains { font.name.contains($0) })
    }

    func render(_ text: String, font: FontFile, random: inout SynthRandom) throws -> RenderedLine {
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw FontError(.invalidArgument, "render with '\(font.path)': the text \(quoted(text)) has nothing to draw")
        }
        let missing = font.missingCharacters(in: text)
        guard missing.isEmpty else { throw notCovered(text, font, missing) }

        let o = options
        // 1. Glyphs -> coverage mask.
        let style = drawStyle(for: font, random: &random)
        let size = style.size
        var mask = try rasterize(text, font: font, style: style, random: &random)
        guard var ink = mask.ink else {
            throw FontError(.internal, "render \(quoted(text)) with '\(font.path)' at \(size) px: no ink was drawn")
        }
        if random.chance(o.underlineProb) {
            let y = mask.baselineY + max(1, Int((-mask.descender * 0.3).rounded()))
            let thickness = max(1, Int((size * 0.05).rounded()))
            let overhang = Int((size * 0.05).rounded())
            mask.fill(PixelBox(left: ink.left - overhang, top: y, right: ink.right + overhang, bottom: y + thickness))
            mask.measureInk()
            ink = mask.ink ?? ink
        }

        // 2. Crop: the ink horizontally; vertically the line box (so x-height sits the same in every
        // line of a font), or the ink alone as a tight detector box would.
        var box = ink
        let lineBoxHeight = mask.ascender - mask.descender
        // Punctuation-only texts ("...", "-") keep the line box: a 3-pixel-high crop is no line.
        let tight = random.chance(o.tightCropProb) && Double(ink.height) >= 0.5 * lineBoxHeight
        if !tight {
            box.top = min(ink.top, mask.baselineY - Int(mask.ascender.rounded(.up)))
            box.bottom = max(ink.bottom, mask.baselineY - Int(mask.descender.rounded(.down)))
        }
        func margin(_ r: RenderOptions.Interval) -> Int { Int((random.uniform(r) * size).rounded()) }
        let (left, right, top, bottom) = (margin(o.marginX), margin(o.marginX), margin(o.marginY), margin(o.marginY))
        mask = mask.cropped(to: box, left: left, top: top, right: right, bottom: bottom)

        // 3. Geometry: one homography for rotation and perspective.
        let rotate = random.chance(o.rotateProb) ? random.symmetric(o.rotateDegrees) : 0
        let perspective = random.chance(o.perspectiveProb) ? o.perspective * Double(mask.height) : 0
        if rotate != 0 || perspective > 0 {
            let (w, h) = (Double(mask.width), Double(mask.height))
            let angle = rotate * Double.pi / 180
            let (c, s) = (cos(angle), sin(angle))
            let corners = [(0.0, 0.0), (w, 0), (w, h), (0, h)].map { (x, y) -> Point2f in
                let (dx, dy) = (x - w / 2, y - h / 2)
                let px = random.symmetric(perspective), py = random.symmetric(perspective)
                return Point2f(Float(w / 2 + c * dx - s * dy + px), Float(h / 2 + s * dx + c * dy + py))
            }
            mask = try mask.warped(to: corners)
        }

        // 4. Ink over a background.
        var image = try paint(mask, handwriting: style.handwriting, random: &random)

        // 5. Capture: blur, resolution loss, noise, compression.
        image = try degrade(image, random: &random)
        return RenderedLine(image: image, text: text, font: font.name, fontSize: size, handwriting: style.handwriting)
    }

    /// How one line's glyphs are drawn: drawn once per line (`SyntheticPages` draws every word of
    /// a line with one style, so a line keeps its look when its words are rasterised apart).
    struct TextStyle {
        /// Em size, pixels.
        var size: Double
        var handwriting: Bool
        /// Extra pixels after each character.
        var spacing: Double
        /// Stroke width change, pixels.
        var embolden: Double
        /// Synthetic oblique.
        var shear: Double
        /// Elastic distortion, pixels (0: none).
        var elasticAmplitude: Double
        var elasticScale: Double
    }

    /// Draws a style from the options; `size` replaces the drawn em size when given (the draws
    /// stay the same, so the rest of the stream does not shift).
    func drawStyle(for font: FontFile, size fixedSize: Double? = nil, random: inout SynthRandom) -> TextStyle {
        let o = options
        let drawn = random.uniform(o.fontSize)
        let size = fixedSize ?? drawn
        let handwriting = handwritingApplies(to: font) && random.chance(o.handwritingProb)
        let spacing = random.chance(o.letterSpacingProb) ? random.uniform(o.letterSpacing) * size : 0
        let embolden: Double, shear: Double
        if handwriting {
            embolden = random.uniform(o.handwritingStrokeWidth) * size
            shear = random.uniform(o.handwritingSlant)
        } else {
            embolden = random.chance(o.strokeWidthProb) ? random.uniform(o.strokeWidth) * size : 0
            shear = random.chance(o.obliqueProb) ? random.uniform(o.oblique) : 0
        }
        let elasticAmplitude = handwriting ? random.uniform(o.elasticAmplitude) * size : 0
        let elasticScale = random.uniform(o.elasticScale) * size
        return TextStyle(size: size, handwriting: handwriting, spacing: spacing, embolden: embolden, shear: shear,
                         elasticAmplitude: elasticAmplitude, elasticScale: elasticScale)
    }

    /// Step 1 of `render`: the glyphs of `text` in `style` as a coverage mask (handwriting jitter
    /// and elastic distortion applied), with its ink measured. Throws `FontError(.notCovered)` when
    /// the font lacks a character, `.internal` when nothing was drawn.
    func rasterize(_ text: String, font: FontFile, style: TextStyle, random: inout SynthRandom) throws -> GlyphMask {
        let padding = Int((style.elasticAmplitude * 2).rounded(.up)) + 2
        var mask = try font.withFace { face -> GlyphMask in
            try face.setPixelSize(style.size)
            let run = try face.shape(text, letterSpacing: Float(style.spacing))
            // The coverage check should make this impossible; HarfBuzz has the last word.
            guard run.notdefCount == 0 else { throw notCovered(text, font, font.missingCharacters(in: text)) }
            let transforms = style.handwriting ? handwritingTransforms(run, size: style.size, random: &random) : []
            return try face.rasterize(run, transforms: transforms, embolden: Float(style.embolden),
                                      shear: Float(style.shear), padding: padding)
        }
        if style.elasticAmplitude > 0 {
            mask = mask.elasticallyDistorted(amplitude: style.elasticAmplitude, scale: style.elasticScale, random: &random)
        }
        guard mask.ink != nil else {
            throw FontError(.internal, "render \(quoted(text)) with '\(font.path)' at \(style.size) px: no ink was drawn")
        }
        return mask
    }

    /// Per-glyph jitter of a hand: the baseline drifts smoothly with a little noise on each glyph,
    /// glyphs tilt and change size a little, and gaps between them vary (accumulating along the
    /// line, as a hand's spacing does). Marks (zero-advance glyphs) move with their base.
    func handwritingTransforms(_ run: ShapedRun, size: Double, random: inout SynthRandom) -> [GlyphTransform] {
        let o = options
        let sigma = o.baselineJitter * size
        let maxAngle = o.glyphRotateDegrees * Double.pi / 180
        let gapSigma = o.glyphSpacingJitter * size
        var drift = random.gaussian() * sigma
        var shift = 0.0
        var out: [GlyphTransform] = []
        out.reserveCapacity(run.glyphs.count)
        for glyph in run.glyphs {
            if glyph.x_advance == 0, let previous = out.last {
                out.append(previous)
                continue
            }
            drift = 0.8 * drift + 0.6 * random.gaussian() * sigma
            let dy = drift + 0.5 * random.gaussian() * sigma
            // A gap may shrink by at most a third of the glyph's advance, so letters do not pile up.
            let gap = max(-Double(glyph.x_advance) / 3, random.gaussian() * gapSigma)
            out.append(GlyphTransform(dx: Float(shift), dy: Float(dy), angle: Float(random.symmetric(maxAngle)),
                                      scale: Float(1 + random.symmetric(o.glyphScaleJitter))))
            shift += gap
        }
        return out
    }

    private func notCovered(_ text: String, _ font: FontFile, _ missing: [Character]) -> FontError {
        let chars = missing.isEmpty ? "some character (HarfBuzz shaped a .notdef glyph)"
            : missing.map(SyntheticCodePoints.describe).joined(separator: ", ")
        return FontError(.notCovered, "font '\(font.path)' cannot draw \(chars) of the text \(quoted(text))")
    }

    private func quoted(_ text: String) -> String {
        text.count > 60 ? "\"\(text.prefix(57))...\"" : "\"\(text)\""
    }
}

/// One rendered line and what it was rendered with.
public struct RenderedLine: Sendable {
    /// BGR, about `fontSize` * 1.3 plus margins high.
    public var image: Image
    public var text: String
    /// The font's `name` (file name).
    public var font: String
    /// Em size in pixels.
    public var fontSize: Double
    /// Whether handwriting mode was on.
    public var handwriting: Bool
}
