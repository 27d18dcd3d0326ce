/// A module's place in the model tree, e.g. `backbone/stages/0/conv`. Parameter names are
/// explicit paths: they are the checkpoint keys and the ONNX initializer names, stable across
/// versions because they never depend on Swift property names.
public struct Path: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let components: [String]

    public init(_ components: [String] = []) { self.components = components.filter { !$0.isEmpty } }
    public init(stringLiteral value: String) { self.init(value.split(separator: "/").map(String.init)) }

    public static let root = Path()

    public static func / (p: Path, name: String) -> Path { Path(p.components + name.split(separator: "/").map(String.init)) }
    public static func / (p: Path, index: Int) -> Path { Path(p.components + [String(index)]) }

    public var description: String { components.joined(separator: "/") }
    public var name: String { components.last ?? "" }
}
