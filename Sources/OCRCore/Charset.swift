import Foundation

/// The recogniser's output classes: CTC blank at class 0, then one class per dictionary line,
/// then a space when `useSpaceChar` is set - the same layout as PaddleOCR's `CTCLabelDecode`,
/// so a PaddleOCR dictionary and model line up class for class.
///
/// Units: each class is one Swift `Character` (grapheme cluster). PaddleOCR encodes text per
/// Unicode scalar, and its dictionaries for Indic and Arabic scripts list combining marks as
/// separate lines. `encode` therefore looks up each grapheme whole first and, when that fails,
/// looks up its scalars one by one - which reproduces PaddleOCR's encoding for such
/// dictionaries while letting a dictionary hold a multi-scalar grapheme (an emoji, a flag).
/// Lookups follow Swift's canonical equivalence: a precomposed "é" in the dictionary matches
/// "e" + U+0301 in a label.
public struct Charset: Sendable, Hashable, CustomStringConvertible {
    /// The CTC blank class.
    public static let blankIndex = 0

    /// Characters for classes 1..<classCount, in class order (`characters[i]` is class i+1).
    public let characters: [Character]
    /// Whether a space was appended after the dictionary entries.
    public let useSpaceChar: Bool
    /// Where the dictionary came from (a path, or a description), for messages.
    public let source: String

    private let classByCharacter: [Character: Int]
    private let classByScalar: [Unicode.Scalar: Int]

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
    /// `keepingDuplicates`: every line is a class even when its character repeats an earlier one -
    /// for the dictionary a trained model carries, whose class count is fixed. PaddleOCR's
    /// `ppocr_keys_v1.txt` needs it: it lists CJK compatibility ideographs (U+F92C) beside their
    /// unified forms (U+90CE), which Python keeps apart and Swift's canonical equivalence does not.
    /// A repeated character encodes to its last class, as PaddleOCR's lookup table does.
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
        var firstLine = [Character: Int]()
        var duplicateLines = [Character: [Int]]()
        var duplicateOrder = [Character]()
        for line in lines.lines {
            guard let text = line.text else { problems.append(.invalidUTF8(line: line.number)); continue }
            guard let c = text.first else { problems.append(.emptyLine(line: line.number)); continue }
            guard text.count == 1 else {
                problems.append(.severalCharacters(line: line.number, text: text)); continue
            }
            if let first = firstLine[c], !keepingDuplicates {
                if duplicateLines[c] == nil { duplicateLines[c] = [first]; duplicateOrder.append(c) }
                duplicateLines[c]!.append(line.number)
                continue
            }
            firstLine[c] = line.number
            chars.append(c)
        }
        for c in duplicateOrder { problems.append(.duplicate(character: c, lines: duplicateLines[c]!)) }
        if problems.isEmpty && chars.isEmpty { problems.append(.empty) }
        guard problems.isEmpty else { throw CharsetError(source: source, problems: problems) }

        // PaddleOCR appends the space even when the dictionary already has one; its lookup table
        // then maps " " to the appended (last) class. Kept for class-count compatibility.
        if useSpaceChar { chars.append(" ") }
        var byChar = [Character: Int](), byScalar = [Unicode.Scalar: Int]()
        for (i, c) in chars.enumerated() {
            byChar[c] = i + 1
            if c.unicodeScalars.count == 1 { byScalar[c.unicodeScalars.first!] = i + 1 }
        }
        self.characters = chars
        self.useSpaceChar = useSpaceChar
        self.source = source
        self.classByCharacter = byChar
        self.classByScalar = byScalar
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
    public func encode(_ text: String) -> Encoding {
        var classes = [Int]()
        classes.reserveCapacity(text.utf8.count)
        var unknown = [Character]()
        var seen = Set<Character>()
        func miss(_ c: Character) { if seen.insert(c).inserted { unknown.append(c) } }
        for c in text {
            if let k = classByCharacter[c] { classes.append(k); continue }
            if c.unicodeScalars.count == 1 { miss(c); continue }
            // Fall back to PaddleOCR's per-scalar lookup (combining marks as their own classes).
            for s in c.unicodeScalars {
                if let k = classByScalar[s] { classes.append(k) } else { miss(Character(s)) }
            }
        }
        return Encoding(classes: classes, unknown: unknown)
    }

    /// The class of `character`, if it has one (whole-grapheme lookup only).
    public func classIndex(of character: Character) -> Int? { classByCharacter[character] }

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

    public static func == (a: Charset, b: Charset) -> Bool {
        a.characters == b.characters && a.useSpaceChar == b.useSpaceChar
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(characters)
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
