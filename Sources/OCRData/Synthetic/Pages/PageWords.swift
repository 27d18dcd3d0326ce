/// What pages say: words from the corpus (drawn as often as they occur in it) and the tokens
/// documents are full of and corpora are not - prices, dates, times, codes, phone numbers.
/// Every draw is checked against the font it will be drawn with: a font never draws a word it
/// lacks glyphs for.
struct PageWords: Sendable {
    /// Words mode: `units` are the distinct words, `occurrences` their running order.
    let corpus: CorpusSampler

    /// How a drawn word is cased.
    enum Case { case asIs, capitalized, upper }

    /// A corpus word `font` draws, or nil after 32 misses (a font covering little of the corpus).
    func word(for font: FontFile, case wordCase: Case = .asIs, random: inout SynthRandom) -> String? {
        for _ in 0..<32 {
            let w = corpus.units[Int(corpus.occurrences[random.int(below: corpus.occurrences.count)])]
            let cased = switch wordCase {
            case .asIs: w
            case .capitalized: w.prefix(1).uppercased() + w.dropFirst()
            case .upper: w.uppercased()
            }
            if font.covers(cased) { return cased }
            if font.covers(w) { return w }
        }
        return nil
    }

    /// Kinds of generated tokens.
    enum Token: CaseIterable { case price, amount, date, time, code, phone, quantity, percent, postcode, number }

    /// A generated token of `kind` that `font` draws (digits alone when it lacks the punctuation).
    func token(_ kind: Token, for font: FontFile, random: inout SynthRandom) -> String? {
        func digits(_ n: Int) -> String { String((0..<n).map { _ in Character(String(random.int(below: 10))) }) }
        func letters(_ n: Int) -> String {
            String((0..<n).map { _ in Character(Unicode.Scalar(UInt8(65 + random.int(below: 26)))) })
        }
        let text: String
        switch kind {
        case .price:
            let currency = ["", "", "$", "€", "£"][random.int(below: 5)]
            text = currency + String(random.int(in: 0...999)) + "." + digits(2)
        case .amount:
            text = String(random.int(in: 1...99)) + "," + digits(3) + "." + digits(2)
        case .date:
            let (d, m, y) = (random.int(in: 1...28), random.int(in: 1...12), random.int(in: 1990...2030))
            func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
            text = [
                "\(two(d))/\(two(m))/\(y)", "\(y)-\(two(m))-\(two(d))", "\(two(d)).\(two(m)).\(y % 100)",
                "\(d) " + ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"][m - 1] + " \(y)",
            ][random.int(below: 4)]
        case .time:
            text = "\(random.int(in: 0...23)):\(digits(1) == "9" ? "05" : String(random.int(in: 10...59)))"
        case .code:
            text = [letters(3) + "-" + digits(5), letters(2) + digits(8) + letters(2), "#" + digits(6),
                    letters(1) + digits(3) + "-" + letters(2)][random.int(below: 4)]
        case .phone:
            text = ["+\(random.int(in: 1...99)) \(digits(3)) \(digits(3)) \(digits(4))", "(\(digits(3))) \(digits(3))-\(digits(4))"][random.int(below: 2)]
        case .quantity:
            text = ["\(random.int(in: 1...12))x", "x\(random.int(in: 1...12))", "\(random.int(in: 1...999))",
                    "\(random.int(in: 1...5)).\(digits(3)) kg"][random.int(below: 4)]
        case .percent:
            text = "\(random.int(in: 0...99))%"
        case .postcode:
            text = [digits(5), letters(2) + "\(random.int(in: 1...20)) " + digits(1) + letters(2)][random.int(below: 2)]
        case .number:
            text = digits(random.int(in: 1...6))
        }
        if font.covers(text) { return text }
        let plain = digits(text.count)
        return font.covers(plain) ? plain : nil
    }
}
