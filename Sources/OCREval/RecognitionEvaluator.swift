import Foundation
import Imaging
import OCRCore
import OCRData

/// Scores a recogniser on batches (greedy CTC decoding of its logits) or on what an ONNX model
/// read from decoded line images, with OCRCore's metrics. Past the model output everything is
/// plain Swift on arrays.
public struct RecognitionEvaluator {
    public let charset: Charset
    public let options: RecognitionMetrics.Options
    /// Keep the pixels of this many worst samples (for the HTML report).
    public let keepWorstImages: Int

    public init(charset: Charset, options: RecognitionMetrics.Options = .paddleOCR, keepWorstImages: Int = 0) {
        self.charset = charset
        self.options = options
        self.keepWorstImages = keepWorstImages
    }

    /// One evaluated line: what the model read, with the image when it is among the worst.
    public struct Prediction: Sendable {
        public var source: String
        public var group: String
        public var truth: String
        public var text: String
        public var confidence: Float
        public var editDistance: Int
        /// H x W x 3 BGR uint8, for the worst samples only: the model input with normalisation
        /// undone (batches), or the line image as decoded (`evaluate(samples:recognize:)`).
        public var image: (width: Int, height: Int, pixels: [UInt8])?
    }

    public struct Result: Sendable {
        public var metrics: RecognitionMetrics
        /// The worst misread lines (up to max(keepWorstImages, 50)), worst first; images attached when kept.
        public var worst: [Prediction]
        public var samplesPerSecond: Double
        /// Lines of the data that were not scored - label lines that could not be used, images
        /// missing or not decodable - one entry per line (`file:line: reason`), in file order.
        /// Filled by `recordNotScored(from:)`; a line is either scored once or listed here.
        public var notScored: [DataIssue] = []

        /// Lines scored (each once).
        public var scoredCount: Int { metrics.overall.samples }

        /// Lists what `dataset` left out (its report's `excluded`: complete under policy `exclude`).
        public mutating func recordNotScored(from dataset: any LineDataset) {
            notScored = (dataset as? DataReporting)?.report.excluded ?? []
        }
    }

    /// Scores what `recognize` reads from every batch `next` yields (one decoded line per batch
    /// entry): the code checkpoints and the training loop's evaluations use. An empty batch (all
    /// its samples excluded) is passed over.
    public func evaluate(next: () throws -> LineBatch?,
                         recognize: (LineBatch) throws -> [CTCGreedyDecoder.Result]) throws -> Result {
        var scoring = Scoring(self)
        while let batch = try next() {
            guard batch.batch > 0 else { continue }
            let results = try recognize(batch)
            guard results.count == batch.batch else {
                throw TrainError("evaluation: \(results.count) lines read from a batch of \(batch.batch)")
            }
            for (i, r) in results.enumerated() {
                scoring.add(truth: batch.texts[i], group: batch.groups[i], source: batch.sources[i], text: r.text,
                            confidence: r.confidence) { batch.image(at: i) }
            }
        }
        return scoring.result
    }

    /// Scores what `recognize` reads from the decoded line images `next` yields (one text and
    /// confidence per image, in order): how exported ONNX models are evaluated, through the same
    /// preprocessing as deployment (`TextRecognizer`). Worst lines keep their decoded image.
    public func evaluate(samples next: () throws -> [LineSample]?,
                         recognize: ([Image]) throws -> [(text: String, confidence: Float)]) throws -> Result {
        var scoring = Scoring(self)
        while let samples = try next() {
            guard !samples.isEmpty else { continue }
            let results = try recognize(samples.map(\.image))
            guard results.count == samples.count else {
                throw TrainError("evaluation: \(results.count) lines read from \(samples.count) images")
            }
            for (s, r) in zip(samples, results) {
                try scoring.add(truth: s.text, group: s.group, source: s.source, text: r.text, confidence: r.confidence) {
                    let bgr = try s.image.converted(to: .bgr)
                    return (bgr.width, bgr.height, bgr.pixels)
                }
            }
        }
        return scoring.result
    }

    /// Metrics and the worst lines, accumulated line by line.
    private struct Scoring {
        let keepWorstImages: Int
        let limit: Int
        var metrics: RecognitionMetrics
        var worst: [Prediction] = []
        let started = Date()

        init(_ evaluator: RecognitionEvaluator) {
            keepWorstImages = evaluator.keepWorstImages
            limit = max(evaluator.keepWorstImages, 50)
            metrics = RecognitionMetrics(options: evaluator.options)
        }

        mutating func add(truth: String, group: String, source: String, text: String, confidence: Float,
                          image: () throws -> (width: Int, height: Int, pixels: [UInt8])) rethrows {
            metrics.add(prediction: text, groundTruth: truth, group: group, id: source)
            let ed = Levenshtein.distance(text, truth)
            guard ed > 0, worst.count < limit || ed > worst.last!.editDistance else { return }
            var p = Prediction(source: source, group: group, truth: truth, text: text, confidence: confidence,
                               editDistance: ed, image: nil)
            if keepWorstImages > 0 { p.image = try image() }
            worst.append(p)
            worst.sort { $0.editDistance > $1.editDistance }
            if worst.count > limit { worst.removeLast() }
        }

        var result: Result {
            let seconds = max(Date().timeIntervalSince(started), 1e-9)
            return Result(metrics: metrics, worst: worst, samplesPerSecond: Double(metrics.overall.samples) / seconds)
        }
    }
}
