import Foundation
import OCRCore

/// The config of a `SyntheticPages` detection dataset (a `Train.dataset` / `Eval.dataset`
/// section, or `ocr data render-pages --config`):
///
///     dataset:
///       name: SyntheticPages
///       fonts: [/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf, fonts/handwriting/]
///       corpus: /usr/share/dict/words   # words are drawn from it, one text per line or not
///       count: 10000                    # pages per epoch
///       page_size: [960, 960]           # width, height
///       granularity: line               # or word: one polygon per word
///       layouts: {document: 1, receipt: 1, form: 1, shipping_label: 0.5, id_card: 0.5, scene: 1}  # left out: 0
///       text_size: [10, 80]             # em sizes, pixels, across a page's texts
///       page_rotate_prob: 0.4
///       render:                         # RenderOptions: stroke, handwriting, backgrounds, blur,
///         handwriting_prob: 0.1         #   noise, JPEG (font_size, margins and the line's own
///         jpeg_prob: 0.5                #   rotation and perspective are not used by pages)
///
/// Every key but `name`, `fonts` and `corpus` has a default; a bad value fails naming its key.
public struct SyntheticPagesConfig: Codable, Sendable, Equatable {
    /// What one label polygon covers.
    public enum Granularity: String, Codable, Sendable {
        /// One polygon per text line (PaddleOCR / ICDAR 2015 style).
        case line
        /// One polygon per word (ICDAR 2013/2017 style).
        case word
    }

    /// Relative weights of the page layouts (need not sum to 1). Without a `layouts` key every
    /// layout is drawn (with the defaults below); with one, the layouts it leaves out are not.
    public struct LayoutWeights: Codable, Sendable, Equatable {
        /// Headings and paragraphs in one or two columns, page numbers, footnotes.
        public var document = 1.0
        /// A narrow till receipt: shop header, items with prices, rules, totals, a barcode.
        public var receipt = 1.0
        /// An invoice or form: logo, ruled field boxes, a ruled table, a stamp.
        public var form = 1.0
        /// A shipping label: from/to blocks, tracking number, barcodes, thick rules.
        public var shippingLabel = 0.5
        /// An ID-card-like block: coloured header band, photo box, field names and values.
        public var idCard = 0.5
        /// Scattered words and phrases on a photo-like background, rotated and curved.
        public var scene = 1.0

        public init() {}

        enum CodingKeys: String, CodingKey {
            case document, receipt, form, shippingLabel = "shipping_label", idCard = "id_card", scene
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            func read(_ key: CodingKeys) throws -> Double {
                let v = try c.decodeIfPresent(Double.self, forKey: key) ?? 0
                guard v >= 0 && v.isFinite else {
                    throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "a layout weight must be >= 0, got \(v)")
                }
                return v
            }
            document = try read(.document)
            receipt = try read(.receipt)
            form = try read(.form)
            shippingLabel = try read(.shippingLabel)
            idCard = try read(.idCard)
            scene = try read(.scene)
            guard all.reduce(0, +) > 0 else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "layouts: at least one weight must be > 0"))
            }
        }

        /// In `PageLayout.allCases` order.
        var all: [Double] { [document, receipt, form, shippingLabel, idCard, scene] }
    }

    /// Must be "SyntheticPages".
    public var name = SyntheticPages.configName
    /// Font files or directories of them (scanned recursively); family names are rejected.
    public var fonts: [String]
    /// UTF-8 text file; its whitespace-separated words are the page's words.
    public var corpus: String
    /// Pages per epoch.
    public var count = 10_000
    /// Seed of `ocr data render-pages` (training passes its own per-epoch seed).
    public var seed: UInt64 = 0
    /// Page width and height, pixels.
    public var pageSize = [960, 960]
    /// One polygon per line or per word.
    public var granularity = Granularity.line
    /// How often each layout is drawn.
    public var layouts = LayoutWeights()
    /// Em sizes of the texts, pixels: body text near the low end, headings and scene words higher.
    public var textSize = RenderOptions.Interval(10, 80)
    /// Probability of rotating the sheet (paper, card, label) on the page.
    public var pageRotateProb = 0.4
    /// Largest sheet rotation, degrees, either way.
    public var pageRotateDegrees = 8.0
    /// Probability that a scene text (and a form's stamp) is rotated on its own.
    public var blockRotateProb = 0.4
    /// Largest rotation of one block, degrees, either way.
    public var blockRotateDegrees = 30.0
    /// Probability of a perspective (camera) warp of the sheet.
    public var perspectiveProb = 0.3
    /// Largest corner displacement of that warp, as a fraction of the sheet's shorter side.
    public var perspective = 0.06
    /// Probability that a scene text is set on a curved baseline.
    public var curveProb = 0.2
    /// Largest baseline bend, em (how far the middle of the curve leaves the chord).
    public var curveAmplitude = 0.6
    /// Glyph style (stroke width, oblique, handwriting), backgrounds and degradation.
    public var render = RenderOptions()

    public init(fonts: [String], corpus: String) {
        self.fonts = fonts
        self.corpus = corpus
    }

    enum CodingKeys: String, CodingKey {
        case name, fonts, corpus, count, seed, pageSize = "page_size", granularity, layouts, textSize = "text_size"
        case pageRotateProb = "page_rotate_prob", pageRotateDegrees = "page_rotate_degrees"
        case blockRotateProb = "block_rotate_prob", blockRotateDegrees = "block_rotate_degrees"
        case perspectiveProb = "perspective_prob", perspective, curveProb = "curve_prob", curveAmplitude = "curve_amplitude"
        case render
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = SyntheticPagesConfig(fonts: [], corpus: "")
        func fail(_ key: CodingKeys, _ why: String) -> Error {
            DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: why)
        }
        func read<T: Decodable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            try c.decodeIfPresent(T.self, forKey: key) ?? fallback
        }
        func probability(_ key: CodingKeys, _ fallback: Double) throws -> Double {
            let p = try read(key, fallback)
            guard (0...1).contains(p) else { throw fail(key, "\(p) is not a probability in 0...1") }
            return p
        }
        func value(_ key: CodingKeys, _ fallback: Double, _ allowed: ClosedRange<Double>) throws -> Double {
            let v = try read(key, fallback)
            guard allowed.contains(v) else { throw fail(key, "\(v) is outside \(allowed.lowerBound)...\(allowed.upperBound)") }
            return v
        }
        name = try c.decode(String.self, forKey: .name)
        guard name == SyntheticPages.configName else { throw fail(.name, "'\(name)' is not \(SyntheticPages.configName)") }
        fonts = try c.decode([String].self, forKey: .fonts)
        guard !fonts.isEmpty else { throw fail(.fonts, "no font files given") }
        corpus = try c.decode(String.self, forKey: .corpus)
        count = try read(.count, d.count)
        guard count > 0 else { throw fail(.count, "must be positive, got \(count)") }
        seed = try read(.seed, d.seed)
        pageSize = try read(.pageSize, d.pageSize)
        guard pageSize.count == 2, pageSize.allSatisfy({ (64...8192).contains($0) }) else {
            throw fail(.pageSize, "\(pageSize) is not [width, height] with each in 64...8192")
        }
        granularity = try read(.granularity, d.granularity)
        layouts = try read(.layouts, d.layouts)
        textSize = try read(.textSize, d.textSize)
        guard textSize.lower <= textSize.upper, textSize.lower >= 6, textSize.upper <= 400 else {
            throw fail(.textSize, "[\(textSize.lower), \(textSize.upper)] must be [low, high] within 6...400")
        }
        pageRotateProb = try probability(.pageRotateProb, d.pageRotateProb)
        pageRotateDegrees = try value(.pageRotateDegrees, d.pageRotateDegrees, 0...180)
        blockRotateProb = try probability(.blockRotateProb, d.blockRotateProb)
        blockRotateDegrees = try value(.blockRotateDegrees, d.blockRotateDegrees, 0...180)
        perspectiveProb = try probability(.perspectiveProb, d.perspectiveProb)
        perspective = try value(.perspective, d.perspective, 0...0.25)
        curveProb = try probability(.curveProb, d.curveProb)
        curveAmplitude = try value(.curveAmplitude, d.curveAmplitude, 0...3)
        render = try read(.render, d.render)
    }

    /// Page width and height.
    var size: (width: Int, height: Int) { (pageSize[0], pageSize[1]) }

    /// Loads the fonts and corpus; relative paths are taken from `baseDirectory` (the config
    /// file's directory, say) when the file is there.
    public func makeDataset(baseDirectory: String? = nil) throws -> SyntheticPages {
        func resolve(_ p: String) -> String {
            guard let baseDirectory, !p.hasPrefix("/"), FileManager.default.fileExists(atPath: baseDirectory + "/" + p)
            else { return p }
            return baseDirectory + "/" + p
        }
        var resolved = self
        resolved.fonts = fonts.map(resolve)
        resolved.corpus = resolve(corpus)
        return try SyntheticPages(config: resolved)
    }
}
