/// A ground-truth character's class in recognition reports: a model that reads words well can
/// still drop the digits of a price or the brackets around a code, and a line accuracy alone
/// hides which.
public enum CharacterClass: String, CaseIterable, Sendable, Codable {
    case letter, digit
    /// Punctuation and symbols: everything that is neither a letter, a digit nor whitespace.
    case symbol
    case space

    /// The class of `c` (Unicode's categories: `5` and `٣` are digits, `é` a letter).
    public init(_ c: Character) {
        if c.isWhitespace {
            self = .space
        } else if c.isLetter {
            self = .letter
        } else if c.isNumber {
            self = .digit
        } else {
            self = .symbol
        }
    }

    /// The column heading reports use.
    public var title: String {
        switch self {
        case .letter: "letters"
        case .digit: "digits"
        case .symbol: "punct./symbols"
        case .space: "space"
        }
    }
}

/// Character recall per `CharacterClass`: of the ground-truth characters of each class, how many
/// the edit-distance alignment matched (read right, in place). Substituted and deleted characters
/// count against their class; inserted ones have no ground truth and count nowhere (CER shows
/// them). Counts, so groups and workers merge exactly.
public struct CharacterClassRecall: Sendable, Equatable, Codable {
    /// Ground-truth characters per class.
    public private(set) var characters: [CharacterClass: Int] = [:]
    /// Of those, matched.
    public private(set) var matched: [CharacterClass: Int] = [:]

    public init() {}

    /// Adds one aligned line (ground truth = reference).
    public mutating func add(_ alignment: [Levenshtein.Operation<Character>]) {
        for op in alignment {
            switch op {
            case .match(let c):
                characters[CharacterClass(c), default: 0] += 1
                matched[CharacterClass(c), default: 0] += 1
            case .substitution(let c, _), .deletion(let c):
                characters[CharacterClass(c), default: 0] += 1
            case .insertion: break
            }
        }
    }

    public mutating func merge(_ other: CharacterClassRecall) {
        characters.merge(other.characters, uniquingKeysWith: +)
        matched.merge(other.matched, uniquingKeysWith: +)
    }

    /// matched / characters of `c`; nil when the ground truth held none.
    public func recall(_ c: CharacterClass) -> Double? {
        guard let n = characters[c], n > 0 else { return nil }
        return Double(matched[c] ?? 0) / Double(n)
    }

    // JSON: {"letter": {"characters": 120, "matched": 118, "recall": 0.983}, ...}, classes with
    // characters only; decoding reads the counts.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CharacterClass.CodingKey.self)
        for key in c.allKeys {
            guard let cls = CharacterClass(rawValue: key.stringValue) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription:
                    "unknown character class '\(key.stringValue)' (letter, digit, symbol, space)")
            }
            let counts = try c.decode(Counts.self, forKey: key)
            guard counts.matched >= 0, counts.matched <= counts.characters else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription:
                    "'\(key.stringValue)': matched \(counts.matched) must be in 0...characters (\(counts.characters))")
            }
            // zero counts stay absent, as `add` leaves them, so a decoded value equals the original
            if counts.characters > 0 { characters[cls] = counts.characters }
            if counts.matched > 0 { matched[cls] = counts.matched }
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CharacterClass.CodingKey.self)
        for cls in CharacterClass.allCases {
            guard let n = characters[cls], n > 0 else { continue }
            try c.encode(Counts(characters: n, matched: matched[cls] ?? 0, recall: recall(cls)), forKey: .init(cls))
        }
    }

    struct Counts: Codable {
        var characters: Int
        var matched: Int
        var recall: Double?
    }
}

extension CharacterClass {
    /// A class's name as a JSON key.
    struct CodingKey: Swift.CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ c: CharacterClass) { stringValue = c.rawValue }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
