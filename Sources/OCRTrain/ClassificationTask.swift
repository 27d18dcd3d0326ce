import Foundation
import NN
import OCRCore
import OCRData
import OCRRun
import Torch

/// Line classification on the engine (PaddleOCR's angle classifier: is the line upright or turned
/// by 180 degrees?): B x C x H x W in, B x classes logits out, cross-entropy (PaddleOCR's ClsLoss);
/// scored by arg-max accuracy; the label list goes into checkpoints and must match to resume.
public final class ClassificationTask: TrainingTask {
    /// B x 3 x H x W -> logits B x classes.
    public let forward: (Tensor) throws -> Tensor
    public let labels: ClassLabels
    public var kind: TaskKind { .cls }
    public var mainIndicator: String { "acc" }

    public init(forward: @escaping (Tensor) throws -> Tensor, labels: ClassLabels) {
        self.forward = forward
        self.labels = labels
    }

    /// The batch's classes: each sample's text is a label (the datasets checked it; this names
    /// the sample if one slipped through).
    func targets(_ batch: LineBatch) throws -> [Int] {
        try zip(batch.texts, batch.sources).map { text, source in
            guard let i = labels.index(of: text) else { throw TrainError("\(source): label '\(text)' is not in label_list \(labels.labels)") }
            return i
        }
    }

    public func loss(on batch: LineBatch) throws -> Tensor {
        let x = try Tensor(batch.pixels, shape: batch.shape)
        let logits = try forward(x)                                         // B x classes
        let y = try Tensor(try targets(batch).map(Int64.init), shape: [batch.batch])
        return try F.crossEntropy(logits, y)
    }

    public func sampleCount(of batch: LineBatch) -> Int { batch.batch }

    public func evaluate(next: () throws -> LineBatch?) throws -> ClassificationEvaluation {
        var result = ClassificationEvaluation(labels: labels.labels)
        let t0 = Date()
        while let batch = try next() {
            let probs = try forward(try Tensor(batch.pixels, shape: batch.shape)).softmax(dim: 1)   // B x classes
            let values = try probs.toArray(Float.self)                      // host sync: scoring is plain Swift
            let k = labels.count
            for (i, truth) in try targets(batch).enumerated() {
                let row = values[(i * k)..<((i + 1) * k)]
                let predicted = row.indices.max { row[$0] < row[$1] }! - i * k
                result.add(truth: truth, predicted: predicted, confidence: row[i * k + predicted], source: batch.sources[i])
            }
        }
        result.samplesPerSecond = Double(result.samples) / max(Date().timeIntervalSince(t0), 1e-9)
        return result
    }

    public var checkpointEntries: TaskEntries {
        TaskEntries(kind: .cls, strings: ["labels": labels.labels.joined(separator: "\n")])
    }

    public func checkResume(from saved: TaskEntries, path: String) throws {
        let theirs = saved.strings["labels"] ?? ""
        guard theirs == labels.labels.joined(separator: "\n") else {
            throw TrainError("refusing to resume from \(path): its labels (\(theirs.split(separator: "\n").joined(separator: ", "))) "
                             + "differ from the config's PostProcess.label_list \(labels.labels)")
        }
    }
}

/// A classifier's evaluation: accuracy, per-class recall, the confusion counts and the most
/// confidently wrong samples.
public struct ClassificationEvaluation: TaskEvaluation, Sendable {
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

    public init(labels: [String]) {
        self.labels = labels
        confusion = Array(repeating: Array(repeating: 0, count: labels.count), count: labels.count)
    }

    public var samples: Int { confusion.joined().reduce(0, +) }
    public var correct: Int { labels.indices.reduce(0) { $0 + confusion[$1][$1] } }
    public var accuracy: Double { samples == 0 ? 0 : Double(correct) / Double(samples) }

    mutating func add(truth: Int, predicted: Int, confidence: Float, source: String) {
        confusion[truth][predicted] += 1
        guard truth != predicted else { return }
        misses.append(Miss(source: source, truth: labels[truth], predicted: labels[predicted], confidence: confidence))
        misses.sort { $0.confidence > $1.confidence }
        if misses.count > 50 { misses.removeLast() }
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
