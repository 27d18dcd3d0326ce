import Foundation
import Yams

/// A whole config file as a tree, PaddleOCR style: top-level sections `Global`,
/// `Architecture`, `Loss`, `Optimizer`, `PostProcess`, `Metric`, `Train`, `Eval`.
///
/// Paths are dotted keys; a numeric component indexes a list
/// (`Train.dataset.transforms.2.RecResizeImg.image_shape`). The tree remembers where each key
/// came from (file line or override) so later errors can point at it. Typed sections are read
/// with `decode(_:at:)`, which rejects keys the type does not know.
public struct ConfigTree: Sendable, Equatable {
    /// PaddleOCR's top-level sections.
    public static let paddleOCRSections = ["Global", "Architecture", "Loss", "Optimizer", "PostProcess", "Metric", "Train", "Eval"]

    /// The top-level map.
    public internal(set) var root: ConfigMap
    /// The file the tree was loaded from, if any.
    public let source: String?
    /// Dotted path -> "file:line" or "override '...'".
    var origins: [String: String]

    public init(_ root: ConfigMap = ConfigMap(), source: String? = nil) {
        self.root = root
        self.source = source
        self.origins = [:]
    }

    /// Loads a YAML file. Errors name the file, and the line where the YAML parser gives one.
    public init(contentsOf path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigError(.fileNotFound, "config file not found: \(path)")
        }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError(.unreadable, location: path, "cannot read as UTF-8 text: \(error.localizedDescription)")
        }
        try self.init(yaml: text, source: path)
    }

    /// Parses YAML text; `source` names it in errors.
    public init(yaml: String, source: String = "<yaml>") throws {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let e as YamlError {
            throw ConfigTree.syntaxError(e, location: source)
        }
        var origins = [String: String]()
        let value = try node.map { try ConfigTree.convert($0, path: [], source: source, origins: &origins) } ?? .map(ConfigMap())
        guard case .map(let map) = value else {
            throw ConfigError(.notAMap, location: source, "the top level must be a map of sections (Global:, Train:, ...), found \(value.typeName)")
        }
        self.root = map
        self.source = source
        self.origins = origins
    }

    public static func == (a: ConfigTree, b: ConfigTree) -> Bool { a.root == b.root }

    // MARK: - Reading

    /// The value at a dotted path, or nil when any component is missing.
    public subscript(path: String) -> ConfigValue? {
        var current = ConfigValue.map(root)
        for component in ConfigTree.components(path) {
            switch current {
            case .map(let m):
                guard let next = m[component] else { return nil }
                current = next
            case .list(let l):
                guard let i = Int(component), l.indices.contains(i) else { return nil }
                current = l[i]
            default:
                return nil
            }
        }
        return current
    }

    /// Whether a value (possibly null) exists at `path`.
    public func contains(_ path: String) -> Bool { self[path] != nil }

    /// The value at `path`; throws `missingKey` naming the path, the valid keys where the path
    /// left the tree, and the closest one.
    public func require(_ path: String) throws -> ConfigValue {
        var current = ConfigValue.map(root)
        var walked = [String]()
        for component in ConfigTree.components(path) {
            let here = walked.joined(separator: ".")
            switch current {
            case .map(let m):
                guard let next = m[component] else {
                    throw ConfigError(.missingKey, location: location(of: here), path: path,
                                      "missing key '\(path)'\(KeySuggestion.hint(for: component, in: m.keys))"
                                      + ConfigTree.validKeys(m.keys, at: here))
                }
                current = next
            case .list(let l):
                guard let i = Int(component), l.indices.contains(i) else {
                    throw ConfigError(.indexOutOfRange, location: location(of: here), path: path,
                                      "'\(component)' is not an index of the \(l.count)-element list '\(here)'")
                }
                current = l[i]
            default:
                throw ConfigError(.missingKey, location: location(of: here), path: path,
                                  "'\(here)' is \(current.summary), not a map or list, so '\(path)' does not exist")
            }
            walked.append(component)
        }
        return current
    }

    /// String at `path`; nil when absent or null; throws when it holds another type.
    public func string(_ path: String) throws -> String? { try typed(path, "a string") { $0.stringValue } }
    /// Integer at `path` (a number without fraction is accepted).
    public func int(_ path: String) throws -> Int? { try typed(path, "an integer") { $0.intValue } }
    /// Number at `path` (integers accepted).
    public func double(_ path: String) throws -> Double? { try typed(path, "a number") { $0.doubleValue } }
    /// Boolean at `path`.
    public func bool(_ path: String) throws -> Bool? { try typed(path, "a boolean") { $0.boolValue } }
    /// List of strings at `path`.
    public func strings(_ path: String) throws -> [String]? {
        try typed(path, "a list of strings") { v in
            guard let l = v.listValue else { return nil }
            let s = l.compactMap(\.stringValue)
            return s.count == l.count ? s : nil
        }
    }
    /// List of numbers at `path`.
    public func doubles(_ path: String) throws -> [Double]? {
        try typed(path, "a list of numbers") { v in
            guard let l = v.listValue else { return nil }
            let d = l.compactMap(\.doubleValue)
            return d.count == l.count ? d : nil
        }
    }

    private func typed<T>(_ path: String, _ expected: String, _ get: (ConfigValue) -> T?) throws -> T? {
        guard let v = self[path], v != .null else { return nil }
        guard let t = get(v) else {
            throw ConfigError(.typeMismatch, location: location(of: path), path: path, "expected \(expected), got \(v.summary)")
        }
        return t
    }

    /// Where the key at `path` (or its nearest recorded ancestor) was set.
    public func location(of path: String) -> String? {
        var c = ConfigTree.components(path)
        while true {
            if let o = origins[c.joined(separator: ".")] { return o }
            if c.isEmpty { return source }
            c.removeLast()
        }
    }

    /// Checks the top-level keys against `allowed` (PaddleOCR's sections by default), and that
    /// each of `required` is present.
    public func checkSections(allowed: [String] = ConfigTree.paddleOCRSections, required: [String] = []) throws {
        for key in root.keys where !allowed.contains(key) {
            throw ConfigError(.unknownKey, location: location(of: key), path: key,
                              "unknown section '\(key)'\(KeySuggestion.hint(for: key, in: allowed))"
                              + ConfigTree.validKeys(allowed, at: ""))
        }
        for key in required where root[key] == nil {
            throw ConfigError(.missingKey, location: source, path: key, "missing section '\(key)'")
        }
    }

    // MARK: - Fingerprint

    /// A canonical one-line form: keys sorted, every value typed unambiguously. Two trees with
    /// the same content in any key order give the same string.
    public var canonicalString: String { ConfigTree.canonical(.map(root)) }

    /// SHA-256 of `canonicalString`: the training-config hash stored in checkpoints and models.
    public var fingerprint: SHA256Digest { SHA256Digest(of: canonicalString) }

    static func canonical(_ v: ConfigValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return ConfigValue.yamlNumber(d)   // always has '.', 'e' or is .inf/.nan
        case .string(let s): return jsonQuoted(s)
        case .list(let l): return "[" + l.map(canonical).joined(separator: ",") + "]"
        case .map(let m):
            return "{" + m.entries.sorted { $0.key < $1.key }.map { jsonQuoted($0.key) + ":" + canonical($0.value) }
                .joined(separator: ",") + "}"
        }
    }

    static func jsonQuoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    // MARK: - Helpers

    static func components(_ path: String) -> [String] {
        path.isEmpty ? [] : path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    }

    static func validKeys(_ keys: [String], at path: String) -> String {
        let where_ = path.isEmpty ? "at the top level" : "under '\(path)'"
        return keys.isEmpty ? "; '\(path)' is empty" : "; valid keys \(where_): \(keys.joined(separator: ", "))"
    }

    static func syntaxError(_ e: YamlError, location: String) -> ConfigError {
        switch e {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let ctx = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return ConfigError(.syntax, location: "\(location):\(mark.line):\(mark.column)", "YAML \(problem)\(ctx)")
        default:
            return ConfigError(.syntax, location: location, "YAML: \(e)")
        }
    }

    /// Yams node -> ConfigValue, recording key origins and rejecting duplicate keys (PyYAML
    /// silently keeps the last one, which hides mistakes).
    static func convert(_ node: Node, path: [String], source: String, origins: inout [String: String]) throws -> ConfigValue {
        switch node {
        case .scalar(let s):
            switch Resolver.default.resolveTag(of: node) {
            case .null: return .null
            case .bool: return Bool.construct(from: s).map(ConfigValue.bool) ?? .string(s.string)
            case .int:
                if let i = Int.construct(from: s) { return .int(i) }
                return Double.construct(from: s).map(ConfigValue.double) ?? .string(s.string)
            case .float: return Double.construct(from: s).map(ConfigValue.double) ?? .string(s.string)
            default: return .string(s.string)
            }
        case .sequence(let seq):
            return .list(try seq.enumerated().map { i, n in
                let p = path + [String(i)]
                if let m = n.mark { origins[p.joined(separator: ".")] = "\(source):\(m.line)" }
                return try convert(n, path: p, source: source, origins: &origins)
            })
        case .mapping(let mapping):
            var map = ConfigMap()
            var merged = [ConfigMap]()
            var firstLine = [String: Int]()
            for (k, v) in mapping {
                let key = k.string ?? "\(k)"
                let line = k.mark?.line ?? 0
                if Resolver.default.resolveTag(of: k) == .merge {
                    // YAML merge key: `<<: *defaults` - explicit keys win over merged ones.
                    let value = try convert(v, path: path, source: source, origins: &origins)
                    for m in (value.listValue ?? [value]) {
                        guard case .map(let mm) = m else {
                            throw ConfigError(.syntax, location: "\(source):\(line)", "'<<' merges maps, got \(m.typeName)")
                        }
                        merged.append(mm)
                    }
                    continue
                }
                let p = path + [key]
                let dotted = p.joined(separator: ".")
                if let first = firstLine[key] {
                    throw ConfigError(.duplicateKey, location: "\(source):\(line)", path: dotted,
                                      "duplicate key '\(dotted)' (first at line \(first))")
                }
                firstLine[key] = line
                origins[dotted] = "\(source):\(line)"
                map[key] = try convert(v, path: p, source: source, origins: &origins)
            }
            for m in merged { for e in m where map[e.key] == nil { map[e.key] = e.value } }
            return .map(map)
        }
    }
}
