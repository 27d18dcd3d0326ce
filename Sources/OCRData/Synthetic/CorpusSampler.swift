import Foundation
import OCRCore

/// Texts to render, from a corpus file: each line as one text, or random runs of its words.
///
/// Lines are cleaned as labels must be: runs of whitespace (tabs included) become one space and
/// ends are trimmed. With a charset, texts (lines mode) or words (words mode) holding a character
/// outside it are left out and counted in `report`, with the characters and how often they
/// occurred - never dropped silently. Texts are pure functions of (seed, index).
public struct CorpusSampler: Sendable {
    public enum Mode: Sendable, Equatable {
        /// Each corpus line is one text; lines longer than `maxLength` characters are split at
        /// spaces into pieces of at most that length (pieces still too long are left out).
        case lines(maxLength: Int? = nil)
        /// Texts of random words from the whole corpus, joined by single spaces, `minLength` to
        /// `maxLength` characters long (shorter only when words are long). Words are whole: one
        /// longer than `maxLength` is only cut when the corpus offers nothing shorter.
        case words(minLength: Int, maxLength: Int)
    }

    public let mode: Mode
    public let report: CorpusReport
    /// Lines mode: the texts. Words mode: the distinct words.
    public let units: [String]
    /// Words mode: each word occurrence in corpus order, as an index into `units` (so frequent
    /// words are drawn as often as they occur). Empty in lines mode.
    let occurrences: [Int32]

    /// Reads a UTF-8 corpus file, one text per line.
    public init(contentsOf path: String, mode: Mode, charset: Charset? = nil) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SyntheticError("read corpus '\(path)': \(error.localizedDescription)")
        }
        var lines: [String?] = []
        var start = data.startIndex
        func emit(_ end: Data.Index) {
            var slice = data[start..<end]
            if slice.last == 0x0D { slice = slice.dropLast() }
            if lines.isEmpty && slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
            lines.append(String(validating: slice, as: UTF8.self))
        }
        for i in data.indices where data[i] == 0x0A {
            emit(i)
            start = i + 1
        }
        if start < data.endIndex { emit(data.endIndex) }
        try self.init(lines: lines, source: path, mode: mode, charset: charset)
    }

    /// Texts given in memory (tests, generated corpora).
    public init(texts: [String], source: String = "<texts>", mode: Mode, charset: Charset? = nil) throws {
        try self.init(lines: texts, source: source, mode: mode, charset: charset)
    }

    private init(lines: [String?], source: String, mode: Mode, charset: Charset?) throws {
        switch mode {
        case .lines(let max?) where max < 1:
            throw SyntheticError("corpus '\(source)': max_length must be at least 1, got \(max)")
        case .words(let lo, let hi) where lo < 1 || hi < lo:
            throw SyntheticError("corpus '\(source)': word text lengths must be 1 <= min <= max, got [\(lo), \(hi)]")
        case .words where charset.map({ $0.classIndex(of: " ") == nil }) == true:
            throw SyntheticError("corpus '\(source)': words mode joins words with spaces, but the charset "
                + "'\(charset!.source)' has no space; set use_space_char: true, or use lines mode")
        default: break
        }
        var report = CorpusReport(source: source)
        var outside: [Character: Int] = [:]
        var outsideOrder: [Character] = []
        // Whether `text` is all in the charset; counts what is not.
        func accept(_ text: String) -> Bool {
            guard let charset else { return true }
            let unknown = charset.encode(text).unknown
            guard !unknown.isEmpty else { return true }
            for c in unknown {
                if outside[c] == nil { outsideOrder.append(c) }
                // Occurrences in this text (a scalar of a multi-scalar grapheme counts once).
                outside[c, default: 0] += max(1, text.reduce(0) { $0 + ($1 == c ? 1 : 0) })
            }
            report.leftOutForCharset += 1
            if report.leftOutExamples.count < 5 { report.leftOutExamples.append(text) }
            return false
        }

        var units: [String] = []
        var occurrences: [Int32] = []
        var wordIndex: [String: Int32] = [:]
        for line in lines {
            report.linesRead += 1
            guard let line else { report.invalidUTF8Lines += 1; continue }
            let words = line.split(whereSeparator: \.isWhitespace)
            guard !words.isEmpty else { report.emptyLines += 1; continue }
            switch mode {
            case .lines(let maxLength):
                for piece in CorpusSampler.pieces(of: words, maxLength: maxLength) {
                    if let maxLength, piece.count > maxLength {
                        report.leftOutTooLong += 1
                        continue
                    }
                    if accept(piece) { units.append(piece) }
                }
            case .words:
                for w in words {
                    let word = String(w)
                    if let i = wordIndex[word] {
                        occurrences.append(i)
                    } else if accept(word) {
                        wordIndex[word] = Int32(units.count)
                        occurrences.append(Int32(units.count))
                        units.append(word)
                    }
                }
            }
        }
        report.outOfCharset = outsideOrder.map { CharacterCount(character: $0, count: outside[$0]!) }
            .sorted { $0.count > $1.count }
        report.kept = units.count
        guard !units.isEmpty else {
            throw SyntheticError("corpus '\(source)': no text left to render (\(report.summary))")
        }
        self.mode = mode
        self.report = report
        self.units = units
        self.occurrences = occurrences
    }

    /// A line's words joined by single spaces, split greedily into pieces of at most `maxLength`
    /// characters (a single word longer than that is its own piece).
    private static func pieces(of words: [Substring], maxLength: Int?) -> [String] {
        guard let maxLength else { return [words.joined(separator: " ")] }
        var out: [String] = [], current = ""
        for w in words {
            if current.isEmpty {
                current = String(w)
            } else if current.count + 1 + w.count <= maxLength {
                current += " " + w
            } else {
                out.append(current)
                current = String(w)
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// The text for sample `index`: line `index` mod the line count in lines mode, random words
    /// drawn from (seed, index) in words mode.
    public func text(at index: Int, seed: UInt64) -> String {
        var random = SynthRandom(SplitMix64(seed: seed, UInt64(bitPattern: Int64(index))))
        return text(at: index, random: &random, accept: nil)
    }

    /// Words mode: a random text of words for which `accept(word index)` holds (all when nil);
    /// `fallback` lists acceptable words for when drawing by frequency keeps missing them.
    func text(at index: Int, random: inout SynthRandom, accept: ((Int) -> Bool)?, fallback: [Int32]? = nil) -> String {
        switch mode {
        case .lines:
            return units[index % units.count]
        case .words(let minLength, let maxLength):
            func draw() -> String? {
                for _ in 0..<64 {
                    let w = Int(occurrences[random.int(below: occurrences.count)])
                    if accept?(w) ?? true { return units[w] }
                }
                if let fallback, !fallback.isEmpty { return units[Int(fallback[random.int(below: fallback.count)])] }
                return nil
            }
            let target = random.int(in: minLength...maxLength)
            var text = ""
            var misses = 0, longFirstWords = 0
            while text.count < target && misses < 8 {
                guard let word = draw() else { break }
                if text.isEmpty {
                    // A first word longer than the limit is drawn again (a cut word is a misspelling
                    // the model would learn); after 16 such draws it is cut - the only way some
                    // corpora (long compounds, URLs) fit at all.
                    if word.count > maxLength && longFirstWords < 16 {
                        longFirstWords += 1
                        continue
                    }
                    text = word.count > maxLength ? String(word.prefix(maxLength)) : word
                } else if text.count + 1 + word.count <= maxLength {
                    text += " " + word
                } else {
                    misses += 1
                }
            }
            return text
        }
    }
}

/// A character and how many times it occurred.
public struct CharacterCount: Sendable, Equatable {
    public var character: Character
    public var count: Int
}

/// What reading a corpus kept and left out.
public struct CorpusReport: Sendable, Equatable {
    public var source: String
    public var linesRead = 0
    public var emptyLines = 0
    public var invalidUTF8Lines = 0
    /// Texts (lines mode) or distinct words (words mode) kept.
    public var kept = 0
    /// Texts or words left out because a character is outside the charset.
    public var leftOutForCharset = 0
    /// Up to 5 of them.
    public var leftOutExamples: [String] = []
    /// The characters outside the charset, most frequent first, with their counts.
    public var outOfCharset: [CharacterCount] = []
    /// Line pieces left out as longer than `maxLength` (a single word that long).
    public var leftOutTooLong = 0

    public init(source: String) { self.source = source }

    public var summary: String {
        var parts = ["\(linesRead) lines read, \(kept) kept"]
        if emptyLines > 0 { parts.append("\(emptyLines) empty") }
        if invalidUTF8Lines > 0 { parts.append("\(invalidUTF8Lines) not valid UTF-8") }
        if leftOutTooLong > 0 { parts.append("\(leftOutTooLong) words longer than max_length") }
        if leftOutForCharset > 0 {
            let chars = outOfCharset.prefix(10).map { "\(SyntheticCodePoints.describe($0.character)) x\($0.count)" }
            parts.append("\(leftOutForCharset) left out for characters outside the charset: "
                + chars.joined(separator: ", ") + (outOfCharset.count > 10 ? ", ..." : "")
                + "; e.g. " + leftOutExamples.prefix(3).map { "\"\($0)\"" }.joined(separator: ", "))
        }
        return parts.joined(separator: "; ")
    }
}
