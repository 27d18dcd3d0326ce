import Foundation
import OCRData

/// Scores a line classifier on batches: arg-max of the class probabilities the model gives each
/// batch entry against the entry's label, into a `ClassificationEvaluation`. Training's
/// evaluations and `ocr-eval` share it; past the model output it is plain Swift on arrays.
public struct ClassificationEvaluator {
    public let labels: ClassLabels
    /// Keep the pixels of this many most confidently wrong samples (for the HTML report).
    public let keepWorstImages: Int

    public init(labels: ClassLabels, keepWorstImages: Int = 0) {
        self.labels = labels
        self.keepWorstImages = keepWorstImages
    }

    /// Scores `classify`'s probabilities (B x classes, row-major) for every batch `next` yields.
    /// An empty batch (all its samples excluded) is passed over.
    public func evaluate(next: () throws -> LineBatch?, classify: (LineBatch) throws -> [Float]) throws -> ClassificationEvaluation {
        var result = ClassificationEvaluation(labels: labels.labels, keepImages: keepWorstImages)
        let t0 = Date()
        while let batch = try next() {
            guard batch.batch > 0 else { continue }
            let truths = try zip(batch.texts, batch.sources).map { try labels.encode($0, source: $1) }
            let probs = try classify(batch)
            guard probs.count == batch.batch * labels.count else {
                throw TrainError("evaluation: \(probs.count) probabilities for a batch of \(batch.batch) and \(labels.count) classes")
            }
            try result.add(scores: probs, truths: truths, sources: batch.sources, groups: batch.groups) { i in
                let img = batch.image(at: i)
                return ReportImage(width: img.width, height: img.height, bgr: img.pixels)
            }
        }
        result.samplesPerSecond = Double(result.samples) / max(Date().timeIntervalSince(t0), 1e-9)
        return result
    }
}
