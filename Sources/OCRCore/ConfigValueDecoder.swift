/// A `Decoder` over a `ConfigValue` that records which keys the target type asked for, so
/// keys it never asked for can be reported as unknown (`ConfigTree.decode`). Errors carry the
/// full dotted key path.
///
/// "Known" means: the type's `init(from:)` called `contains`, `decode`, `decodeIfPresent`,
/// `decodeNil` or a nested container for that key. Synthesised and hand-written
/// `decodeIfPresent(...) ?? default` initialisers ask for every property, which is what makes
/// the check sound; a key read only conditionally can be reported as unknown when unread.
struct ConfigValueDecoder: Decoder {
    let value: ConfigValue
    /// Dotted-path components from the tree root.
    let path: [String]
    let tracker: ConfigKeyTracker
    var codingPath: [CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    var dotted: String { path.joined(separator: ".") }

    func child(_ v: ConfigValue, _ key: CodingKey) -> ConfigValueDecoder {
        ConfigValueDecoder(value: v, path: path + [key.stringValue], tracker: tracker, codingPath: codingPath + [key])
    }

    func mismatch(_ expected: String) -> ConfigError {
        ConfigError(.typeMismatch, path: dotted, "'\(dotted)': expected \(expected), got \(value.summary)")
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .map(let m) = value else { throw mismatch("a map") }
        tracker.opened(dotted, keys: m.keys)
        return KeyedDecodingContainer(Keyed<Key>(decoder: self, map: m))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard case .list(let l) = value else { throw mismatch("a list") }
        return Unkeyed(decoder: self, list: l)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer { Single(decoder: self) }

    /// Decodes `T` from this decoder's value; `ConfigValue` itself passes through unchecked.
    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        if let v = value as? T, T.self == ConfigValue.self { return v }
        return try T(from: self)
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: ConfigValueDecoder
        let map: ConfigMap
        var codingPath: [CodingKey] { decoder.codingPath }
        var allKeys: [Key] { map.keys.compactMap(Key.init(stringValue:)) }

        func contains(_ key: Key) -> Bool {
            decoder.tracker.asked(decoder.dotted, key.stringValue)
            return map[key.stringValue] != nil
        }

        func decodeNil(forKey key: Key) throws -> Bool {
            decoder.tracker.asked(decoder.dotted, key.stringValue)
            return (map[key.stringValue] ?? .null) == .null
        }

        func value(_ key: Key) throws -> ConfigValueDecoder {
            decoder.tracker.asked(decoder.dotted, key.stringValue)
            guard let v = map[key.stringValue] else {
                let full = (decoder.path + [key.stringValue]).joined(separator: ".")
                throw ConfigError(.missingKey, path: full, "missing key '\(full)'")
            }
            return decoder.child(v, key)
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try value(key).decode(type) }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try value(key).container(keyedBy: type)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer { try value(key).unkeyedContainer() }
        func superDecoder() throws -> Decoder { decoder }
        func superDecoder(forKey key: Key) throws -> Decoder { try value(key) }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let decoder: ConfigValueDecoder
        let list: [ConfigValue]
        var codingPath: [CodingKey] { decoder.codingPath }
        var count: Int? { list.count }
        var isAtEnd: Bool { currentIndex >= list.count }
        var currentIndex = 0

        init(decoder: ConfigValueDecoder, list: [ConfigValue]) { self.decoder = decoder; self.list = list }

        mutating func next() throws -> ConfigValueDecoder {
            guard !isAtEnd else {
                throw ConfigError(.indexOutOfRange, path: decoder.dotted,
                                  "'\(decoder.dotted)': expected more than \(list.count) list elements")
            }
            defer { currentIndex += 1 }
            return decoder.child(list[currentIndex], AnyKey(index: currentIndex))
        }

        mutating func decodeNil() throws -> Bool {
            guard !isAtEnd else { return false }
            if list[currentIndex] == .null { currentIndex += 1; return true }
            return false
        }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(type) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            try next().container(keyedBy: type)
        }
        mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer { try next().unkeyedContainer() }
        mutating func superDecoder() throws -> Decoder { try next() }
    }

    struct Single: SingleValueDecodingContainer {
        let decoder: ConfigValueDecoder
        var codingPath: [CodingKey] { decoder.codingPath }
        var value: ConfigValue { decoder.value }

        func decodeNil() -> Bool { value == .null }
        func decode(_ type: Bool.Type) throws -> Bool {
            guard let b = value.boolValue else { throw decoder.mismatch("a boolean (true/false)") }
            return b
        }
        func decode(_ type: String.Type) throws -> String {
            guard let s = value.stringValue else { throw decoder.mismatch("a string") }
            return s
        }
        func decode(_ type: Double.Type) throws -> Double {
            guard let d = value.doubleValue else { throw decoder.mismatch("a number") }
            return d
        }
        func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
        func decode(_ type: Int.Type) throws -> Int { try integer() }
        func decode(_ type: Int8.Type) throws -> Int8 { try integer() }
        func decode(_ type: Int16.Type) throws -> Int16 { try integer() }
        func decode(_ type: Int32.Type) throws -> Int32 { try integer() }
        func decode(_ type: Int64.Type) throws -> Int64 { try integer() }
        func decode(_ type: UInt.Type) throws -> UInt { try integer() }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try integer() }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try integer() }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try integer() }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try integer() }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decode(type) }

        private func integer<I: FixedWidthInteger>() throws -> I {
            guard let i = value.intValue else { throw decoder.mismatch("an integer") }
            guard let v = I(exactly: i) else { throw decoder.mismatch("an integer in \(I.min)...\(I.max)") }
            return v
        }
    }
}

/// Which keys each decoded map had, and which of them the target type asked for.
final class ConfigKeyTracker: @unchecked Sendable {
    // Only used within one synchronous decode call.
    private(set) var present: [String: [String]] = [:]
    private(set) var askedKeys: [String: Set<String>] = [:]
    private(set) var order: [String] = []

    func opened(_ path: String, keys: [String]) {
        if present[path] == nil { order.append(path) }
        present[path] = keys
    }

    func asked(_ path: String, _ key: String) { askedKeys[path, default: []].insert(key) }

    /// (map path, unknown key, the keys the type asked for there), in file order.
    var unknown: [(path: String, key: String, valid: [String])] {
        order.flatMap { path -> [(path: String, key: String, valid: [String])] in
            let asked = askedKeys[path] ?? []
            return (present[path] ?? []).filter { !asked.contains($0) }.map { (path, $0, asked.sorted()) }
        }
    }
}
