/// "Did you mean ...?" for mistyped config keys.
enum KeySuggestion {
    /// The candidate closest to `key` by edit distance (case-insensitive), if close enough to
    /// be a plausible typo: at most max(2, len/3) edits.
    static func closest(to key: String, in candidates: [String]) -> String? {
        let k = key.lowercased()
        var best: (String, Int)?
        for c in candidates.sorted() {
            let d = Levenshtein.distance(Array(k), Array(c.lowercased()))
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let (candidate, distance) = best, distance <= max(2, key.count / 3) else { return nil }
        return candidate
    }

    /// " (did you mean 'lr'?)" or "".
    static func hint(for key: String, in candidates: [String]) -> String {
        closest(to: key, in: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }
}
