import Foundation
import OCRCore
import OCRData

/// Scores a recogniser on batches: greedy CTC decoding of its logits, then OCRCore's metrics.
/// Past the model output everything is plain Swift on arrays.
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
        /// H x W x 3 BGR uint8 (normalisation undone), for the worst samples only.
        public var image: (width: Int, height: Int, pixels: [UInt8])?
    }

    public struct Result: Sendable {
        public var metrics: RecognitionMetrics
        /// The worst misread lines (up to max(keepWorstImages, 50)), worst first; images attached when kept.
        public var worst: [Prediction]
        public var samplesPerSecond: Double
    }

    /// Scores what `recognize` reads from every batch `next` yields (one decoded line per batch
    /// entry): the code checkpoints and exported ONNX models are both evaluated with, so their
    /// reports compare line for line.
    public func evaluate(next: () throws -> LineBatch?,
                         recognize: (LineBatch) throws -> [CTCGreedyDecoder.Result]) throws -> Result {
        var metrics = RecognitionMetrics(options: options)
        var worst: [Prediction] = []
        let limit = max(keepWorstImages, 50)
        let t0 = Date()
        var seen = 0
        while let batch = try next() {
            let results = try recognize(batch)
            guard results.count == batch.batch else {
                throw TrainError("evaluation: \(results.count) lines read from a batch of \(batch.batch)")
            }
            for (i, r) in results.enumerated() {
                metrics.add(prediction: r.text, groundTruth: batch.texts[i], group: batch.groups[i], id: batch.sources[i])
                let ed = Levenshtein.distance(r.text, batch.texts[i])
                guard ed > 0 else { continue }
                if worst.count < limit || ed > worst.last!.editDistance {
                    var p = Prediction(source: batch.sources[i], group: batch.groups[i], truth: batch.texts[i],
                                       text: r.text, confidence: r.confidence, editDistance: ed, image: nil)
                    if keepWorstImages > 0 { p.image = RecognitionEvaluator.image(of: batch, at: i) }
                    worst.append(p)
                    worst.sort { $0.editDistance > $1.editDistance }
                    if worst.count > limit { worst.removeLast() }
                }
            }
            seen += batch.batch
        }
        let seconds = max(Date().timeIntervalSince(t0), 1e-9)
        return Result(metrics: metrics, worst: worst, samplesPerSecond: Double(seen) / seconds)
    }

    /// Undoes (x / 255 - 0.5) / 0.5 for one batch entry, cropped to its valid width.
    static func image(of batch: LineBatch, at i: Int) -> (width: Int, height: Int, pixels: [UInt8]) {
        let (c, h, w) = (batch.channels, batch.height, batch.width)
        let valid = min(max(batch.validWidths[i], 1), w)
        var out = [UInt8](repeating: 0, count: h * valid * 3)
        let base = i * c * h * w
        for y in 0..<h {
            for x in 0..<valid {
                for ch in 0..<3 {
                    let v = batch.pixels[base + min(ch, c - 1) * h * w + y * w + x]
                    out[(y * valid + x) * 3 + ch] = UInt8(max(0, min(255, ((v * 0.5 + 0.5) * 255).rounded())))
                }
            }
        }
        return (valid, h, out)
    }
}
