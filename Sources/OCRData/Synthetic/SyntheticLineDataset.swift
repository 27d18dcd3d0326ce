/// Text lines rendered on the fly from font files and a corpus (`name: SyntheticLines` in a
/// config): an endless supply of labelled lines in the user's own fonts or handwriting.
///
/// Sample i is a pure function of (seed, i): the text and font are drawn from one stream of
/// `SplitMix64(seed: seed, i)` and the rendering from another, so an epoch is reproducible whatever
/// the thread count, and a new seed per epoch gives new renderings of the same texts.
///
/// - Lines mode: sample i shows corpus text i mod n (n = the texts some font draws), with a font
///   drawn among those that draw every character of it.
/// - Words mode: the font is drawn first (each font equally often), then words it draws.
///
/// Fonts never draw text they lack glyphs for; texts no font draws are left out and reported in
/// `coverage`. `group` of each sample is the font's file name, for per-font metrics.
///
/// Thread-safe: shared state is read-only, and each font lends each thread its own FreeType face.
///
/// Decisions, for whoever changes this:
/// - Fonts are files or directories, never family names: a name resolves to different files on
///   different machines, and a training set must say what it was made of.
/// - "Covers" is stricter than "the character map has it": the glyph must have ink (unless the
///   character is whitespace), an ASCII letter's glyph must not be named as something else
///   (symbol fonts), lowercase must not be drawn as small capitals (caps-only fonts), and after
///   shaping no glyph may be .notdef. Each rule exists because a font here broke it.
/// - Crops follow the ink horizontally and the font's measured line box vertically (tall letters
///   to descenders, not the font's ascender fields, which vary between fonts by 2x), so x-height
///   sits at the same place in every line of a font; `tight_crop_prob` adds detector-style crops.
/// - Effects act on the coverage mask before colour (no stretched backgrounds); capture effects
///   (blur, noise, JPEG) come last, in the order a camera applies them.
public final class SyntheticLineDataset: LineDataset, @unchecked Sendable {
    /// The dataset's name in configs.
    public static let configName = "SyntheticLines"

    /// The fonts, in the order given (including ones that draw nothing; see `coverage`).
    public let fonts: [FontFile]
    public let corpus: CorpusSampler
    public let renderer: LineRenderer
    /// Samples per epoch.
    public let count: Int
    /// Which texts the fonts draw, and which none does.
    public let coverage: FontCoverageReport

    private let index: FontCoverageIndex
    /// Lines mode: the texts some font draws.
    private let drawable: [Int32]
    /// Words mode: the fonts that draw at least one word.
    private let usableFonts: [Int]
    /// Words mode, per font: the words it draws when they are rare in the corpus (under 20% of
    /// occurrences), so drawing by frequency does not keep missing them; nil otherwise.
    private let rareWords: [[Int32]?]

    /// `count` nil means one sample per drawable text (lines mode only).
    public init(fonts: [FontFile], corpus: CorpusSampler, options: RenderOptions = RenderOptions(),
                count: Int? = nil) throws {
        guard !fonts.isEmpty else { throw SyntheticError("SyntheticLines: no fonts given") }
        let isWords: Bool
        if case .words = corpus.mode { isWords = true } else { isWords = false }
        self.fonts = fonts
        self.corpus = corpus
        self.renderer = try LineRenderer(options: options)
        let coverageIndex = FontCoverageIndex(units: corpus.units, fonts: fonts, unitName: isWords ? "words" : "texts")
        let report = coverageIndex.report
        let drawableUnits = corpus.units.indices.filter { !coverageIndex.fonts(of: $0).isEmpty }
        guard !drawableUnits.isEmpty else {
            throw SyntheticError("SyntheticLines: none of the fonts draws any text of corpus '\(corpus.report.source)': "
                + report.summary)
        }
        let usable = report.textsPerFont.indices.filter { report.textsPerFont[$0].texts > 0 }
        var rare: [[Int32]?] = Array(repeating: nil, count: fonts.count)
        if isWords {
            var occurrences = [Int](repeating: 0, count: corpus.units.count)
            for w in corpus.occurrences { occurrences[Int(w)] += 1 }
            var covered = [Int](repeating: 0, count: fonts.count)
            for u in drawableUnits {
                for f in coverageIndex.fonts(of: u) { covered[f] += occurrences[u] }
            }
            for f in usable where covered[f] * 5 < corpus.occurrences.count {
                rare[f] = drawableUnits.filter { coverageIndex.covers(unit: $0, font: f) }.map { Int32($0) }
            }
        }
        index = coverageIndex
        coverage = report
        drawable = isWords ? [] : drawableUnits.map { Int32($0) }
        usableFonts = usable
        rareWords = rare
        if let count {
            guard count > 0 else { throw SyntheticError("SyntheticLines: count must be positive, got \(count)") }
            self.count = count
        } else {
            guard !isWords else { throw SyntheticError("SyntheticLines: words mode needs a count (the epoch length)") }
            self.count = drawable.count
        }
    }

    /// Loads fonts from files and directories (see `FontFile.load`); `fontRemarks` keeps what the
    /// loading skipped or noticed.
    public convenience init(fontPaths: [String], corpus: CorpusSampler, options: RenderOptions = RenderOptions(),
                            count: Int? = nil) throws {
        let collection = try FontFile.load(fontPaths)
        try self.init(fonts: collection.fonts, corpus: corpus, options: options, count: count)
        fontRemarks = collection.remarks
    }

    /// Remarks from loading fonts by path: skipped files, duplicates, symbol and caps-only fonts.
    public private(set) var fontRemarks: [String] = []

    /// Lines mode: the corpus line's length (the text does not depend on the seed); words mode
    /// draws its text while choosing, so nil.
    public func textLength(at index: Int, seed: UInt64) -> Int? {
        guard case .lines = corpus.mode, index >= 0, index < count else { return nil }
        return corpus.units[lineUnit(index)].count
    }

    /// Lines mode: the corpus line sample `index` draws (what `choose` renders).
    private func lineUnit(_ index: Int) -> Int { Int(drawable[index % drawable.count]) }

    public func sample(at index: Int, seed: UInt64) throws -> LineSample {
        let line = try self.line(at: index, seed: seed)
        return LineSample(image: line.image, text: line.text, source: "font \(line.font) #\(index)", group: line.font)
    }

    /// The rendered line of sample `index`, with what it was rendered with.
    public func line(at index: Int, seed: UInt64) throws -> RenderedLine {
        guard index >= 0 && index < count else {
            throw SyntheticError("SyntheticLines: sample \(index) is outside 0..<\(count)")
        }
        var base = SynthRandom(SplitMix64(seed: seed, UInt64(index)))
        var choice = base.fork()
        var rendering = base.fork()
        let (text, font) = choose(index, random: &choice)
        do {
            return try renderer.render(text, font: fonts[font], random: &rendering)
        } catch let e as FontError where e.kind == .notCovered {
            // The character maps said yes but HarfBuzz shaped a .notdef (a sequence the font cannot
            // compose): try the text's other fonts in order, then give up loudly.
            guard case .lines = corpus.mode, let unit = corpus.units.firstIndex(of: text) else { throw e }
            for other in self.index.fonts(of: unit) where other != font {
                var retry = rendering
                if let line = try? renderer.render(text, font: fonts[other], random: &retry) { return line }
            }
            throw e
        }
    }

    /// The text and font of sample `index`.
    private func choose(_ i: Int, random: inout SynthRandom) -> (String, Int) {
        switch corpus.mode {
        case .lines:
            let unit = lineUnit(i)
            let candidates = index.fonts(of: unit)
            return (corpus.units[unit], candidates[random.int(below: candidates.count)])
        case .words:
            let f = usableFonts[random.int(below: usableFonts.count)]
            let text = corpus.text(at: i, random: &random, accept: { [index] in index.covers(unit: $0, font: f) },
                                   fallback: rareWords[f])
            return (text, f)
        }
    }
}
