/// Levenshtein edit distance (unit-cost insert, delete, substitute) and the alignment behind it.
///
/// Generic over the element type so the same code measures characters (CER) and words (WER).
public enum Levenshtein {
    /// One step of an alignment that turns `reference` (ground truth) into `hypothesis`
    /// (prediction).
    public enum Operation<Element: Hashable & Sendable>: Hashable, Sendable {
        /// Same element in both.
        case match(Element)
        /// `reference` element replaced by `hypothesis` element.
        case substitution(reference: Element, hypothesis: Element)
        /// Element present only in the hypothesis (an extra prediction).
        case insertion(Element)
        /// Element present only in the reference (missed by the prediction).
        case deletion(Element)

        /// Whether this step costs 1.
        public var isError: Bool {
            if case .match = self { return false }
            return true
        }
    }

    /// Edit distance between two sequences, in O(min(n, m)) memory.
    public static func distance<C: Collection>(_ a: C, _ b: C) -> Int where C.Element: Equatable {
        let x = Array(a), y = Array(b)
        // Keep the shorter sequence on the row to bound memory.
        let (long, short) = x.count >= y.count ? (x, y) : (y, x)
        if short.isEmpty { return long.count }
        var previous = Array(0...short.count)
        var current = [Int](repeating: 0, count: short.count + 1)
        for i in 1...long.count {
            current[0] = i
            let li = long[i - 1]
            for j in 1...short.count {
                let cost = li == short[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[short.count]
    }

    /// Character edit distance between two strings, counted in `unit`s.
    public static func distance(_ a: String, _ b: String, unit: TextUnit = .character) -> Int {
        distance(unit.split(a), unit.split(b))
    }

    /// Word edit distance: both strings split on whitespace runs.
    public static func wordDistance(_ a: String, _ b: String) -> Int {
        distance(words(a), words(b))
    }

    /// Whitespace-separated words; leading, trailing and repeated whitespace make no empty words.
    public static func words(_ text: String) -> [Substring] {
        text.split(whereSeparator: { $0.isWhitespace })
    }

    /// A minimal-cost alignment from `reference` to `hypothesis`, in reading order.
    ///
    /// Ties are broken the same way every time: match/substitution, then deletion, then
    /// insertion, so confusion counts are reproducible. O(n*m) memory.
    public static func alignment<E: Hashable & Sendable>(reference: [E], hypothesis: [E]) -> [Operation<E>] {
        let n = reference.count, m = hypothesis.count
        let width = m + 1
        var d = [Int](repeating: 0, count: (n + 1) * width)
        for i in 0...n { d[i * width] = i }
        for j in 0...m { d[j] = j }
        if n > 0 && m > 0 {
            for i in 1...n {
                for j in 1...m {
                    let cost = reference[i - 1] == hypothesis[j - 1] ? 0 : 1
                    d[i * width + j] = min(d[(i - 1) * width + j] + 1,
                                           d[i * width + j - 1] + 1,
                                           d[(i - 1) * width + j - 1] + cost)
                }
            }
        }
        var ops = [Operation<E>]()
        ops.reserveCapacity(max(n, m))
        var i = n, j = m
        while i > 0 || j > 0 {
            if i > 0 && j > 0 {
                let same = reference[i - 1] == hypothesis[j - 1]
                if d[i * width + j] == d[(i - 1) * width + j - 1] + (same ? 0 : 1) {
                    ops.append(same ? .match(reference[i - 1])
                                    : .substitution(reference: reference[i - 1], hypothesis: hypothesis[j - 1]))
                    i -= 1; j -= 1
                    continue
                }
            }
            if i > 0 && d[i * width + j] == d[(i - 1) * width + j] + 1 {
                ops.append(.deletion(reference[i - 1]))
                i -= 1
            } else {
                ops.append(.insertion(hypothesis[j - 1]))
                j -= 1
            }
        }
        return ops.reversed()
    }
}
