/// What one "character" is when text is compared (edit distance, CER, confusions).
///
/// Swift's `Character` is a grapheme cluster: "é" written as e + U+0301, or a Devanagari
/// conjunct, is one unit. PaddleOCR (Python `str`) compares Unicode scalars, so its numbers on
/// scripts with combining marks differ; `.unicodeScalar` reproduces them.
public enum TextUnit: String, Sendable, Codable, CaseIterable {
    /// Grapheme clusters (Swift `Character`). The default: what a reader calls a character.
    case character
    /// Unicode scalars (code points), as PaddleOCR's Python metrics count them.
    case unicodeScalar

    /// Splits `text` into units. Scalars are wrapped as single-scalar `Character`s so both
    /// modes share one element type.
    public func split(_ text: String) -> [Character] {
        switch self {
        case .character: return Array(text)
        case .unicodeScalar: return text.unicodeScalars.map { Character($0) }
        }
    }
}
