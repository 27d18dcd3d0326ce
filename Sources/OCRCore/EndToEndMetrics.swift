/// End-to-end (detection + recognition) line scores, as PaddleOCR's tools/end2end/eval_end2end.py
/// computes them from a page pipeline's output:
///
/// - every (ground truth, prediction) pair whose polygons have IoU >= `iouThreshold` (0.5; note
///   `>=`, where the detection metric uses `>`) is a candidate; candidates are taken greedily from
///   the highest IoU down, each line used at most once;
/// - a matched pair whose texts are equal after full-width forms are folded to ASCII (`strQ2B`)
///   is a hit;
/// - a don't-care ground truth line (`###`) that matches takes its prediction out of the counts
///   with it; one that matches nothing is not counted;
/// - a prediction that matches nothing counts against precision (its whole text is edits), a care
///   ground truth line that matches nothing against recall (likewise).
///
/// Recall - the share of ground truth lines found by a box and read exactly - is the end-to-end
/// line accuracy. Totals are summed over pages before dividing. `ignoreSpace` is PaddleOCR's
/// `ignore_blank`: matched pairs are compared (and their edits counted) with spaces removed.
public struct EndToEndMetrics: Sendable {
    /// IoU a pair must reach.
    public let iouThreshold: Double
    /// What a character is for the edit distances.
    public let unit: TextUnit
    /// Compare matched pairs without spaces (PaddleOCR's `ignore_blank`, off by default there too).
    public let ignoreSpace: Bool

    /// One page's counts.
    public struct ImageResult: Sendable, Equatable, Codable {
        /// Care ground truth lines (PaddleOCR's gt_count).
        public var groundTruth = 0
        /// Predictions that count (PaddleOCR's dt_count).
        public var predictions = 0
        /// Matched pairs read exactly.
        public var hits = 0
        /// Edits over matched pairs, unmatched predictions and unmatched care ground truth (ed_sum).
        public var editDistance = 0
        /// Characters of the counted ground truth lines (num_gt_chars).
        public var groundTruthCharacters = 0
        /// The matched pairs with a care ground truth line, indices into the inputs.
        public var pairs: [Pair] = []

        public struct Pair: Sendable, Equatable, Codable {
            public var groundTruth: Int
            public var prediction: Int
            public var iou: Double
            /// Whether the prediction read the line exactly.
            public var hit: Bool
        }

        /// hits / predictions (1 for a page with neither ground truth nor predictions).
        public var precision: Double { predictions == 0 ? (groundTruth == 0 ? 1 : 0) : Double(hits) / Double(predictions) }
        /// hits / care ground truth: the end-to-end line accuracy (1 for a page without any).
        public var recall: Double { groundTruth == 0 ? 1 : Double(hits) / Double(groundTruth) }
    }

    public private(set) var groundTruth = 0
    public private(set) var predictions = 0
    public private(set) var hits = 0
    public private(set) var editDistance = 0
    public private(set) var groundTruthCharacters = 0
    public private(set) var images = 0

    public init(iouThreshold: Double = 0.5, unit: TextUnit = .character, ignoreSpace: Bool = false) {
        self.iouThreshold = iouThreshold
        self.unit = unit
        self.ignoreSpace = ignoreSpace
    }

    /// The same settings with no pages counted.
    public var emptyCopy: EndToEndMetrics { EndToEndMetrics(iouThreshold: iouThreshold, unit: unit, ignoreSpace: ignoreSpace) }

    /// hits / predictions over all pages; 0 without predictions.
    public var precision: Double { predictions == 0 ? 0 : Double(hits) / Double(predictions) }
    /// hits / care ground truth lines over all pages: end-to-end line accuracy; 0 without any.
    public var recall: Double { groundTruth == 0 ? 0 : Double(hits) / Double(groundTruth) }
    /// Harmonic mean of the two.
    public var fmeasure: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
    /// 1 - edits / ground truth characters (PaddleOCR's character_acc; can go below 0).
    public var characterAccuracy: Double { groundTruthCharacters == 0 ? 0 : 1 - Double(editDistance) / Double(groundTruthCharacters) }

    /// Scores one page and adds it to the totals. `predictions`: each line's polygon and text.
    @discardableResult
    public mutating func add(predictions: [(polygon: Polygon, text: String)], groundTruth: [TextRegion]) -> ImageResult {
        let r = evaluate(predictions: predictions, groundTruth: groundTruth)
        merge(r)
        return r
    }

    /// Adds one page's counts (scored by `evaluate`) to the totals.
    public mutating func merge(_ r: ImageResult) {
        groundTruth += r.groundTruth
        predictions += r.predictions
        hits += r.hits
        editDistance += r.editDistance
        groundTruthCharacters += r.groundTruthCharacters
        images += 1
    }

    /// Scores one page without changing the totals.
    public func evaluate(predictions: [(polygon: Polygon, text: String)], groundTruth: [TextRegion]) -> ImageResult {
        var candidates: [(gt: Int, pred: Int, iou: Double)] = []
        for (g, region) in groundTruth.enumerated() where region.polygon.isValid {
            for (p, prediction) in predictions.enumerated() where prediction.polygon.isValid {
                let iou = prediction.polygon.iou(with: region.polygon)
                if iou >= iouThreshold { candidates.append((g, p, iou)) }
            }
        }
        // Highest IoU first; ties in input order (Python's sort is stable over the pair insertion order).
        candidates.sort { $0.iou != $1.iou ? $0.iou > $1.iou : ($0.gt, $0.pred) < ($1.gt, $1.pred) }
        var gtUsed = [Bool](repeating: false, count: groundTruth.count)
        var predUsed = [Bool](repeating: false, count: predictions.count)
        var r = ImageResult()
        for c in candidates where !gtUsed[c.gt] && !predUsed[c.pred] {
            gtUsed[c.gt] = true
            predUsed[c.pred] = true
            guard !groundTruth[c.gt].isDontCare else { continue }
            var (truth, read) = (Self.halfWidth(groundTruth[c.gt].transcription), Self.halfWidth(predictions[c.pred].text))
            if ignoreSpace { (truth, read) = (truth.filter { $0 != " " }, read.filter { $0 != " " }) }
            let hit = truth == read
            r.editDistance += Levenshtein.distance(truth, read, unit: unit)
            r.groundTruthCharacters += unit.split(truth).count
            r.hits += hit ? 1 : 0
            r.groundTruth += 1
            r.predictions += 1
            r.pairs.append(.init(groundTruth: c.gt, prediction: c.pred, iou: c.iou, hit: hit))
        }
        for (p, used) in predUsed.enumerated() where !used {
            r.editDistance += unit.split(predictions[p].text).count
            r.predictions += 1
        }
        for (g, used) in gtUsed.enumerated() where !used && !groundTruth[g].isDontCare {
            let n = unit.split(Self.halfWidth(groundTruth[g].transcription)).count
            r.editDistance += n
            r.groundTruthCharacters += n
            r.groundTruth += 1
        }
        return r
    }

    /// Full-width forms (U+FF01...U+FF5E) and the ideographic space (U+3000) as their ASCII
    /// counterparts: PaddleOCR's `strQ2B`.
    public static func halfWidth(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            switch s.value {
            case 0x3000: scalars.append(" ")
            case 0xFF01...0xFF5E: scalars.append(Unicode.Scalar(s.value - 0xFEE0)!)
            default: scalars.append(s)
            }
        }
        return String(scalars)
    }
}
