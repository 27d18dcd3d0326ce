/// How synthetic lines vary: every effect has a probability and a range, drawn per line.
///
/// Set from YAML (`SyntheticLines` datasets, `ocr data render --options`) with snake_case keys; any
/// key left out keeps its default, and a range is `[low, high]` or one number for a fixed value:
///
///     font_size: [28, 40]
///     rotate_degrees: 2
///     blur_prob: 0.2
///
/// Lengths are in em (the font size) so they scale with `font_size`; blur and noise are in pixels
/// and 0...255 levels. Colours are RGB. The defaults aim at printed text lines as a scanner or
/// phone camera sees them; for handwriting fonts set `handwriting_prob: 1`.
public struct RenderOptions: Codable, Sendable, Equatable {
    /// A closed range of numbers: `[low, high]`, or one number for a fixed value.
    public struct Interval: Codable, Sendable, Equatable {
        public var lower: Double
        public var upper: Double

        public init(_ lower: Double, _ upper: Double) {
            self.lower = lower
            self.upper = upper
        }

        public init(from decoder: Decoder) throws {
            if let single = try? decoder.singleValueContainer().decode(Double.self) {
                self.init(single, single)
                return
            }
            var list = try decoder.unkeyedContainer()
            let lower = try list.decode(Double.self), upper = try list.decode(Double.self)
            guard list.isAtEnd else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "a range is [low, high] or one number"))
            }
            self.init(lower, upper)
        }

        public func encode(to encoder: Encoder) throws {
            var list = encoder.unkeyedContainer()
            try list.encode(lower)
            try list.encode(upper)
        }
    }

    /// Relative weights of the background kinds (need not sum to 1).
    public struct BackgroundWeights: Codable, Sendable, Equatable {
        /// One flat colour.
        public var solid = 0.35
        /// A linear blend of two colours at a random angle.
        public var gradient = 0.15
        /// Smooth random texture plus grain.
        public var noise = 0.15
        /// Paper: a light tint with blotches, grain and sometimes a shadow across it.
        public var paper = 0.35

        public init() {}

        public init(solid: Double, gradient: Double, noise: Double, paper: Double) {
            self.solid = solid
            self.gradient = gradient
            self.noise = noise
            self.paper = paper
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = BackgroundWeights()
            solid = try c.decodeIfPresent(Double.self, forKey: .solid) ?? d.solid
            gradient = try c.decodeIfPresent(Double.self, forKey: .gradient) ?? d.gradient
            noise = try c.decodeIfPresent(Double.self, forKey: .noise) ?? d.noise
            paper = try c.decodeIfPresent(Double.self, forKey: .paper) ?? d.paper
        }

        var all: [Double] { [solid, gradient, noise, paper] }
    }

    // MARK: Text

    /// Em size in pixels; the image is about 1.3x this high before margins.
    public var fontSize = Interval(28, 40)
    /// Probability of extra letter spacing.
    public var letterSpacingProb = 0.15
    /// Extra space after each character, em (negative tightens).
    public var letterSpacing = Interval(-0.03, 0.12)
    /// Probability of a stroke width change (synthetic bold or thin).
    public var strokeWidthProb = 0.25
    /// Stroke width change, em (FreeType emboldening; negative thins).
    public var strokeWidth = Interval(-0.015, 0.035)
    /// Probability of a synthetic oblique (slanted) face.
    public var obliqueProb = 0.05
    /// Slant as horizontal shift per unit of height (0.2 is about 11 degrees).
    public var oblique = Interval(0.1, 0.25)
    /// Probability of an underline below the text.
    public var underlineProb = 0.03

    // MARK: Layout

    /// Blank space left and right of the text, each side, em.
    public var marginX = Interval(0.1, 0.8)
    /// Blank space above and below the line box, each side, em.
    public var marginY = Interval(0.05, 0.3)
    /// Probability of cropping to the ink vertically (a detector's tight box) instead of the line box.
    public var tightCropProb = 0.25

    // MARK: Colour

    /// Weights of the background kinds.
    public var backgrounds = BackgroundWeights()
    /// A fixed ink colour, RGB 0...255 (nil: drawn per line).
    public var textColor: [Int]? = nil
    /// A fixed flat background colour, RGB 0...255 (nil: drawn per line from `backgrounds`).
    public var backgroundColor: [Int]? = nil
    /// Probability of a colourful ink instead of a dark one.
    public var colorTextProb = 0.1
    /// Probability of light text on a dark background.
    public var invertProb = 0.05
    /// Least luminance difference (0...1) between ink and background; closer draws are replaced.
    public var minContrast = 0.4
    /// Ink opacity (1 = solid).
    public var inkOpacity = Interval(0.8, 1.0)

    // MARK: Geometry

    /// Probability of rotating the line.
    public var rotateProb = 0.3
    /// Largest rotation, degrees, either way.
    public var rotateDegrees = 2.0
    /// Probability of a perspective warp.
    public var perspectiveProb = 0.15
    /// Largest corner displacement of the perspective warp, as a fraction of the image height.
    public var perspective = 0.08

    // MARK: Degradation

    /// Probability of Gaussian blur.
    public var blurProb = 0.2
    /// Gaussian blur sigma, pixels.
    public var blurSigma = Interval(0.3, 1.2)
    /// Probability of scaling down and back up (a low-resolution capture).
    public var downscaleProb = 0.1
    /// Scale factor of that round trip (lower is coarser).
    public var downscale = Interval(0.45, 0.85)
    /// Probability of Gaussian pixel noise.
    public var noiseProb = 0.3
    /// Noise standard deviation, 0...255 levels.
    public var noiseSigma = Interval(2, 10)
    /// Probability of salt-and-pepper noise.
    public var saltPepperProb = 0.05
    /// Fraction of pixels set to black or white.
    public var saltPepper = Interval(0.001, 0.01)
    /// Probability of JPEG compression artefacts.
    public var jpegProb = 0.3
    /// JPEG quality, 1...100.
    public var jpegQuality = Interval(30, 90)

    // MARK: Handwriting

    /// Probability that a line is rendered in handwriting mode (1 for handwriting fonts).
    public var handwritingProb = 0.0
    /// Fonts handwriting mode applies to, as substrings of their file names; empty: every font.
    public var handwritingFonts: [String] = []
    /// Per-glyph baseline jitter, em (standard deviation of a smooth drift plus per-glyph noise).
    public var baselineJitter = 0.04
    /// Per-glyph rotation, largest angle in degrees either way.
    public var glyphRotateDegrees = 4.0
    /// Per-glyph scale jitter: each glyph is scaled by 1 ± this at most.
    public var glyphScaleJitter = 0.06
    /// Per-glyph spacing jitter, em (standard deviation; accumulates along the line).
    public var glyphSpacingJitter = 0.02
    /// Stroke width change in handwriting mode, em (pen pressure, nib width).
    public var handwritingStrokeWidth = Interval(-0.01, 0.05)
    /// Slant in handwriting mode, shift per unit height (negative leans left).
    public var handwritingSlant = Interval(-0.1, 0.2)
    /// Elastic distortion amplitude, em (Simard et al. 2003); [0, 0] turns it off.
    public var elasticAmplitude = Interval(0.015, 0.04)
    /// Elastic distortion smoothness: the distance over which the displacement changes, em.
    public var elasticScale = Interval(0.3, 0.6)

    public init() {}

    /// Black text on white, no effects: for tests and for looking at a font as it is.
    public static var clean: RenderOptions {
        var o = RenderOptions()
        o.fontSize = Interval(32, 32)
        o.letterSpacingProb = 0
        o.strokeWidthProb = 0
        o.obliqueProb = 0
        o.underlineProb = 0
        o.marginX = Interval(0.25, 0.25)
        o.marginY = Interval(0.1, 0.1)
        o.tightCropProb = 0
        o.textColor = [0, 0, 0]
        o.backgroundColor = [255, 255, 255]
        o.inkOpacity = Interval(1, 1)
        o.rotateProb = 0
        o.perspectiveProb = 0
        o.blurProb = 0
        o.downscaleProb = 0
        o.noiseProb = 0
        o.saltPepperProb = 0
        o.jpegProb = 0
        o.handwritingProb = 0
        return o
    }

    /// Handwriting mode on every line, otherwise the defaults.
    public static var handwriting: RenderOptions {
        var o = RenderOptions()
        o.handwritingProb = 1
        return o
    }

    // MARK: Validation

    /// Throws `RenderOptionsError` listing every value out of range.
    public func validate() throws {
        var problems: [String] = []
        func prob(_ key: CodingKeys, _ p: Double) {
            if !(0...1).contains(p) { problems.append("\(key.stringValue): \(p) is not a probability in 0...1") }
        }
        func range(_ key: CodingKeys, _ r: Interval, within allowed: ClosedRange<Double>) {
            if !(r.lower <= r.upper) || !allowed.contains(r.lower) || !allowed.contains(r.upper) {
                problems.append("\(key.stringValue): [\(r.lower), \(r.upper)] must be [low, high] within "
                    + "\(allowed.lowerBound)...\(allowed.upperBound)")
            }
        }
        func value(_ key: CodingKeys, _ v: Double, within allowed: ClosedRange<Double>) {
            if !allowed.contains(v) {
                problems.append("\(key.stringValue): \(v) is outside \(allowed.lowerBound)...\(allowed.upperBound)")
            }
        }
        func color(_ key: CodingKeys, _ c: [Int]?) {
            if let c, c.count != 3 || !c.allSatisfy({ (0...255).contains($0) }) {
                problems.append("\(key.stringValue): \(c) is not an RGB colour [r, g, b] with values 0...255")
            }
        }
        range(.fontSize, fontSize, within: 4...512)
        prob(.letterSpacingProb, letterSpacingProb)
        range(.letterSpacing, letterSpacing, within: -0.3...2)
        prob(.strokeWidthProb, strokeWidthProb)
        range(.strokeWidth, strokeWidth, within: -0.1...0.2)
        prob(.obliqueProb, obliqueProb)
        range(.oblique, oblique, within: -1...1)
        prob(.underlineProb, underlineProb)
        range(.marginX, marginX, within: 0...10)
        range(.marginY, marginY, within: 0...10)
        prob(.tightCropProb, tightCropProb)
        let w = backgrounds.all
        if w.contains(where: { !($0 >= 0) }) || !(w.reduce(0, +) > 0) {
            problems.append("backgrounds: weights must be >= 0 and not all 0, got \(w)")
        }
        color(.textColor, textColor)
        color(.backgroundColor, backgroundColor)
        prob(.colorTextProb, colorTextProb)
        prob(.invertProb, invertProb)
        value(.minContrast, minContrast, within: 0...1)
        range(.inkOpacity, inkOpacity, within: 0.05...1)
        prob(.rotateProb, rotateProb)
        value(.rotateDegrees, rotateDegrees, within: 0...45)
        prob(.perspectiveProb, perspectiveProb)
        value(.perspective, perspective, within: 0...0.5)
        prob(.blurProb, blurProb)
        range(.blurSigma, blurSigma, within: 0...20)
        prob(.downscaleProb, downscaleProb)
        range(.downscale, downscale, within: 0.05...1)
        prob(.noiseProb, noiseProb)
        range(.noiseSigma, noiseSigma, within: 0...128)
        prob(.saltPepperProb, saltPepperProb)
        range(.saltPepper, saltPepper, within: 0...0.5)
        prob(.jpegProb, jpegProb)
        range(.jpegQuality, jpegQuality, within: 1...100)
        prob(.handwritingProb, handwritingProb)
        value(.baselineJitter, baselineJitter, within: 0...0.5)
        value(.glyphRotateDegrees, glyphRotateDegrees, within: 0...45)
        value(.glyphScaleJitter, glyphScaleJitter, within: 0...0.5)
        value(.glyphSpacingJitter, glyphSpacingJitter, within: 0...0.5)
        range(.handwritingStrokeWidth, handwritingStrokeWidth, within: -0.1...0.2)
        range(.handwritingSlant, handwritingSlant, within: -1...1)
        range(.elasticAmplitude, elasticAmplitude, within: 0...0.5)
        range(.elasticScale, elasticScale, within: 0.01...10)
        guard problems.isEmpty else { throw RenderOptionsError(problems: problems) }
    }

    // MARK: Coding

    enum CodingKeys: String, CodingKey {
        case fontSize = "font_size", letterSpacingProb = "letter_spacing_prob", letterSpacing = "letter_spacing"
        case strokeWidthProb = "stroke_width_prob", strokeWidth = "stroke_width"
        case obliqueProb = "oblique_prob", oblique, underlineProb = "underline_prob"
        case marginX = "margin_x", marginY = "margin_y", tightCropProb = "tight_crop_prob"
        case backgrounds, textColor = "text_color", backgroundColor = "background_color"
        case colorTextProb = "color_text_prob", invertProb = "invert_prob", minContrast = "min_contrast"
        case inkOpacity = "ink_opacity"
        case rotateProb = "rotate_prob", rotateDegrees = "rotate_degrees"
        case perspectiveProb = "perspective_prob", perspective
        case blurProb = "blur_prob", blurSigma = "blur_sigma", downscaleProb = "downscale_prob", downscale
        case noiseProb = "noise_prob", noiseSigma = "noise_sigma"
        case saltPepperProb = "salt_pepper_prob", saltPepper = "salt_pepper"
        case jpegProb = "jpeg_prob", jpegQuality = "jpeg_quality"
        case handwritingProb = "handwriting_prob", handwritingFonts = "handwriting_fonts"
        case baselineJitter = "baseline_jitter", glyphRotateDegrees = "glyph_rotate_degrees"
        case glyphScaleJitter = "glyph_scale_jitter", glyphSpacingJitter = "glyph_spacing_jitter"
        case handwritingStrokeWidth = "handwriting_stroke_width", handwritingSlant = "handwriting_slant"
        case elasticAmplitude = "elastic_amplitude", elasticScale = "elastic_scale"
    }

    /// Every key is optional (its default stays); the result is validated.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var o = RenderOptions()
        func read<T: Decodable>(_ key: CodingKeys, _ target: inout T) throws {
            if let v = try c.decodeIfPresent(T.self, forKey: key) { target = v }
        }
        func readOptional<T: Decodable>(_ key: CodingKeys, _ target: inout T?) throws {
            if let v = try c.decodeIfPresent(T.self, forKey: key) { target = v }
        }
        try read(.fontSize, &o.fontSize)
        try read(.letterSpacingProb, &o.letterSpacingProb)
        try read(.letterSpacing, &o.letterSpacing)
        try read(.strokeWidthProb, &o.strokeWidthProb)
        try read(.strokeWidth, &o.strokeWidth)
        try read(.obliqueProb, &o.obliqueProb)
        try read(.oblique, &o.oblique)
        try read(.underlineProb, &o.underlineProb)
        try read(.marginX, &o.marginX)
        try read(.marginY, &o.marginY)
        try read(.tightCropProb, &o.tightCropProb)
        try read(.backgrounds, &o.backgrounds)
        try readOptional(.textColor, &o.textColor)
        try readOptional(.backgroundColor, &o.backgroundColor)
        try read(.colorTextProb, &o.colorTextProb)
        try read(.invertProb, &o.invertProb)
        try read(.minContrast, &o.minContrast)
        try read(.inkOpacity, &o.inkOpacity)
        try read(.rotateProb, &o.rotateProb)
        try read(.rotateDegrees, &o.rotateDegrees)
        try read(.perspectiveProb, &o.perspectiveProb)
        try read(.perspective, &o.perspective)
        try read(.blurProb, &o.blurProb)
        try read(.blurSigma, &o.blurSigma)
        try read(.downscaleProb, &o.downscaleProb)
        try read(.downscale, &o.downscale)
        try read(.noiseProb, &o.noiseProb)
        try read(.noiseSigma, &o.noiseSigma)
        try read(.saltPepperProb, &o.saltPepperProb)
        try read(.saltPepper, &o.saltPepper)
        try read(.jpegProb, &o.jpegProb)
        try read(.jpegQuality, &o.jpegQuality)
        try read(.handwritingProb, &o.handwritingProb)
        try read(.handwritingFonts, &o.handwritingFonts)
        try read(.baselineJitter, &o.baselineJitter)
        try read(.glyphRotateDegrees, &o.glyphRotateDegrees)
        try read(.glyphScaleJitter, &o.glyphScaleJitter)
        try read(.glyphSpacingJitter, &o.glyphSpacingJitter)
        try read(.handwritingStrokeWidth, &o.handwritingStrokeWidth)
        try read(.handwritingSlant, &o.handwritingSlant)
        try read(.elasticAmplitude, &o.elasticAmplitude)
        try read(.elasticScale, &o.elasticScale)
        do {
            try o.validate()
        } catch let e as RenderOptionsError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: e.description))
        }
        self = o
    }
}

/// Render options out of range; one line per problem, naming the YAML key.
public struct RenderOptionsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var problems: [String]
    public var description: String { "render options: " + problems.joined(separator: "; ") }
}
