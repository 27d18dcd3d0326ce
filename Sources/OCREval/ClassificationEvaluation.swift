import OCRData

/// A classifier's evaluation: accuracy, per-class recall, the confusion counts and the most
/// confidently wrong samples. The same arg-max scoring fills it in training (`ClassificationTask`,
/// LibTorch probabilities) and for an exported model (`OnnxClassification`, ONNX Runtime's `probs`),
/// so the two figures compare.
public struct ClassificationEvaluation: Sendable {
    public struct Miss: Sendable {
        public var source: String
        public var truth: String
        public var predicted: String
        public var confidence: Float
    }

    public let labels: [String]
    /// confusion[truth][predicted]
    public var confusion: [[Int]]
    public var misses: [Miss] = []
    public var samplesPerSecond = 0.0
    /// Samples of the data that were not scored (unreadable images, bad label lines under policy
    /// `exclude`), one entry each, in file order; a sample is either scored once or listed here.
    public var notScored: [DataIssue] = []

    public init(labels: [String]) {
        self.labels = labels
        confusion = Array(repeating: Array(repeating: 0, count: labels.count), count: labels.count)
    }

    public var samples: Int { confusion.joined().reduce(0, +) }
    public var correct: Int { labels.indices.reduce(0) { $0 + confusion[$1][$1] } }
    public var accuracy: Double { samples == 0 ? 0 : Double(correct) / Double(samples) }

    /// Scores one batch: `scores` holds B rows of `labels.count` class scores (probabilities or
    /// logits, row-major), `truths` the B true class indices. Each row's arg-max is the prediction
    /// (the first of equal maxima), its score the confidence.
    public mutating func add(scores: [Float], truths: [Int], sources: [String]) throws {
        let k = labels.count
        guard scores.count == truths.count * k, sources.count == truths.count else {
            throw TrainError("classification scoring: \(scores.count) scores and \(sources.count) sources for \(truths.count) samples of \(k) classes")
        }
        if let bad = truths.firstIndex(where: { !labels.indices.contains($0) }) {
            throw TrainError("\(sources[bad]): class \(truths[bad]) is not one of \(labels)")
        }
        for (i, truth) in truths.enumerated() {
            var best = i * k
            for j in (i * k)..<((i + 1) * k) where scores[j] > scores[best] { best = j }
            add(truth: truth, predicted: best - i * k, confidence: scores[best], source: sources[i])
        }
    }

    mutating func add(truth: Int, predicted: Int, confidence: Float, source: String) {
        confusion[truth][predicted] += 1
        guard truth != predicted else { return }
        misses.append(Miss(source: source, truth: labels[truth], predicted: labels[predicted], confidence: confidence))
        misses.sort { $0.confidence > $1.confidence }
        if misses.count > 50 { misses.removeLast() }
    }

    /// Lists what `dataset` left out (its report's `excluded`: complete under policy `exclude`).
    public mutating func recordNotScored(from dataset: any LineDataset) {
        notScored = (dataset as? DataReporting)?.report.excluded ?? []
    }

    public var table: MetricsTable {
        var entries: [MetricsTable.Entry] = [.init("acc", accuracy)]
        for (i, l) in labels.enumerated() {
            let n = confusion[i].reduce(0, +)
            entries.append(.init("recall_\(l)", n == 0 ? 0 : Double(confusion[i][i]) / Double(n)))
        }
        entries.append(.init("samples", Double(samples), isShare: false))
        return MetricsTable(entries, main: "acc")
    }
}
