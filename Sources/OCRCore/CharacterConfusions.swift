/// Counts of which characters a recogniser gets wrong, and how, from Levenshtein alignments.
///
/// A substitution is "ground truth X read as Y"; a deletion is a ground-truth character the
/// prediction missed; an insertion is a predicted character with no ground-truth counterpart.
public struct CharacterConfusions: Sendable, Equatable {
    /// A ground-truth -> prediction pair.
    public struct Pair: Hashable, Sendable, Codable, CustomStringConvertible {
        public var groundTruth: String
        public var prediction: String
        public init(groundTruth: String, prediction: String) {
            self.groundTruth = groundTruth
            self.prediction = prediction
        }
        public var description: String { "\(groundTruth.debugDescription) -> \(prediction.debugDescription)" }
    }

    /// Substitution counts by (ground truth, prediction).
    public private(set) var substitutions: [Pair: Int] = [:]
    /// Missed ground-truth characters.
    public private(set) var deletions: [String: Int] = [:]
    /// Extra predicted characters.
    public private(set) var insertions: [String: Int] = [:]

    public init() {}

    /// Adds the errors of one aligned line (ground truth = reference).
    public mutating func add(_ alignment: [Levenshtein.Operation<Character>]) {
        for op in alignment {
            switch op {
            case .match: break
            case .substitution(let r, let h):
                substitutions[Pair(groundTruth: String(r), prediction: String(h)), default: 0] += 1
            case .deletion(let r): deletions[String(r), default: 0] += 1
            case .insertion(let h): insertions[String(h), default: 0] += 1
            }
        }
    }

    /// Adds another set of counts (e.g. from another evaluation worker).
    public mutating func merge(_ other: CharacterConfusions) {
        substitutions.merge(other.substitutions, uniquingKeysWith: +)
        deletions.merge(other.deletions, uniquingKeysWith: +)
        insertions.merge(other.insertions, uniquingKeysWith: +)
    }

    /// The `count` most frequent substitutions; ties ordered by the pair's text.
    public func topSubstitutions(_ count: Int) -> [(pair: Pair, count: Int)] {
        Self.top(substitutions, count, order: { ($0.groundTruth, $0.prediction) < ($1.groundTruth, $1.prediction) })
            .map { (pair: $0.0, count: $0.1) }
    }

    /// The `count` most often missed characters.
    public func topDeletions(_ count: Int) -> [(character: String, count: Int)] {
        Self.top(deletions, count, order: <).map { (character: $0.0, count: $0.1) }
    }

    /// The `count` most often inserted characters.
    public func topInsertions(_ count: Int) -> [(character: String, count: Int)] {
        Self.top(insertions, count, order: <).map { (character: $0.0, count: $0.1) }
    }

    private static func top<K>(_ d: [K: Int], _ n: Int, order: (K, K) -> Bool) -> [(K, Int)] {
        Array(d.sorted { $0.value != $1.value ? $0.value > $1.value : order($0.key, $1.key) }.prefix(max(0, n)))
    }
}
