import Foundation

/// The recogniser's output classes: CTC blank at class 0, then one class per dictionary line,
/// then a space when `useSpaceChar` is set - the same layout as PaddleOCR's `CTCLabelDecode`,
/// so a PaddleOCR dictionary and model line up class for class.
///
/// Units: each class is one Swift `Character` (grapheme cluster), and its identity is the exact
/// sequence of Unicode scalars its dictionary line spells - as in PaddleOCR, whose Python strings
/// compare code points. Swift's `Character` equality is canonical equivalence, under which
/// `ppocr_keys_v1.txt`'s CJK compatibility ideographs (U+F92C, U+F979) equal their unified forms
/// (U+90CE, U+51C9) listed earlier; keyed by scalars they are distinct classes, so that file is a
/// valid dictionary and every class decodes to the code points it was trained on.
///
/// `encode` looks up each grapheme by its scalars whole; when that fails, PaddleOCR's per-scalar
/// lookup (its Indic and Arabic dictionaries list combining marks as their own lines), so a
/// dictionary may still hold a multi-scalar grapheme (an emoji, a flag). Only text that matches
/// neither way is looked up by canonical equivalence - a label written in another normalisation
/// form than the dictionary ("e" + U+0301 against a precomposed "é") still encodes, and never
/// changes the encoding of text the dictionary spells exactly.
public struct Charset: Sendable, Hashable, CustomStringConvertible {
    /// The CTC blank class.
    public static let blankIndex = 0

    /// Characters for classes 1..<classCount, in class order (`characters[i]` is class i+1).
    public let characters: [Character]
    /// Whether a space was appended after the dictionary entries.
    public let useSpaceChar: Bool
    /// Where the dictionary came from (a path, or a description), for messages.
    public let source: String

    /// Exact lookups: single-scalar classes by their scalar, multi-scalar ones by their scalars.
    private let classByScalar: [Unicode.Scalar: Int]
    private let classByScalars: [[Unicode.Scalar]: Int]
    /// The canonical-equivalence fallback (Swift's `Character` equality); the last of equivalent
    /// lines wins, as in PaddleOCR's lookup table.
    private let classByCharacter: [Character: Int]

    /// Number of model outputs: blank + characters.
    public var classCount: Int { characters.count + 1 }

    /// Loads a PaddleOCR dictionary file (UTF-8, one character per line; a line may be a single
    /// space).
    ///
    /// Throws `FileReadError` naming the path when it cannot be read, and `CharsetError` listing
    /// every bad line (duplicate, empty, several characters, invalid UTF-8) with its number.
    public init(contentsOf path: String, useSpaceChar: Bool) throws {
        try self.init(lines: try TextLines.read(path: path), source: path, useSpaceChar: useSpaceChar)
    }

    /// Parses dictionary text (the contents of a dictionary file).
    ///
    /// `keepingDuplicates`: every line is a class even when it repeats an earlier line's scalars -
    /// for the dictionary a trained model carries, whose class count is fixed whatever its file
    /// holds. A repeated character encodes to its last class, as PaddleOCR's lookup table does.
    public init(dictionaryText: String, source: String = "<dictionary>", useSpaceChar: Bool, keepingDuplicates: Bool = false) throws {
        try self.init(lines: TextLines(string: dictionaryText), source: source, useSpaceChar: useSpaceChar,
                      keepingDuplicates: keepingDuplicates)
    }

    /// A charset whose classes are the characters of `characters` in order - for tests and
    /// synthetic data. Position i (1-based) plays the role of a dictionary line number.
    public init(characters: String, useSpaceChar: Bool = false) throws {
        var lines = TextLines(lines: [])
        for (i, c) in characters.enumerated() {
            if c.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" }) {
                throw CharsetError(source: "<characters>", problems: [.lineBreak(position: i + 1)])
            }
            lines.lines.append(.init(number: i + 1, text: String(c)))
        }
        try self.init(lines: lines, source: "<characters>", useSpaceChar: useSpaceChar)
    }

    private init(lines: TextLines, source: String, useSpaceChar: Bool, keepingDuplicates: Bool = false) throws {
        var problems = [CharsetError.Problem]()
        var chars = [Character]()
        // Keyed by scalars: canonically equivalent but differently spelt lines are not duplicates.
        var firstLine = [[Unicode.Scalar]: Int]()
        var duplicateLines = [[Unicode.Scalar]: [Int]]()
        var duplicateOrder = [Character]()
        for line in lines.lines {
            guard let text = line.text else { problems.append(.invalidUTF8(line: line.number)); continue }
            guard let c = text.first else { problems.append(.emptyLine(line: line.number)); continue }
            guard text.count == 1 else {
                problems.append(.severalCharacters(line: line.number, text: text)); continue
            }
            let key = Array(c.unicodeScalars)
            if let first = firstLine[key], !keepingDuplicates {
                if duplicateLines[key] == nil { duplicateLines[key] = [first]; duplicateOrder.append(c) }
                duplicateLines[key]!.append(line.number)
                continue
            }
            firstLine[key] = line.number
            chars.append(c)
        }
        for c in duplicateOrder {
            problems.append(.duplicate(character: c, lines: duplicateLines[Array(c.unicodeScalars)]!))
        }
        if problems.isEmpty && chars.isEmpty { problems.append(.empty) }
        guard problems.isEmpty else { throw CharsetError(source: source, problems: problems) }

        // PaddleOCR appends the space even when the dictionary already has one; its lookup table
        // then maps " " to the appended (last) class. Kept for class-count compatibility.
        if useSpaceChar { chars.append(" ") }
        var byChar = [Character: Int](), byScalar = [Unicode.Scalar: Int](), byScalars = [[Unicode.Scalar]: Int]()
        for (i, c) in chars.enumerated() {
            byChar[c] = i + 1
            if c.unicodeScalars.count == 1 { byScalar[c.unicodeScalars.first!] = i + 1 } else { byScalars[Array(c.unicodeScalars)] = i + 1 }
        }
        self.characters = chars
        self.useSpaceChar = useSpaceChar
        self.source = source
        self.classByScalar = byScalar
        self.classByScalars = byScalars
        self.classByCharacter = byChar
    }

    /// Text encoded as class indices, plus what could not be encoded.
    public struct Encoding: Hashable, Sendable {
        /// Class indices (never the blank).
        public var classes: [Int]
        /// Characters with no class, each once, in order of first appearance. Non-empty means
        /// `classes` is incomplete: the caller decides whether to skip, fail or accept.
        public var unknown: [Character]
        /// Whether every character was encoded.
        public var isComplete: Bool { unknown.isEmpty }
    }

    /// Encodes `text`. Unknown characters are left out of `classes` and listed in `unknown`.
    /// Order of lookups per grapheme (see the type's doc): exact scalars, PaddleOCR's per-scalar
    /// classes, canonical equivalence.
    public func encode(_ text: String) -> Encoding {
        var classes = [Int]()
        classes.reserveCapacity(text.utf8.count)
        var unknown = [Character]()
        var seen = Set<[Unicode.Scalar]>()
        func miss(_ c: Character) { if seen.insert(Array(c.unicodeScalars)).inserted { unknown.append(c) } }
        for c in text {
            if let k = classIndex(of: c) { classes.append(k); continue }
            let perScalar = c.unicodeScalars.map { classByScalar[$0] }
            if perScalar.count > 1, !perScalar.contains(nil) { classes += perScalar.map { $0! }; continue }
            if let k = classByCharacter[c] { classes.append(k); continue }
            if perScalar.count == 1 { miss(c); continue }
            for (s, k) in zip(c.unicodeScalars, perScalar) {
                if let k { classes.append(k) } else { miss(Character(s)) }
            }
        }
        return Encoding(classes: classes, unknown: unknown)
    }

    /// The class whose dictionary line spells exactly `character`'s scalars, if there is one.
    public func classIndex(of character: Character) -> Int? {
        let scalars = character.unicodeScalars
        return scalars.count == 1 ? classByScalar[scalars.first!] : classByScalars[Array(scalars)]
    }

    /// The character of class `index`; nil for the blank and for indices out of range.
    public func character(forClass index: Int) -> Character? {
        index >= 1 && index <= characters.count ? characters[index - 1] : nil
    }

    /// Joins the characters of `classes`, skipping blanks. Throws on an index outside
    /// 0..<classCount, which means the model and charset do not belong together.
    public func decode<S: Sequence>(_ classes: S) throws -> String where S.Element == Int {
        var s = ""
        for k in classes where k != Self.blankIndex {
            guard let c = character(forClass: k) else {
                throw CharsetError(source: source, problems: [.classOutOfRange(index: k, classCount: classCount)])
            }
            s.append(c)
        }
        return s
    }

    /// Number of classes that came from the dictionary (not the appended space).
    public var dictionaryCount: Int { useSpaceChar ? characters.count - 1 : characters.count }

    /// The dictionary as a file: one character per line, trailing newline, without the appended
    /// space. Loading it with the same `useSpaceChar` gives an equal charset.
    public var dictionaryText: String {
        characters.prefix(dictionaryCount).map { String($0) + "\n" }.joined()
    }

    /// A stable fingerprint of the class list (blank layout, characters, appended space): two
    /// charsets with the same fingerprint give the same meaning to every model output.
    /// Stored in checkpoints and exported models to catch a model loaded with the wrong charset.
    public var fingerprint: SHA256Digest {
        // Characters never contain "\n" (rejected on load), so "\n" separates unambiguously.
        SHA256Digest(of: "ocrkit-charset-v1\nblank=0\n" + characters.map { String($0) + "\n" }.joined())
    }

    /// Equal when every class has the same scalars (not merely canonically equivalent ones).
    public static func == (a: Charset, b: Charset) -> Bool {
        a.useSpaceChar == b.useSpaceChar && a.characters.count == b.characters.count
            && zip(a.characters, b.characters).allSatisfy { $0.unicodeScalars.elementsEqual($1.unicodeScalars) }
    }

    public func hash(into hasher: inout Hasher) {
        for c in characters { for s in c.unicodeScalars { hasher.combine(s) }; hasher.combine(0xFFFF_FFFF as UInt32) }
        hasher.combine(useSpaceChar)
    }

    public var description: String {
        "Charset(\(source): \(dictionaryCount) characters\(useSpaceChar ? " + space" : ""), \(classCount) classes)"
    }
}

/// Why a dictionary could not be used. Lists every problem found, not just the first.
public struct CharsetError: Error, Equatable, CustomStringConvertible, LocalizedError {
    public enum Problem: Equatable, Sendable {
        case empty
        case emptyLine(line: Int)
        case severalCharacters(line: Int, text: String)
        case duplicate(character: Character, lines: [Int])
        case invalidUTF8(line: Int)
        case lineBreak(position: Int)
        case classOutOfRange(index: Int, classCount: Int)
    }

    /// The dictionary path or description.
    public var source: String
    public var problems: [Problem]

    public var description: String {
        let shown = problems.prefix(20).map { p -> String in
            switch p {
            case .empty: return "no characters"
            case .emptyLine(let line):
                return "line \(line) is empty (a dictionary line holds one character; write a single space for space, or set use_space_char)"
            case .severalCharacters(let line, let text):
                return "line \(line) holds \(text.count) characters \(text.debugDescription), expected one"
            case .duplicate(let c, let lines):
                return "duplicate character \(String(c).debugDescription) at lines \(lines.map(String.init).joined(separator: ", "))"
            case .invalidUTF8(let line): return "line \(line) is not valid UTF-8"
            case .lineBreak(let position): return "character \(position) is a line break, which a dictionary file cannot hold"
            case .classOutOfRange(let index, let count):
                return "class \(index) is outside 0..<\(count); the model and the charset do not match"
            }
        }
        let more = problems.count > 20 ? "\n  ... and \(problems.count - 20) more" : ""
        return "charset \(source): " + (problems.count == 1 ? shown[0] : "\n  " + shown.joined(separator: "\n  ")) + more
    }
    public var errorDescription: String? { description }
}
