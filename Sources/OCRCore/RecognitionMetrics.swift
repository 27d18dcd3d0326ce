/// Accumulates recognition metrics over (prediction, ground truth) pairs: line accuracy,
/// PaddleOCR's normalised edit distance, CER, WER, character accuracy, per-group breakdowns,
/// character confusions and the worst samples.
///
/// Definitions (n lines; ed = character edit distance after `Options` normalisation):
/// - `lineAccuracy` = exact matches / n (PaddleOCR `acc`, without its 1e-5 epsilon).
/// - `caseInsensitiveLineAccuracy` = matches after lower-casing both / n.
/// - `normalizedEditDistance` = 1 - sum(ed / max(len_pred, len_gt, 1)) / n
///   (PaddleOCR `norm_edit_dis`; higher is better, 1 = perfect).
/// - `characterErrorRate` = sum(ed) / sum(len_gt) (0 when there are no ground-truth characters
///   and no errors; can exceed 1 when predictions have many insertions).
/// - `characterAccuracy` = aligned matching characters / sum(len_gt): the share of ground-truth
///   characters read correctly. Unlike 1 - CER it ignores insertions and stays in [0, 1].
/// - `characterClasses`: character recall per class (letters, digits, punctuation/symbols,
///   space) from the same alignment as `characterAccuracy` (see `CharacterClassRecall`); spaces
///   only count when `ignoreSpace` is off.
/// - `wordErrorRate` = sum(word edit distance) / sum(gt words), words split on whitespace. Words
///   are taken from the texts *before* `ignoreSpace` removes the spaces (otherwise every line
///   would be one word), but after case/alphanumeric filtering is applied per word.
/// An empty accumulator reports 0 for every rate.
public struct RecognitionMetrics: Sendable {
    /// Text normalisation applied before comparing, as PaddleOCR's `RecMetric` options.
    public struct Options: Sendable, Equatable, Codable {
        /// Remove spaces from both texts (PaddleOCR `ignore_space`, default True there).
        public var ignoreSpace: Bool
        /// Keep only ASCII letters and digits, lower-cased (PaddleOCR `is_filter`).
        public var alphanumericOnly: Bool
        /// What a character is for edit distances (see `TextUnit`).
        public var unit: TextUnit
        /// How many worst samples to keep.
        public var worstSampleCount: Int

        public init(ignoreSpace: Bool, alphanumericOnly: Bool = false, unit: TextUnit = .character,
                    worstSampleCount: Int = 20) {
            self.ignoreSpace = ignoreSpace
            self.alphanumericOnly = alphanumericOnly
            self.unit = unit
            self.worstSampleCount = worstSampleCount
        }

        /// PaddleOCR's `RecMetric` defaults (spaces ignored), so numbers compare with it.
        public static let paddleOCR = Options(ignoreSpace: true)
        /// Texts compared exactly as given.
        public static let exact = Options(ignoreSpace: false)
    }

    /// Counts for one set of lines; rates are derived from them so summaries merge exactly.
    public struct Summary: Sendable, Equatable, Codable {
        public var samples = 0
        public var exactMatches = 0
        public var caseInsensitiveMatches = 0
        /// sum(ed / max(len_pred, len_gt, 1)).
        public var normalizedEditDistanceSum = 0.0
        public var characterEdits = 0
        public var groundTruthCharacters = 0
        public var predictedCharacters = 0
        public var matchedCharacters = 0
        public var wordEdits = 0
        public var groundTruthWords = 0
        /// Ground-truth characters and matches per character class.
        public var characterClasses = CharacterClassRecall()

        public init() {}

        public var lineAccuracy: Double { ratio(exactMatches, samples) }
        public var caseInsensitiveLineAccuracy: Double { ratio(caseInsensitiveMatches, samples) }
        public var normalizedEditDistance: Double { samples == 0 ? 0 : 1 - normalizedEditDistanceSum / Double(samples) }
        public var characterErrorRate: Double { rate(characterEdits, groundTruthCharacters) }
        public var characterAccuracy: Double { ratio(matchedCharacters, groundTruthCharacters) }
        public var wordErrorRate: Double { rate(wordEdits, groundTruthWords) }

        // Encoded with the derived rates too, so a JSON report is readable on its own;
        // decoding reads the counts and derives the rates again.
        enum CodingKeys: String, CodingKey {
            case samples, exactMatches, caseInsensitiveMatches, normalizedEditDistanceSum, characterEdits
            case groundTruthCharacters, predictedCharacters, matchedCharacters, wordEdits, groundTruthWords
            case lineAccuracy, caseInsensitiveLineAccuracy, normalizedEditDistance, characterErrorRate
            case characterAccuracy, wordErrorRate, characterClasses
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            samples = try c.decode(Int.self, forKey: .samples)
            exactMatches = try c.decode(Int.self, forKey: .exactMatches)
            caseInsensitiveMatches = try c.decode(Int.self, forKey: .caseInsensitiveMatches)
            normalizedEditDistanceSum = try c.decode(Double.self, forKey: .normalizedEditDistanceSum)
            characterEdits = try c.decode(Int.self, forKey: .characterEdits)
            groundTruthCharacters = try c.decode(Int.self, forKey: .groundTruthCharacters)
            predictedCharacters = try c.decode(Int.self, forKey: .predictedCharacters)
            matchedCharacters = try c.decode(Int.self, forKey: .matchedCharacters)
            wordEdits = try c.decode(Int.self, forKey: .wordEdits)
            groundTruthWords = try c.decode(Int.self, forKey: .groundTruthWords)
            // Reports written before the per-class figures have none.
            characterClasses = try c.decodeIfPresent(CharacterClassRecall.self, forKey: .characterClasses) ?? CharacterClassRecall()
        }

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(samples, forKey: .samples)
            try c.encode(exactMatches, forKey: .exactMatches)
            try c.encode(caseInsensitiveMatches, forKey: .caseInsensitiveMatches)
            try c.encode(normalizedEditDistanceSum, forKey: .normalizedEditDistanceSum)
            try c.encode(characterEdits, forKey: .characterEdits)
            try c.encode(groundTruthCharacters, forKey: .groundTruthCharacters)
            try c.encode(predictedCharacters, forKey: .predictedCharacters)
            try c.encode(matchedCharacters, forKey: .matchedCharacters)
            try c.encode(wordEdits, forKey: .wordEdits)
            try c.encode(groundTruthWords, forKey: .groundTruthWords)
            try c.encode(lineAccuracy, forKey: .lineAccuracy)
            try c.encode(caseInsensitiveLineAccuracy, forKey: .caseInsensitiveLineAccuracy)
            try c.encode(normalizedEditDistance, forKey: .normalizedEditDistance)
            try c.encode(characterErrorRate, forKey: .characterErrorRate)
            try c.encode(characterAccuracy, forKey: .characterAccuracy)
            try c.encode(wordErrorRate, forKey: .wordErrorRate)
            try c.encode(characterClasses, forKey: .characterClasses)
        }

        mutating func merge(_ o: Summary) {
            samples += o.samples; exactMatches += o.exactMatches; caseInsensitiveMatches += o.caseInsensitiveMatches
            normalizedEditDistanceSum += o.normalizedEditDistanceSum; characterEdits += o.characterEdits
            groundTruthCharacters += o.groundTruthCharacters; predictedCharacters += o.predictedCharacters
            matchedCharacters += o.matchedCharacters; wordEdits += o.wordEdits; groundTruthWords += o.groundTruthWords
            characterClasses.merge(o.characterClasses)
        }

        private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
        // Errors against nothing: 0 if there were none, otherwise count them per 1 reference unit.
        private func rate(_ errors: Int, _ reference: Int) -> Double { Double(errors) / Double(max(reference, 1)) }
    }

    /// One scored line, kept for the worst-samples list.
    public struct Sample: Sendable, Equatable, Codable {
        /// Caller's identifier (usually the image path).
        public var id: String?
        public var group: String?
        public var prediction: String
        public var groundTruth: String
        /// Character edit distance after normalisation.
        public var editDistance: Int
        /// ed / max(len_pred, len_gt, 1).
        public var normalizedEditDistance: Double
        /// Order of arrival; breaks ties so the list is reproducible.
        public var index: Int
    }

    public let options: Options
    /// All lines.
    public private(set) var overall = Summary()
    /// Per group key (e.g. label file or font), only for lines added with a group.
    public private(set) var groups: [String: Summary] = [:]
    /// Character confusions over all lines.
    public private(set) var confusions = CharacterConfusions()
    /// Highest edit distance first (then highest normalised distance, then arrival order).
    public private(set) var worstSamples: [Sample] = []

    public init(options: Options = .paddleOCR) { self.options = options }

    /// Scores one line.
    public mutating func add(prediction: String, groundTruth: String, group: String? = nil, id: String? = nil) {
        let pred = normalize(prediction), gt = normalize(groundTruth)
        let p = options.unit.split(pred), g = options.unit.split(gt)
        let alignment = Levenshtein.alignment(reference: g, hypothesis: p)
        var s = Summary()
        s.samples = 1
        s.exactMatches = pred == gt ? 1 : 0
        s.caseInsensitiveMatches = pred.lowercased() == gt.lowercased() ? 1 : 0
        s.characterEdits = alignment.lazy.filter(\.isError).count
        s.matchedCharacters = alignment.lazy.filter { if case .match = $0 { return true } else { return false } }.count
        s.groundTruthCharacters = g.count
        s.predictedCharacters = p.count
        s.characterClasses.add(alignment)
        let normalized = Double(s.characterEdits) / Double(max(p.count, g.count, 1))
        s.normalizedEditDistanceSum = normalized
        let pw = words(prediction), gw = words(groundTruth)
        s.wordEdits = Levenshtein.distance(pw, gw)
        s.groundTruthWords = gw.count

        let index = overall.samples
        overall.merge(s)
        if let group { groups[group, default: Summary()].merge(s) }
        confusions.add(alignment)
        insertWorst(Sample(id: id, group: group, prediction: prediction, groundTruth: groundTruth,
                           editDistance: s.characterEdits, normalizedEditDistance: normalized, index: index))
    }

    /// Adds the lines of another accumulator built with the same options (e.g. another worker).
    /// Its samples are ordered after this one's.
    public mutating func merge(_ other: RecognitionMetrics) {
        let offset = overall.samples
        overall.merge(other.overall)
        for (k, v) in other.groups { groups[k, default: Summary()].merge(v) }
        confusions.merge(other.confusions)
        for var s in other.worstSamples { s.index += offset; insertWorst(s) }
    }

    /// Group keys in sorted order, for stable reports.
    public var groupKeys: [String] { groups.keys.sorted() }

    private mutating func insertWorst(_ s: Sample) {
        guard options.worstSampleCount > 0 else { return }
        func worse(_ a: Sample, _ b: Sample) -> Bool {
            if a.editDistance != b.editDistance { return a.editDistance > b.editDistance }
            if a.normalizedEditDistance != b.normalizedEditDistance { return a.normalizedEditDistance > b.normalizedEditDistance }
            return a.index < b.index
        }
        guard s.editDistance > 0 else { return }  // correct lines are not "worst"
        let position = worstSamples.firstIndex { worse(s, $0) } ?? worstSamples.count
        guard position < options.worstSampleCount else { return }
        worstSamples.insert(s, at: position)
        if worstSamples.count > options.worstSampleCount { worstSamples.removeLast() }
    }

    /// PaddleOCR's normalisation: optional space removal, optional alphanumeric filter.
    func normalize(_ text: String) -> String {
        var t = text
        if options.ignoreSpace { t = t.replacingSpaces() }
        if options.alphanumericOnly { t = t.asciiAlphanumericLowercased() }
        return t
    }

    private func words(_ text: String) -> [String] {
        Levenshtein.words(text).map { w in options.alphanumericOnly ? String(w).asciiAlphanumericLowercased() : String(w) }
            .filter { !$0.isEmpty }
    }
}

extension String {
    /// Removes U+0020 only, like Python's `str.replace(" ", "")`.
    func replacingSpaces() -> String { String(String.UnicodeScalarView(unicodeScalars.filter { $0 != " " })) }

    /// Python's `string.digits + string.ascii_letters` filter, then lower-cased.
    func asciiAlphanumericLowercased() -> String {
        String(String.UnicodeScalarView(unicodeScalars.filter {
            ("0"..."9").contains($0) || ("a"..."z").contains($0) || ("A"..."Z").contains($0)
        })).lowercased()
    }
}
