/// Which fonts draw which corpus texts, as one bitset of fonts per text: built once per dataset
/// from one coverage check per distinct character, so choosing a font for a text is a bit test.
struct FontCoverageIndex: Sendable {
    let fontCount: Int
    /// UInt64 words per bitset.
    let stride: Int
    /// `units.count * stride` words; bit f of unit u's set: font f draws every character of it.
    private let bits: [UInt64]
    let report: FontCoverageReport

    init(units: [String], fonts: [FontFile], unitName: String) {
        fontCount = fonts.count
        stride = max(1, (fonts.count + 63) / 64)
        var all = [UInt64](repeating: 0, count: stride)
        for f in 0..<fonts.count { all[f / 64] |= 1 << UInt64(f % 64) }
        var charBits: [Character: [UInt64]] = [:]
        var bits = [UInt64](repeating: 0, count: units.count * stride)
        var uncovered = 0, examples: [String] = []
        var noFont: [Character: Int] = [:], noFontOrder: [Character] = []
        var textsPerFont = [Int](repeating: 0, count: fonts.count)
        for (u, text) in units.enumerated() {
            var set = all
            var seen = Set<Character>()
            for c in text where seen.insert(c).inserted {
                let cb: [UInt64]
                if let known = charBits[c] {
                    cb = known
                } else {
                    var b = [UInt64](repeating: 0, count: stride)
                    for (f, font) in fonts.enumerated() where font.covers(c) { b[f / 64] |= 1 << UInt64(f % 64) }
                    charBits[c] = b
                    cb = b
                }
                for w in 0..<stride { set[w] &= cb[w] }
                if cb.allSatisfy({ $0 == 0 }) {
                    if noFont[c] == nil { noFontOrder.append(c) }
                    noFont[c, default: 0] += 1
                }
            }
            for w in 0..<stride { bits[u * stride + w] = set[w] }
            if set.allSatisfy({ $0 == 0 }) {
                uncovered += 1
                if examples.count < 5 { examples.append(text) }
            } else {
                for f in 0..<fonts.count where set[f / 64] & (1 << UInt64(f % 64)) != 0 { textsPerFont[f] += 1 }
            }
        }
        self.bits = bits
        report = FontCoverageReport(
            unitName: unitName, checked: units.count, uncovered: uncovered, uncoveredExamples: examples,
            charactersNoFontDraws: noFontOrder.map { CharacterCount(character: $0, count: noFont[$0]!) }
                .sorted { $0.count > $1.count },
            textsPerFont: zip(fonts, textsPerFont).map { FontTextCount(font: $0.name, path: $0.path, texts: $1) })
    }

    func covers(unit: Int, font: Int) -> Bool {
        bits[unit * stride + font / 64] & (1 << UInt64(font % 64)) != 0
    }

    /// The fonts that draw unit `unit`, ascending.
    func fonts(of unit: Int) -> [Int] {
        var out: [Int] = []
        for w in 0..<stride {
            var word = bits[unit * stride + w]
            while word != 0 {
                out.append(w * 64 + word.trailingZeroBitCount)
                word &= word - 1
            }
        }
        return out
    }
}

/// How many corpus texts a font draws.
public struct FontTextCount: Sendable, Equatable {
    public var font: String
    public var path: String
    public var texts: Int
}

/// Which corpus texts the fonts can draw. A text no font covers is never rendered - with any
/// font - and is counted here with examples, so a missing glyph never turns into a wrong label.
public struct FontCoverageReport: Sendable, Equatable {
    /// "texts" (lines mode) or "words" (words mode).
    public var unitName: String
    /// Texts (or distinct words) checked.
    public var checked: Int
    /// Of those, the ones no font draws in full.
    public var uncovered: Int
    /// Up to 5 of them.
    public var uncoveredExamples: [String]
    /// Characters no font draws, with the number of texts holding each, most frequent first.
    public var charactersNoFontDraws: [CharacterCount]
    /// Per font (in font order), the texts it draws.
    public var textsPerFont: [FontTextCount]

    /// Fonts that draw none of the texts (never used).
    public var unusedFonts: [String] { textsPerFont.filter { $0.texts == 0 }.map(\.path) }

    public var summary: String {
        var s = "\(checked - uncovered) of \(checked) \(unitName) drawable by at least one of \(textsPerFont.count) fonts"
        if uncovered > 0 {
            let chars = charactersNoFontDraws.prefix(10).map { c in
                "\(SyntheticCodePoints.describe(c.character)) in \(c.count) \(unitName)"
            }
            s += "; \(uncovered) skipped: no font draws " + chars.joined(separator: ", ")
                + (charactersNoFontDraws.count > 10 ? ", ..." : "")
                + "; e.g. " + uncoveredExamples.prefix(3).map { "\"\($0)\"" }.joined(separator: ", ")
        }
        if !unusedFonts.isEmpty { s += "; unused fonts (draw none of the \(unitName)): " + unusedFonts.joined(separator: ", ") }
        return s
    }
}

/// Characters named for messages: `'é' (U+00E9)`.
enum SyntheticCodePoints {
    static func describe(_ c: Character) -> String {
        "'\(c)' (" + c.unicodeScalars.map { s in
            let h = String(s.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - h.count)) + h
        }.joined(separator: " ") + ")"
    }
}
