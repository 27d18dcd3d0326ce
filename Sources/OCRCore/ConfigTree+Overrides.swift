import Yams

extension ConfigTree {
    /// Applies `-o Key.sub=value` overrides in order (PaddleOCR's `-o`). The value is parsed as
    /// YAML: `0.001`, `True`, `[3, 48, 320]`, `'quoted'`; an empty value is null, as in
    /// PaddleOCR.
    ///
    /// Unlike PaddleOCR, setting a key that does not exist is an error unless `allowNewKeys` -
    /// the message lists the valid keys at that level and the closest match. A map value merges
    /// into an existing section key by key; replacing a section with a scalar is refused.
    public mutating func applyOverrides(_ assignments: [String], allowNewKeys: Bool = false) throws {
        for a in assignments { try applyOverride(a, allowNewKeys: allowNewKeys) }
    }

    /// Applies one `Key.sub=value` override.
    public mutating func applyOverride(_ assignment: String, allowNewKeys: Bool = false) throws {
        let origin = "override '\(assignment)'"
        guard let eq = assignment.firstIndex(of: "=") else {
            throw ConfigError(.invalidOverride, location: origin, "expected Key.sub=value")
        }
        let path = String(assignment[..<eq]).trimmingCharacters(in: .whitespaces)
        let text = String(assignment[assignment.index(after: eq)...])
        guard !path.isEmpty, !ConfigTree.components(path).contains(where: \.isEmpty) else {
            throw ConfigError(.invalidOverride, location: origin, "the key path '\(path)' has an empty component")
        }
        let value: ConfigValue
        do {
            var ignored = [String: String]()
            value = try Yams.compose(yaml: text).map { try ConfigTree.convert($0, path: [], source: origin, origins: &ignored) } ?? .null
        } catch let e as YamlError {
            var err = ConfigTree.syntaxError(e, location: origin)
            err.kind = .invalidOverride
            err.message = "value is not valid YAML: " + err.message
            throw err
        }
        try set(path, to: value, allowNewKeys: allowNewKeys, origin: origin)
    }

    /// Sets the value at a dotted path, with the same rules as `applyOverride`.
    public mutating func set(_ path: String, to value: ConfigValue, allowNewKeys: Bool = false, origin: String? = nil) throws {
        let components = ConfigTree.components(path)
        guard !components.isEmpty else {
            throw ConfigError(.invalidOverride, location: origin, "empty key path")
        }
        let origin = origin ?? "set '\(path)'"
        var newRoot = ConfigValue.map(root)
        var changed = [String]()
        try ConfigTree.assign(value, at: components[...], in: &newRoot, walked: [], allowNewKeys: allowNewKeys,
                              origin: origin, changed: &changed)
        guard case .map(let m) = newRoot else { return }
        root = m
        // Replaced values now come from the override, and so does everything under them;
        // keys a merged map left alone keep their file lines.
        for p in changed {
            origins = origins.filter { $0.key != p && !$0.key.hasPrefix(p + ".") }
            origins[p] = origin
        }
    }

    private static func assign(_ value: ConfigValue, at components: ArraySlice<String>, in node: inout ConfigValue,
                               walked: [String], allowNewKeys: Bool, origin: String, changed: inout [String]) throws {
        guard let key = components.first else {
            try replace(&node, with: value, walked: walked, allowNewKeys: allowNewKeys, origin: origin, changed: &changed)
            return
        }
        let here = walked.joined(separator: ".")
        let full = (walked + [key]).joined(separator: ".")
        switch node {
        case .map(var m):
            var child: ConfigValue
            if let existing = m[key] {
                child = existing
            } else {
                guard allowNewKeys else {
                    throw ConfigError(.unknownKey, location: origin, path: full,
                                      "unknown key '\(full)'\(KeySuggestion.hint(for: key, in: m.keys))" + validKeys(m.keys, at: here))
                }
                // New keys: intermediate levels become maps.
                child = components.count > 1 ? .map(ConfigMap()) : .null
            }
            if components.count == 1 && m[key] == nil {
                child = value
                changed.append(full)
            } else {
                try assign(value, at: components.dropFirst(), in: &child, walked: walked + [key], allowNewKeys: allowNewKeys,
                           origin: origin, changed: &changed)
            }
            m[key] = child
            node = .map(m)
        case .list(var l):
            guard let i = Int(key), l.indices.contains(i) else {
                throw ConfigError(.indexOutOfRange, location: origin, path: full,
                                  "'\(here)' is a list of \(l.count); '\(key)' is not an index in 0..<\(l.count)")
            }
            try assign(value, at: components.dropFirst(), in: &l[i], walked: walked + [key], allowNewKeys: allowNewKeys,
                       origin: origin, changed: &changed)
            node = .list(l)
        default:
            throw ConfigError(.invalidOverride, location: origin, path: full,
                              "cannot set '\(full)': '\(here)' is \(node.summary), not a map")
        }
    }

    /// Replaces an existing value; a map merges into a map, and a section is never replaced by
    /// a scalar (almost always a mistyped path).
    private static func replace(_ node: inout ConfigValue, with value: ConfigValue, walked: [String],
                                allowNewKeys: Bool, origin: String, changed: inout [String]) throws {
        let here = walked.joined(separator: ".")
        switch (node, value) {
        case (.map, .map(let incoming)):
            for e in incoming {
                try assign(e.value, at: [e.key], in: &node, walked: walked, allowNewKeys: allowNewKeys, origin: origin, changed: &changed)
            }
        case (.map(let m), _) where !m.isEmpty:
            throw ConfigError(.invalidOverride, location: origin, path: here,
                              "'\(here)' is a section (keys: \(m.keys.joined(separator: ", "))); set one of its keys, e.g. \(here).\(m.keys[0])=...")
        default:
            node = value
            changed.append(here)
        }
    }
}
