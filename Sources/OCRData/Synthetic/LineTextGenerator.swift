import Foundation

/// Full text lines as forms, receipts, invoices and letters hold them, built from a word list:
/// mixed-case words with trailing punctuation, numbers, prices (`$1,234.56`, `12,50 EUR`), dates
/// (`2026-12-03`, `03/12/2026`, `3 Dec 2026`), times, codes (`INV-2026-00417`, `AB12 CD3`), phone
/// numbers, percentages, and words or numbers in `()`, `[]` and quotes.
///
/// The realistic fine-tuning benchmark (`make bench-finetune-lines`) draws its training texts and
/// its evaluation texts from this one generator (`ocr data lines` writes them as corpus files):
/// the training side renders them with `SyntheticLines`, the evaluation side with another renderer
/// (scripts/render-lines-pil.py), so both read the same kind of text but never the same words -
/// the two splits take different word lists (the corpus's train and eval splits) and seeds.
///
/// A line is a pure function of (seed, index). Its length is drawn first: with probability
/// `longShare` from `longFrom...lengths.upperBound` (at 48 px high most such lines are wider
/// than 10:1, the ones a fixed 320-pixel input squeezes), otherwise from below `longFrom`; tokens
/// are then added while they fit, and a line that came out short is topped up with a number.
/// A `capsShare` of the lines is in capitals throughout (headings, forms) - also the only lines
/// a caps-only face (Humor Sans) is given to draw, since it draws lowercase as capitals.
public struct LineTextGenerator: Sendable {
    /// The words lines are made of (letters, apostrophes and hyphens; cased per line).
    public let words: [String]
    /// Line lengths in characters.
    public let lengths: ClosedRange<Int>
    /// Share of lines drawn from `longFrom...` (the rest from below it).
    public let longShare: Double
    /// Where long lines start, in characters.
    public let longFrom: Int
    /// Share of lines in capitals throughout.
    public let capsShare: Double

    /// `words` must hold at least one word; `lengths` must start at 5 or more (the shortest
    /// tokens - a date, a code - are about that long) and `longFrom` must lie inside it.
    public init(words: [String], lengths: ClosedRange<Int> = 5...50, longShare: Double = 0.38,
                longFrom: Int = 30, capsShare: Double = 0.15) throws {
        let usable = words.filter(Self.isWord)
        guard !usable.isEmpty else {
            throw SyntheticError("line texts: no usable words (letters, apostrophes, hyphens) among \(words.count) given")
        }
        guard lengths.lowerBound >= 5, lengths.contains(longFrom), longFrom > lengths.lowerBound else {
            throw SyntheticError("line texts: lengths must start at 5 or more and contain long_from above their start; "
                + "got \(lengths.lowerBound)...\(lengths.upperBound), long_from \(longFrom)")
        }
        guard (0...1).contains(longShare), (0...1).contains(capsShare) else {
            throw SyntheticError("line texts: long_share and caps_share must be in 0...1, got \(longShare) and \(capsShare)")
        }
        self.words = usable
        self.lengths = lengths
        self.longShare = longShare
        self.longFrom = longFrom
        self.capsShare = capsShare
    }

    /// Reads the words of a corpus file (one or more tokens a line; tokens that are not words,
    /// such as the numbers scripts/make-corpus.sh mixes in, are left out).
    public init(wordsFile path: String, lengths: ClosedRange<Int> = 5...50, longShare: Double = 0.38,
                longFrom: Int = 30, capsShare: Double = 0.15) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SyntheticError("line texts: cannot read the word list '\(path)' (\(error.localizedDescription))")
        }
        let tokens = text.split(whereSeparator: \.isWhitespace).map(String.init)
        do {
            try self.init(words: tokens, lengths: lengths, longShare: longShare, longFrom: longFrom, capsShare: capsShare)
        } catch let e as SyntheticError {
            throw SyntheticError("\(path): \(e.message)")
        }
    }

    /// A word: ASCII letters, with apostrophes or hyphens inside (`o'clock`, `well-known`).
    /// Possessives (`Aaron's`) are left out: a quarter of the English word list is one, far more
    /// than running text holds.
    static func isWord(_ s: String) -> Bool {
        guard !s.hasSuffix("'s") else { return false }
        guard let first = s.unicodeScalars.first, let last = s.unicodeScalars.last,
              first.isASCIILetter, last.isASCIILetter else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCIILetter || $0 == "'" || $0 == "-" }
    }

    /// Lines 0..<count.
    public func lines(count: Int, seed: UInt64) -> [String] {
        (0..<max(0, count)).map { line(at: $0, seed: seed) }
    }

    /// Line `index` of the stream `seed`.
    public func line(at index: Int, seed: UInt64) -> String {
        var random = SynthRandom(SplitMix64(seed: seed, UInt64(bitPattern: Int64(index))))
        let capitals = random.chance(capsShare)
        let target = random.chance(longShare) ? random.int(in: longFrom...lengths.upperBound)
            : random.int(in: lengths.lowerBound...(longFrom - 1))
        var text = ""
        var misses = 0
        while text.count < target - 1 && misses < 24 {
            let token = self.token(&random)
            let joined = text.isEmpty ? token : text + " " + token
            if joined.count <= target {
                text = joined
            } else {
                misses += 1
            }
        }
        // Short of the minimum (long tokens kept missing): a number fills the rest.
        if text.count < lengths.lowerBound {
            let missing = lengths.lowerBound - text.count - (text.isEmpty ? 0 : 1)
            let filler = digits(max(1, missing), &random)
            text = text.isEmpty ? filler : text + " " + filler
        }
        return capitals ? text.uppercased() : text
    }

    // MARK: Tokens

    /// One token; the weights say how often each kind appears (words most, as in running text).
    private func token(_ r: inout SynthRandom) -> String {
        switch r.weighted([58, 5, 7, 6, 4, 5, 3, 4, 5, 3]) {
        case 0: return word(&r) + (r.chance(0.18) ? pick([",", ".", ";", ":", "!", "?", ",", "."], &r) : "")
        case 1: return number(&r)
        case 2: return price(&r)
        case 3: return date(&r)
        case 4: return time(&r)
        case 5: return code(&r)
        case 6: return phone(&r)
        case 7: return percentage(&r)
        case 8:
            let inner = r.chance(0.6) ? word(&r) : (r.chance(0.5) ? number(&r) : word(&r) + " " + number(&r))
            return r.chance(0.6) ? "(" + inner + ")" : "[" + inner + "]"
        default:
            let inner = r.chance(0.5) ? word(&r) : word(&r) + " " + word(&r)
            return r.chance(0.6) ? "\"" + inner + "\"" : "'" + inner + "'"
        }
    }

    /// A word in lower case (half), Title Case (a third) or UPPER CASE.
    private func word(_ r: inout SynthRandom) -> String {
        let w = words[r.int(below: words.count)]
        switch r.weighted([50, 33, 17]) {
        case 0: return w.lowercased()
        case 1: return w.prefix(1).uppercased() + w.dropFirst().lowercased()
        default: return w.uppercased()
        }
    }

    private func digits(_ n: Int, _ r: inout SynthRandom) -> String {
        String((0..<n).map { _ in Character(String(r.int(below: 10))) })
    }

    /// `42`, `1,204`, `3.14`, `#17`, `No. 88`, `-12`.
    private func number(_ r: inout SynthRandom) -> String {
        switch r.int(below: 6) {
        case 0: return String(r.int(in: 0...999))
        case 1: return grouped(r.int(in: 1000...999_999))
        case 2: return "\(r.int(in: 0...99)).\(digits(r.int(in: 1...3), &r))"
        case 3: return "#\(r.int(in: 1...9999))"
        case 4: return "No. \(r.int(in: 1...999))"
        default: return "-\(r.int(in: 1...500))"
        }
    }

    /// Thousands separated by `separator`: 1234567 -> `1,234,567`.
    private func grouped(_ n: Int, separator: String = ",") -> String {
        var s = String(n), out = ""
        while s.count > 3 {
            out = separator + String(s.suffix(3)) + out
            s = String(s.dropLast(3))
        }
        return s + out
    }

    /// `$1,234.56`, `$7.05`, `12,50 EUR`, `EUR 1.299,00`, `USD 80`, `9.99`.
    private func price(_ r: inout SynthRandom) -> String {
        let whole = r.chance(0.6) ? r.int(in: 0...99) : r.int(in: 100...99_999)
        let cents = digits(2, &r)
        switch r.int(below: 6) {
        case 0, 1: return "$" + grouped(whole) + "." + cents
        case 2: return grouped(whole, separator: ".") + "," + cents + " EUR"
        case 3: return "EUR " + grouped(whole, separator: ".") + "," + cents
        case 4: return "USD \(whole)"
        default: return "\(whole).\(cents)"
        }
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `2026-12-03`, `03/12/2026`, `3 Dec 2026`, `Dec 3, 2026`, `03.12.26`.
    private func date(_ r: inout SynthRandom) -> String {
        let y = r.int(in: 1950...2039), m = r.int(in: 1...12), d = r.int(in: 1...28)
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        switch r.int(below: 5) {
        case 0: return "\(y)-\(two(m))-\(two(d))"
        case 1: return "\(two(d))/\(two(m))/\(y)"
        case 2: return "\(d) \(Self.months[m - 1]) \(y)"
        case 3: return "\(Self.months[m - 1]) \(d), \(y)"
        default: return "\(two(d)).\(two(m)).\(two(y % 100))"
        }
    }

    /// `14:05`, `9:30 am`, `07:45:10`, `11:20 PM`.
    private func time(_ r: inout SynthRandom) -> String {
        let h = r.int(in: 0...23), m = r.int(in: 0...59)
        let mm = m < 10 ? "0\(m)" : "\(m)"
        switch r.int(below: 4) {
        case 0: return "\(h < 10 ? "0" : "")\(h):\(mm)"
        case 1: return "\(h % 12 + 1):\(mm) \(r.chance(0.5) ? "am" : "pm")"
        case 2: return "\(h < 10 ? "0" : "")\(h):\(mm):\(r.int(below: 6))\(r.int(below: 10))"
        default: return "\(h % 12 + 1):\(mm) \(r.chance(0.5) ? "AM" : "PM")"
        }
    }

    private func letters(_ n: Int, _ r: inout SynthRandom) -> String {
        String((0..<n).map { _ in Character(UnicodeScalar(UInt8(65 + r.int(below: 26)))) })
    }

    /// `INV-2026-00417`, `AB12 CD3`, `SKU 4471-X`, `REF/88213`, `QX-7741`.
    private func code(_ r: inout SynthRandom) -> String {
        switch r.int(below: 5) {
        case 0: return pick(["INV", "PO", "ORD", "REF", "CN"], &r) + "-\(r.int(in: 2015...2030))-" + digits(5, &r)
        case 1: return letters(2, &r) + digits(2, &r) + " " + letters(2, &r) + digits(1, &r)
        case 2: return "SKU " + digits(4, &r) + "-" + letters(1, &r)
        case 3: return letters(3, &r) + "/" + digits(5, &r)
        default: return letters(2, &r) + "-" + digits(4, &r)
        }
    }

    /// `+1 555 123 4567`, `(555) 123-4567`, `020 7946 0958`, `+49 30 901820`.
    private func phone(_ r: inout SynthRandom) -> String {
        switch r.int(below: 4) {
        case 0: return "+1 " + digits(3, &r) + " " + digits(3, &r) + " " + digits(4, &r)
        case 1: return "(" + digits(3, &r) + ") " + digits(3, &r) + "-" + digits(4, &r)
        case 2: return "0" + digits(2, &r) + " " + digits(4, &r) + " " + digits(4, &r)
        default: return "+" + String(r.int(in: 30...49)) + " " + digits(2, &r) + " " + digits(6, &r)
        }
    }

    /// `12%`, `7.5%`, `-3.2%`, `+0.25%`.
    private func percentage(_ r: inout SynthRandom) -> String {
        switch r.int(below: 4) {
        case 0: return "\(r.int(in: 0...100))%"
        case 1: return "\(r.int(in: 0...99)).\(r.int(below: 10))%"
        case 2: return "-\(r.int(in: 0...20)).\(r.int(below: 10))%"
        default: return "+0.\(digits(2, &r))%"
        }
    }

    private func pick(_ options: [String], _ r: inout SynthRandom) -> String { options[r.int(below: options.count)] }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
