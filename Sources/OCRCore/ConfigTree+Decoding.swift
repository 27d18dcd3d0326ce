extension ConfigTree {
    /// Decodes the section at `path` (e.g. "Optimizer"; "" for the whole tree) into `T`,
    /// rejecting keys `T` does not read: `unknown key 'Optimizer.lrr' (did you mean 'lr'?)`.
    /// A wrong config key must never be silently ignored.
    ///
    /// Every unknown key is listed (with its line) when decoding otherwise succeeds. When it
    /// fails, the type stopped reading part-way, so unread keys prove nothing; then a typo of the
    /// missing key ("nme" for a required "name") is reported, else the failure itself.
    public func decode<T: Decodable>(_ type: T.Type, at path: String) throws -> T {
        let value = path.isEmpty ? ConfigValue.map(root) : try require(path)
        let tracker = ConfigKeyTracker()
        let decoder = ConfigValueDecoder(value: value, path: ConfigTree.components(path), tracker: tracker,
                                         codingPath: ConfigTree.components(path).map { AnyKey($0) })
        let decoded: T
        do {
            decoded = try decoder.decode(type)
        } catch var e as ConfigError {
            if e.kind == .missingKey, let missing = e.path, let typo = likelyTypo(of: missing, tracker.unknown) { throw typo }
            if e.location == nil, let p = e.path { e.location = location(of: p) }
            throw e
        } catch let e as DecodingError {
            throw convert(e)
        }
        let unknown = tracker.unknown
        guard unknown.isEmpty else {
            let lines = unknown.map { unknownKeyMessage($0, withLocation: true) }
            let first = unknown[0]
            throw ConfigError(.unknownKey, path: first.path.isEmpty ? first.key : first.path + "." + first.key,
                              lines.joined(separator: "\n"))
        }
        return decoded
    }

    private func unknownKeyMessage(_ u: (path: String, key: String, valid: [String]), withLocation: Bool) -> String {
        let full = u.path.isEmpty ? u.key : u.path + "." + u.key
        let loc = withLocation ? location(of: full).map { $0 + ": " } ?? "" : ""
        return "\(loc)unknown key '\(full)'\(KeySuggestion.hint(for: u.key, in: u.valid))" + ConfigTree.validKeys(u.valid, at: u.path)
    }

    /// An unread key next to a missing one that looks like its misspelling.
    private func likelyTypo(of missing: String, _ unknown: [(path: String, key: String, valid: [String])]) -> ConfigError? {
        var c = ConfigTree.components(missing)
        guard let missingKey = c.popLast() else { return nil }
        let parent = c.joined(separator: ".")
        guard let u = unknown.first(where: { $0.path == parent && KeySuggestion.closest(to: $0.key, in: [missingKey]) != nil })
        else { return nil }
        let full = parent.isEmpty ? u.key : parent + "." + u.key
        return ConfigError(.unknownKey, location: location(of: full), path: full,
                           "unknown key '\(full)' (did you mean '\(missingKey)'?); '\(missing)' is required")
    }

    /// Errors thrown by a type's own `init(from:)` validation (e.g. `dataCorrupted`).
    private func convert(_ e: DecodingError) -> ConfigError {
        func dotted(_ c: DecodingError.Context) -> String { c.codingPath.map(\.stringValue).joined(separator: ".") }
        switch e {
        case .dataCorrupted(let c), .typeMismatch(_, let c), .valueNotFound(_, let c):
            let p = dotted(c)
            return ConfigError(.invalidValue, location: location(of: p), path: p.isEmpty ? nil : p, c.debugDescription)
        case .keyNotFound(let k, let c):
            let p = (c.codingPath.map(\.stringValue) + [k.stringValue]).joined(separator: ".")
            return ConfigError(.missingKey, location: location(of: p), path: p, "missing key '\(p)'")
        @unknown default:
            return ConfigError(.invalidValue, "\(e)")
        }
    }
}
