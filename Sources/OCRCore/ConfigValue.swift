/// A YAML-like value: what a config file or a `-o` override holds.
public indirect enum ConfigValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([ConfigValue])
    case map(ConfigMap)

    /// Kind name for messages ("expected a number, got string 'abc'").
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .list: return "list"
        case .map: return "map"
        }
    }

    /// The value with its kind, short: `string 'abc'`, `integer 3`, `map with keys a, b`.
    public var summary: String {
        switch self {
        case .null: return "null"
        case .map(let m): return m.isEmpty ? "empty map" : "map with keys \(m.keys.joined(separator: ", "))"
        case .list(let l): return "list of \(l.count)"
        case .string(let s): return "string '\(s.count > 60 ? String(s.prefix(60)) + "..." : s)'"
        default: return "\(typeName) \(description)"
        }
    }

    public var description: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return ConfigValue.yamlNumber(d)
        case .string(let s): return s
        case .list(let l): return "[" + l.map(\.description).joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.entries.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }

    public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
    public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
    /// Integers, and numbers with no fractional part.
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e15: return Int(d)
        default: return nil
        }
    }
    /// Numbers, integers included.
    public var doubleValue: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }
    public var listValue: [ConfigValue]? { if case .list(let l) = self { return l }; return nil }
    public var mapValue: ConfigMap? { if case .map(let m) = self { return m }; return nil }
    public var isNull: Bool { self == .null }

    /// A double as YAML 1.1 (PyYAML) reads it back as a float: always a "." before any
    /// exponent ("1.0e-05", not "1e-05", which PyYAML would read as a string).
    static func yamlNumber(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d > 0 ? ".inf" : "-.inf" }
        var s = "\(d)"
        if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }), !s[..<e].contains(".") {
            s.insert(contentsOf: ".0", at: e)
        }
        return s
    }
}

/// An ordered string-keyed map: keys keep their file order so an emitted config reads like
/// the one written. Equality ignores order.
public struct ConfigMap: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var value: ConfigValue
    }

    public private(set) var entries: [Entry] = []

    public init() {}
    public init(_ entries: [(String, ConfigValue)]) { for (k, v) in entries { self[k] = v } }
    public init(dictionaryLiteral elements: (String, ConfigValue)...) { self.init(elements) }

    public var keys: [String] { entries.map(\.key) }
    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }

    /// Value for `key`; setting nil removes the key, setting a new key appends it.
    public subscript(key: String) -> ConfigValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            let i = entries.firstIndex { $0.key == key }
            switch (i, newValue) {
            case (let i?, let v?): entries[i].value = v
            case (let i?, nil): entries.remove(at: i)
            case (nil, let v?): entries.append(Entry(key: key, value: v))
            case (nil, nil): break
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[Entry]> { entries.makeIterator() }

    public static func == (a: ConfigMap, b: ConfigMap) -> Bool {
        a.count == b.count && a.entries.allSatisfy { b[$0.key] == $0.value }
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent, to agree with ==.
        var h = 0
        for e in entries { var eh = Hasher(); eh.combine(e.key); eh.combine(e.value); h ^= eh.finalize() }
        hasher.combine(count)
        hasher.combine(h)
    }
}

extension ConfigValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: ConfigValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, ConfigValue)...) { self = .map(ConfigMap(elements)) }
}

/// Lets a config struct keep a free-form part (e.g. a list of transforms) as a `ConfigValue`.
/// `ConfigTree.decode` hands such values over without unknown-key checks.
extension ConfigValue: Codable {
    public init(from decoder: Decoder) throws {
        if let d = decoder as? ConfigValueDecoder { self = d.value; return }
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let l = try? c.decode([ConfigValue].self) { self = .list(l) }
        else {
            // Keyed decoding loses order in generic decoders; sort for determinism.
            let d = try c.decode([String: ConfigValue].self)
            self = .map(ConfigMap(d.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        }
    }

    public func encode(to encoder: Encoder) throws {
        switch self {
        case .null: var c = encoder.singleValueContainer(); try c.encodeNil()
        case .bool(let b): var c = encoder.singleValueContainer(); try c.encode(b)
        case .int(let i): var c = encoder.singleValueContainer(); try c.encode(i)
        case .double(let d): var c = encoder.singleValueContainer(); try c.encode(d)
        case .string(let s): var c = encoder.singleValueContainer(); try c.encode(s)
        case .list(let l): var c = encoder.unkeyedContainer(); for v in l { try c.encode(v) }
        case .map(let m):
            var c = encoder.container(keyedBy: AnyKey.self)
            for e in m { try c.encode(e.value, forKey: AnyKey(e.key)) }
        }
    }
}

/// A coding key for arbitrary strings and list indices.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(_ s: String) { stringValue = s }
    init(index: Int) { stringValue = String(index); intValue = index }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.init(index: intValue) }
}
