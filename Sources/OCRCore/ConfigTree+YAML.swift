import Yams

extension ConfigTree {
    /// The tree as YAML, keys in their original order: the resolved config saved in run
    /// directories and checkpoints. Loading it back gives an equal tree. Strings that would read
    /// back as another type ("True", "1.0", "null") are quoted; short scalar lists are written
    /// inline (`image_shape: [3, 48, 320]`), as PaddleOCR configs do.
    public func yaml() throws -> String {
        try Yams.serialize(node: ConfigTree.node(.map(root)), indent: 2, width: -1, allowUnicode: true)
    }

    static func node(_ v: ConfigValue) -> Node {
        switch v {
        case .null: return Node("null", Tag(.null))
        case .bool(let b): return Node(b ? "true" : "false", Tag(.bool))
        case .int(let i): return Node(String(i), Tag(.int))
        case .double(let d): return Node(ConfigValue.yamlNumber(d), Tag(.float))
        case .string(let s): return .scalar(s.represented())
        case .list(let l):
            let scalars = l.allSatisfy { if case .list = $0 { return false }; if case .map = $0 { return false }; return true }
            return Node(l.map(node), Tag(.seq), scalars && !l.isEmpty && l.count <= 16 ? .flow : .block)
        case .map(let m):
            return Node(m.entries.map { (Node.scalar($0.key.represented()), node($0.value)) }, Tag(.map), m.isEmpty ? .flow : .block)
        }
    }
}
