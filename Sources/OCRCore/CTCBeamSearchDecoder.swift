import Foundation

/// CTC prefix beam search: keeps the `beamWidth` most probable label prefixes, summing over all
/// alignments of each prefix (blank-ending and non-blank-ending paths tracked apart).
///
/// Unlike best-path decoding this finds "a" when two steps each say 40% "a", 60% blank
/// (P("a") = 0.64 > P("") = 0.36). No language model. Cost O(T * beamWidth * C) plus hashing.
public struct CTCBeamSearchDecoder: Sendable {
    /// The classes the model was trained with.
    public let charset: Charset
    /// Prefixes kept after each step.
    public let beamWidth: Int
    /// Whether inputs are logits or probabilities.
    public var scores: CTCScores
    /// Classes whose probability at a step is below this are not extended there; 0 tries all.
    /// A value like 1e-3 speeds up large (CJK) charsets with little effect on the result.
    public var pruneProbability: Double

    public init(charset: Charset, beamWidth: Int = 10, scores: CTCScores = .probabilities,
                pruneProbability: Double = 0) throws {
        guard beamWidth >= 1 else { throw CTCDecodingError.invalidBeamWidth(beamWidth) }
        self.charset = charset
        self.beamWidth = beamWidth
        self.scores = scores
        self.pruneProbability = pruneProbability
    }

    /// One candidate line.
    public struct Beam: Hashable, Sendable {
        public var text: String
        public var classes: [Int]
        /// Natural log of the probability of this labelling (summed over its alignments).
        public var logProbability: Double
    }

    /// Decodes one line from a flat (T, C) buffer; beams best first (at most `beamWidth`).
    public func decode(_ values: [Float], steps: Int, classes: Int) throws -> [Beam] {
        try CTCShape.check(count: values.count, batch: 1, steps: steps, classes: classes, charset: charset)
        let logProbs = try logProbabilities(values, steps: steps, classes: classes)
        let pruneLog = pruneProbability > 0 ? log(pruneProbability) : -Double.infinity

        struct Score { var blank = -Double.infinity, nonBlank = -Double.infinity
            var total: Double { logAdd(blank, nonBlank) } }
        var beams: [[Int]: Score] = [[]: Score(blank: 0)]
        for t in 0..<steps {
            let row = t * classes
            var next = [[Int]: Score]()
            let candidates = (0..<classes).filter { $0 == Charset.blankIndex || logProbs[row + $0] >= pruneLog }
            for (prefix, s) in beams {
                for c in candidates {
                    let p = logProbs[row + c]
                    if c == Charset.blankIndex {
                        next[prefix, default: Score()].blank = logAdd(next[prefix, default: Score()].blank, s.total + p)
                        continue
                    }
                    let extended = prefix + [c]
                    if c == prefix.last {
                        // A repeat only starts a new character after a blank; otherwise it merges.
                        next[extended, default: Score()].nonBlank = logAdd(next[extended, default: Score()].nonBlank, s.blank + p)
                        next[prefix, default: Score()].nonBlank = logAdd(next[prefix, default: Score()].nonBlank, s.nonBlank + p)
                    } else {
                        next[extended, default: Score()].nonBlank = logAdd(next[extended, default: Score()].nonBlank, s.total + p)
                    }
                }
            }
            beams = Dictionary(uniqueKeysWithValues: Self.best(next.map { ($0.key, $0.value.total) }, count: beamWidth)
                .map { ($0.0, next[$0.0]!) })
        }
        return try Self.best(beams.map { ($0.key, $0.value.total) }, count: beamWidth).map {
            Beam(text: try charset.decode($0.0), classes: $0.0, logProbability: $0.1)
        }
    }

    /// Highest scores first; equal scores ordered by prefix so results never depend on hashing.
    /// Impossible prefixes (probability 0, e.g. a repeat with no blank between) are dropped.
    private static func best(_ items: [([Int], Double)], count: Int) -> [([Int], Double)] {
        Array(items.filter { $0.1 > -.infinity }.sorted { a, b in
            a.1 != b.1 ? a.1 > b.1 : a.0.lexicographicallyPrecedes(b.0)
        }.prefix(count))
    }

    private func logProbabilities(_ v: [Float], steps: Int, classes: Int) throws -> [Double] {
        var out = [Double](repeating: 0, count: v.count)
        for t in 0..<steps {
            let row = t * classes
            var maxValue = -Double.infinity
            for c in 0..<classes {
                let x = Double(v[row + c])
                guard x.isFinite else { throw CTCDecodingError.nonFiniteScore(batch: 0, step: t, classIndex: c) }
                maxValue = max(maxValue, x)
            }
            switch scores {
            case .probabilities:
                for c in 0..<classes { out[row + c] = log(Double(v[row + c])) }  // log(0) = -inf is fine
            case .logits:
                var sum = 0.0
                for c in 0..<classes { sum += exp(Double(v[row + c]) - maxValue) }
                let logSum = maxValue + log(sum)
                for c in 0..<classes { out[row + c] = Double(v[row + c]) - logSum }
            }
        }
        return out
    }
}

/// log(exp(a) + exp(b)) without overflow.
@inline(__always) func logAdd(_ a: Double, _ b: Double) -> Double {
    if a == -.infinity { return b }
    if b == -.infinity { return a }
    let m = max(a, b)
    return m + log1p(exp(-abs(a - b)))
}
