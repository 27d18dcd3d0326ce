import Foundation

/// Best-path CTC decoding: argmax per time step, merge repeats, drop blanks.
///
/// Matches PaddleOCR's `CTCLabelDecode` (`is_remove_duplicate=True`): a character is kept at
/// the first step of each run of equal argmax classes; "l", blank, "l" gives "ll" while
/// "l", "l" gives "l". Ties in argmax go to the lower class index, as in `numpy.argmax`.
public struct CTCGreedyDecoder: Sendable {
    /// The classes the model was trained with.
    public let charset: Charset
    /// Whether inputs are logits or probabilities.
    public var scores: CTCScores

    public init(charset: Charset, scores: CTCScores = .probabilities) {
        self.charset = charset
        self.scores = scores
    }

    /// One decoded line.
    public struct Result: Hashable, Sendable {
        /// The decoded text.
        public var text: String
        /// Class index of each kept character.
        public var classes: [Int]
        /// Time steps of each kept character: the run of consecutive steps whose argmax was
        /// that class. `lowerBound` is the step PaddleOCR reports (used for word boxes).
        public var steps: [ClosedRange<Int>]
        /// Max softmax probability at the first step of each kept character's run.
        public var probabilities: [Float]
        /// Mean of `probabilities` - PaddleOCR's confidence. 0 when nothing was kept.
        public var confidence: Float
    }

    /// Decodes one line from a flat (T, C) buffer in row-major order.
    public func decode(_ values: [Float], steps: Int, classes: Int) throws -> Result {
        try CTCShape.check(count: values.count, batch: 1, steps: steps, classes: classes, charset: charset)
        return try values.withUnsafeBufferPointer { try decodeChecked($0, batch: 0, steps: steps, classes: classes) }
    }

    /// Decodes a batch from a flat (B, T, C) buffer in row-major order.
    public func decodeBatch(_ values: [Float], batch: Int, steps: Int, classes: Int) throws -> [Result] {
        try values.withUnsafeBufferPointer { try decodeBatch($0, batch: batch, steps: steps, classes: classes) }
    }

    /// Decodes a batch from a flat (B, T, C) buffer without copying it (e.g. a tensor's or
    /// ONNX Runtime's output memory).
    public func decodeBatch(_ values: UnsafeBufferPointer<Float>, batch: Int, steps: Int, classes: Int) throws -> [Result] {
        try CTCShape.check(count: values.count, batch: batch, steps: steps, classes: classes, charset: charset)
        return try (0..<batch).map { b in
            try decodeChecked(UnsafeBufferPointer(rebasing: values[(b * steps * classes)..<((b + 1) * steps * classes)]),
                              batch: b, steps: steps, classes: classes)
        }
    }

    private func decodeChecked(_ v: UnsafeBufferPointer<Float>, batch: Int, steps: Int, classes: Int) throws -> Result {
        var kept = [Int](), spans = [ClosedRange<Int>](), probs = [Float]()
        var previous = -1
        for t in 0..<steps {
            let row = t * classes
            var best = 0
            var bestValue = v[row]
            for c in 0..<classes {
                let x = v[row + c]
                guard x.isFinite else { throw CTCDecodingError.nonFiniteScore(batch: batch, step: t, classIndex: c) }
                if x > bestValue { best = c; bestValue = x }
            }
            if best == previous {
                // Same class as the step before: extend the run, keep nothing new.
                if best != Charset.blankIndex { spans[spans.count - 1] = spans[spans.count - 1].lowerBound...t }
                continue
            }
            previous = best
            guard best != Charset.blankIndex else { continue }
            let p: Float
            switch scores {
            case .probabilities:
                p = bestValue
            case .logits:
                // max softmax = exp(x_max - x_max) / sum_j exp(x_j - x_max)
                var sum: Float = 0
                for c in 0..<classes { sum += exp(v[row + c] - bestValue) }
                p = 1 / sum
            }
            kept.append(best)
            spans.append(t...t)
            probs.append(p)
        }
        let confidence = probs.isEmpty ? 0 : Float(probs.reduce(0.0) { $0 + Double($1) } / Double(probs.count))
        return Result(text: try charset.decode(kept), classes: kept, steps: spans,
                      probabilities: probs, confidence: confidence)
    }
}
