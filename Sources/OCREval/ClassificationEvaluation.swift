import OCRData

/// A classifier's evaluation: accuracy, per-class recall and the confusion counts, overall and
/// per group (label file or font), the most confidently wrong samples (with their images when
/// kept) and the samples that could not be read. Plain Swift: training and `ocr-eval` fill it
/// through `ClassificationEvaluator`.
public struct ClassificationEvaluation: Sendable {
    /// A misclassified sample.
    public struct Miss: Sendable {
        public var source: String
        public var group: String
        public var truth: String
        public var predicted: String
        /// The probability the model gave `predicted`.
        public var confidence: Float
        /// The model input with normalisation undone, for the first `keepImages` misses only.
        public var image: ReportImage?
    }

    public let labels: [String]
    /// confusion[truth][predicted], over every scored sample.
    public var confusion: [[Int]]
    /// The same counts per group.
    public var groups: [String: [[Int]]] = [:]
    /// The most confidently wrong samples, most confident first (up to max(keepImages, 50)).
    public var misses: [Miss] = []
    /// Misses that keep their image.
    public var keepImages = 0
    public var samplesPerSecond = 0.0
    /// Samples not scored (images missing or not decodable), one per label line in file order;
    /// filled by `recordNotScored(from:)`. A sample is either scored once or listed here.
    public var notScored: [DataIssue] = []

    public init(labels: [String], keepImages: Int = 0) {
        self.labels = labels
        self.keepImages = keepImages
        confusion = Self.empty(labels.count)
    }

    static func empty(_ k: Int) -> [[Int]] { Array(repeating: Array(repeating: 0, count: k), count: k) }

    public var samples: Int { Self.samples(confusion) }
    public var correct: Int { Self.correct(confusion) }
    public var accuracy: Double { Self.accuracy(confusion) }
    /// The share of class `i`'s samples classified as `i` (0 without samples).
    public func recall(_ i: Int) -> Double { Self.recall(confusion, i) }
    /// Group names, sorted.
    public var groupKeys: [String] { groups.keys.sorted() }

    static func samples(_ m: [[Int]]) -> Int { m.joined().reduce(0, +) }
    static func correct(_ m: [[Int]]) -> Int { m.indices.reduce(0) { $0 + m[$1][$1] } }
    static func accuracy(_ m: [[Int]]) -> Double { samples(m) == 0 ? 0 : Double(correct(m)) / Double(samples(m)) }
    static func recall(_ m: [[Int]], _ i: Int) -> Double {
        let n = m[i].reduce(0, +)
        return n == 0 ? 0 : Double(m[i][i]) / Double(n)
    }

    /// Counts one sample; `image` is called only for a miss that is kept with its image.
    public mutating func add(truth: Int, predicted: Int, confidence: Float, source: String, group: String = "",
                             image: () throws -> ReportImage? = { nil }) rethrows {
        confusion[truth][predicted] += 1
        groups[group, default: Self.empty(labels.count)][truth][predicted] += 1
        let limit = max(keepImages, 50)
        guard truth != predicted, misses.count < limit || confidence > misses.last!.confidence else { return }
        let at = misses.firstIndex { $0.confidence < confidence } ?? misses.count
        var miss = Miss(source: source, group: group, truth: labels[truth], predicted: labels[predicted], confidence: confidence)
        if at < keepImages { miss.image = try image() }
        misses.insert(miss, at: at)
        if misses.count > keepImages { misses[keepImages].image = nil }     // pushed out of the first keepImages
        if misses.count > limit { misses.removeLast() }
    }

    /// Counts a batch of probability rows (B x classes, row-major) against their truths: the
    /// prediction is the arg-max (the first of equal maxima). `image(i)` is asked only for a
    /// miss kept with its picture.
    public mutating func add(scores: [Float], truths: [Int], sources: [String], groups: [String]? = nil,
                             image: (Int) throws -> ReportImage? = { _ in nil }) throws {
        let k = labels.count
        guard scores.count == truths.count * k, sources.count == truths.count else {
            throw TrainError("evaluation: \(scores.count) scores for a batch of \(truths.count) and \(k) classes")
        }
        if let i = truths.firstIndex(where: { !(0..<k).contains($0) }) {
            throw TrainError("\(sources[i]): class \(truths[i]) is outside label_list \(labels) (\(k) classes)")
        }
        for (i, truth) in truths.enumerated() {
            let row = scores[(i * k)..<((i + 1) * k)]
            let predicted = row.indices.max { row[$0] < row[$1] }!
            try add(truth: truth, predicted: predicted - i * k, confidence: row[predicted], source: sources[i],
                    group: groups?[i] ?? "") { try image(i) }
        }
    }

    /// Lists what `dataset` left out (its report's `excluded`: complete under policy `exclude`).
    public mutating func recordNotScored(from dataset: any LineDataset) {
        notScored = (dataset as? DataReporting)?.report.excluded ?? []
    }

    /// acc, recall_<label> per class, samples: what the engine and `metrics.jsonl` get.
    public var table: MetricsTable {
        var entries: [MetricsTable.Entry] = [.init("acc", accuracy)]
        for (i, l) in labels.enumerated() { entries.append(.init("recall_\(l)", recall(i))) }
        entries.append(.init("samples", Double(samples), isShare: false))
        return MetricsTable(entries, main: "acc")
    }
}
