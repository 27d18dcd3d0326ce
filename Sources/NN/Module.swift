import Torch

/// A value describing a layer for tools that walk the tree (the ONNX writer, summaries).
public enum LayerAttribute: Equatable, Sendable, CustomStringConvertible {
    case int(Int), ints([Int]), double(Double), bool(Bool), string(String)
    public var description: String {
        switch self {
        case .int(let v): "\(v)"
        case .ints(let v): "\(v)"
        case .double(let v): "\(v)"
        case .bool(let v): "\(v)"
        case .string(let v): v
        }
    }
}

/// The base of every layer and model. A module owns its parameters and buffers under explicit
/// names, knows its path in the tree, and finds its children by reflection over stored
/// properties (a `Module`, an optional one, or an array of them), in declaration order.
open class Module {
    public let path: Path
    public private(set) var isTraining = true
    private var ownParameters: [(name: String, tensor: Tensor)] = []
    private var ownBuffers: [(name: String, tensor: Tensor)] = []
    /// Tensors the forward pass reads that are not state (SVTR's attention mask): moved with the
    /// module, never saved.
    private var ownConstants: [Tensor] = []

    public init(_ path: Path) { self.path = path }

    /// Registers a trainable tensor under `path/name`. Returns it, for `weight = try registerParameter(...)`.
    public func registerParameter(_ name: String, _ tensor: Tensor) throws -> Tensor {
        try tensor.requiresGrad(true)
        ownParameters.append((name, tensor))
        return tensor
    }

    /// Registers a non-trainable tensor that belongs to the state (BatchNorm's running statistics).
    public func registerBuffer(_ name: String, _ tensor: Tensor) -> Tensor {
        ownBuffers.append((name, tensor))
        return tensor
    }

    /// Registers a tensor the forward pass reads but that is not state (not saved, not trained),
    /// so that `to(_:)` moves it with the module. Returns it.
    @discardableResult
    public func registerConstant(_ tensor: Tensor) -> Tensor {
        ownConstants.append(tensor)
        return tensor
    }

    /// Moves every parameter, buffer and constant below this module to `device`, in place: the
    /// tensors keep their identity, so references held elsewhere (an optimizer, EMA, a forward
    /// closure) see the moved data. Loading a CPU state afterwards copies across devices.
    public func to(_ device: Device) throws {
        for m in modules() {
            for t in m.ownParameters.map(\.tensor) + m.ownBuffers.map(\.tensor) + m.ownConstants { try t.move(to: device) }
        }
    }

    /// The layer's kind for tools that walk the tree, e.g. "Conv2d".
    open var kind: String { String(describing: type(of: self)) }

    /// The layer's hyper-parameters (stride, padding, ...), for exporters and summaries.
    open var attributes: [(name: String, value: LayerAttribute)] { [] }

    /// Direct children, in declaration order (superclass properties first).
    public var children: [Module] {
        var result: [Module] = []
        var seen = Set<ObjectIdentifier>()
        func collect(_ value: Any) {
            if let m = value as? Module {
                if seen.insert(ObjectIdentifier(m)).inserted { result.append(m) }
            } else if let array = value as? [Any] {
                array.forEach(collect)
            } else {
                let mirror = Mirror(reflecting: value)
                if mirror.displayStyle == .optional, let inner = mirror.children.first { collect(inner.value) }
            }
        }
        var mirrors: [Mirror] = []
        var m: Mirror? = Mirror(reflecting: self)
        while let current = m {
            mirrors.insert(current, at: 0)
            m = current.superclassMirror
        }
        for mirror in mirrors { for child in mirror.children { collect(child.value) } }
        return result
    }

    /// This module and all below it, parents before children.
    public func modules() -> [Module] { [self] + children.flatMap { $0.modules() } }

    /// Every parameter below this module with its full path, in a stable order.
    public func namedParameters() -> [(path: String, tensor: Tensor)] {
        modules().flatMap { m in m.ownParameters.map { ((m.path / $0.name).description, $0.tensor) } }
    }

    public func namedBuffers() -> [(path: String, tensor: Tensor)] {
        modules().flatMap { m in m.ownBuffers.map { ((m.path / $0.name).description, $0.tensor) } }
    }

    public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

    /// Parameters that currently record gradients (not frozen).
    public func trainableParameters() -> [Tensor] { parameters().filter(\.requiresGrad) }

    /// Freezes (or unfreezes) every parameter below this module.
    public func setTrainable(_ on: Bool) throws {
        for p in parameters() { try p.requiresGrad(on) }
    }

    /// Switches this module and everything below it between training and evaluation behaviour
    /// (dropout, BatchNorm statistics).
    public func train(_ on: Bool = true) {
        for m in modules() { m.isTraining = on }
    }

    public func eval() { train(false) }

    /// The number of scalar parameters.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    /// A one-line-per-module summary: path, kind, attributes, parameter shapes.
    public func summary() -> String {
        modules().map { m in
            let attrs = m.attributes.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
            let params = m.ownParameters.map { "\($0.name)\($0.tensor.shape)" }.joined(separator: " ")
            return [m.path.description.isEmpty ? "<root>" : m.path.description, m.kind, attrs, params]
                .filter { !$0.isEmpty }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

/// A module with one input and one output.
public protocol UnaryLayer: Module {
    func callAsFunction(_ x: Tensor) throws -> Tensor
}
