extension ConfigTree {
    /// Decodes the section at `path` (e.g. "Optimizer"; "" for the whole tree) into `T`,
    /// rejecting keys `T` does not read: `unknown key 'Optimizer.lrr' (did you mean 'lr'?)`.
    /// A wrong config key must never be silently ignored.
    ///
    /// Unknown keys are reported even when decoding also failed, since a typo ("lrr") is the
    /// usual cause of a missing key ("lr"). Errors name the full key path and where it was set.
    public func decode<T: Decodable>(_ type: T.Type, at path: String) throws -> T {
        let value = path.isEmpty ? ConfigValue.map(root) : try require(path)
        let tracker = ConfigKeyTracker()
        let decoder = ConfigValueDecoder(value: value, path: ConfigTree.components(path), tracker: tracker,
                                         codingPath: ConfigTree.components(path).map { AnyKey($0) })
        var result: Result<T, Error>
        do {
            result = .success(try decoder.decode(type))
        } catch {
            result = .failure(error)
        }
        let unknown = tracker.unknown
        if !unknown.isEmpty {
            let lines = unknown.map { u -> String in
                let full = u.path.isEmpty ? u.key : u.path + "." + u.key
                let loc = location(of: full).map { $0 + ": " } ?? ""
                return "\(loc)unknown key '\(full)'\(KeySuggestion.hint(for: u.key, in: u.valid))"
                    + ConfigTree.validKeys(u.valid, at: u.path)
            }
            let first = unknown[0]
            throw ConfigError(.unknownKey, path: first.path.isEmpty ? first.key : first.path + "." + first.key,
                              lines.joined(separator: "\n"))
        }
        switch result {
        case .success(let t):
            return t
        case .failure(var e as ConfigError):
            if e.location == nil, let p = e.path { e.location = location(of: p) }
            throw e
        case .failure(let e as DecodingError):
            throw convert(e)
        case .failure(let e):
            throw e
        }
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
