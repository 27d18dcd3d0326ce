import Foundation
import Imaging
import OCRCore

/// Detection pages rendered from font files and a corpus (`name: SyntheticPages` in a config):
/// documents, receipts, forms and tables, shipping labels, ID cards and scattered scene text,
/// each with a polygon label for every line (or word) it draws.
///
/// Text is drawn by the line renderer's rasteriser (`LineRenderer.drawStyle`/`rasterize`: the
/// same glyphs, stroke widths and handwriting mode as `SyntheticLines`), word by word, and
/// placed on a sheet (`PageBuilder`); the sheet goes onto the page through one homography
/// (rotation, scale, perspective). Label polygons go through the same matrices as the pixels,
/// so each polygon lies where its glyph ink is; a line that would leave the page is not drawn at
/// all (never drawn unlabelled). Distractors - rules, boxes, table grids, barcodes, stamps,
/// logos, blobs - are ink with no label. Backgrounds, blur, noise and JPEG come from `render`.
///
/// Sample i is a pure function of (seed, i); thread-safe (shared state is read-only and each
/// font lends each thread its own FreeType face).
public final class SyntheticPages: DetectionSource, @unchecked Sendable {
    /// The dataset's name in configs.
    public static let configName = "SyntheticPages"

    public let config: SyntheticPagesConfig
    /// The fonts that draw at least some of the corpus.
    public let fonts: [FontFile]
    /// Loading remarks (skipped files, fonts that draw none of the corpus).
    public let fontRemarks: [String]
    public var count: Int { config.count }

    let words: PageWords
    /// Glyph style, paper backgrounds and degradation (`config.render`).
    let styleRenderer: LineRenderer
    /// What lies around a photographed sheet: a desk, a wall - solid, gradient or textured.
    let surroundRenderer: LineRenderer

    public init(config: SyntheticPagesConfig) throws {
        let corpus = try CorpusSampler(contentsOf: config.corpus, mode: .words(minLength: 1, maxLength: 40))
        let collection = try FontFile.load(config.fonts)
        var remarks = collection.remarks
        // A font must draw a fair share of the corpus's words, or its pages would be all misses.
        let sample = corpus.units.prefix(500)
        let usable = collection.fonts.filter { font in
            let drawn = sample.filter { font.covers($0) }.count
            if drawn * 5 < sample.count {
                remarks.append("\(font.name) draws \(drawn) of the first \(sample.count) corpus words: not used for pages")
                return false
            }
            return true
        }
        guard !usable.isEmpty else {
            throw SyntheticError("SyntheticPages: none of the fonts \(config.fonts) draws the words of '\(config.corpus)'")
        }
        self.config = config
        fonts = usable
        fontRemarks = remarks
        words = PageWords(corpus: corpus)
        styleRenderer = try LineRenderer(options: config.render)
        var surround = config.render
        surround.backgrounds = RenderOptions.BackgroundWeights(solid: 0.3, gradient: 0.3, noise: 0.4, paper: 0)
        surround.backgroundColor = nil
        surroundRenderer = try LineRenderer(options: surround)
    }

    public func sample(at index: Int, datasetSeed: UInt64) throws -> DetectionSample? {
        // The config's own seed picks another set of pages under the same loader seed.
        var mixed = SplitMix64(seed: datasetSeed, config.seed)
        let page = try render(index: index, seed: config.seed == 0 ? datasetSeed : mixed.next())
        return DetectionSample(image: page.image, regions: page.regions, source: "synthetic page \(index)", group: page.layout)
    }

    /// Renders page `index` with `seed`; `inkLayer` also returns the clean text coverage (for
    /// checking labels against ink).
    public func render(index: Int, seed: UInt64, inkLayer: Bool = false) throws -> RenderedPage {
        guard index >= 0 && index < count else {
            throw SyntheticError("SyntheticPages: sample \(index) is outside 0..<\(count)")
        }
        // The seed goes in as a part, not as the state: SplitMix64(seed: s, i) starts from
        // mix(s ^ (i + golden)), so (s, i) and (s', i') with s ^ (i + g) == s' ^ (i' + g) - seed 5
        // page 3 and seed 0 page 8 - would be the same page.
        var random = SynthRandom(SplitMix64(seed: 0x5041_4745, seed, UInt64(index)))
        let layout = PageLayout(rawValue: random.weighted(config.layouts.all))!
        var compositor = try PageCompositor(pages: self, layout: layout, random: random.fork(), inkLayer: inkLayer)
        return try compositor.render()
    }
}

/// A rendered page and its labels.
public struct RenderedPage: Sendable {
    /// 8-bit BGR, `page_size`.
    public var image: Image
    public var regions: [TextRegion]
    /// Which layout drew it: document, receipt, form, shipping_label, id_card or scene.
    public var layout: String
    /// Clean coverage (0...255) of the drawn text before any degradation, when asked for.
    public var inkLayer: [UInt8]?
}
