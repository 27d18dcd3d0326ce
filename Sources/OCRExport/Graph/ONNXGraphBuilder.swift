import NN
import Torch

/// A tensor in the graph being built, by its (unique) name.
public struct ONNXValue: Hashable, Sendable, CustomStringConvertible {
    public let name: String
    public var description: String { name }
}

/// Builds an `ONNXGraph` node by node while exporters walk the module tree.
///
/// Names: parameters become initializers named by their module path (`backbone/conv1/conv/weight`,
/// so a graph and a checkpoint line up key for key); a node is named `<module path>/<op>` and its
/// outputs `<node name>_output_<k>`, with a numeric suffix where a name is taken; constants a
/// module needs are `<module path>/<what>`. Every value name is unique.
public final class ONNXGraphBuilder {
    public let options: ExportOptions
    public private(set) var nodes: [ONNXNode] = []
    public private(set) var initializers: [ONNXTensor] = []
    public private(set) var inputs: [ONNXValueInfo] = []
    public private(set) var outputs: [ONNXValueInfo] = []
    private var valueNames = Set<String>()
    private var nodeNames = Set<String>()
    /// Parameters already written, so a tensor shared by two modules is stored once.
    private var parameterValues: [ObjectIdentifier: ONNXValue] = [:]
    private var sharedValues: [String: ONNXValue] = [:]

    public init(options: ExportOptions = ExportOptions()) {
        self.options = options
    }

    // MARK: graph inputs, outputs, initializers

    /// Declares a graph input.
    public func addInput(_ name: String, elementType: ONNXDataType = .float, dims: [ONNXDimension]) throws -> ONNXValue {
        try claim(name)
        inputs.append(ONNXValueInfo(name: name, elementType: elementType, dims: dims))
        return ONNXValue(name: name)
    }

    /// Declares `value` a graph output under `name`, renaming it (and its uses) when it was
    /// produced by a node; a graph input or initializer gets an Identity node instead.
    public func addOutput(_ value: ONNXValue, as name: String, elementType: ONNXDataType = .float,
                          dims: [ONNXDimension]) throws {
        guard valueNames.contains(value.name) else { throw ExportError.unknownValue(value.name) }
        let producedByNode = nodes.contains { $0.outputs.contains(value.name) }
        if value.name != name {
            if producedByNode {
                try claim(name)
                for i in nodes.indices {
                    nodes[i].inputs = nodes[i].inputs.map { $0 == value.name ? name : $0 }
                    nodes[i].outputs = nodes[i].outputs.map { $0 == value.name ? name : $0 }
                }
                valueNames.remove(value.name)
            } else {
                try claim(name)
                nodes.append(ONNXNode(opType: "Identity", name: uniqueNodeName(name + "/Identity"), inputs: [value.name], outputs: [name]))
            }
        }
        outputs.append(ONNXValueInfo(name: name, elementType: elementType, dims: dims))
    }

    /// Adds an initializer under its own name, which must be free.
    @discardableResult
    public func addInitializer(_ tensor: ONNXTensor) throws -> ONNXValue {
        guard tensor.isWellFormed else {
            throw ExportError.malformedTensor(name: tensor.name, message:
                "\(tensor.rawData.count) bytes for dims \(tensor.dims) of \(tensor.dataType) (\(tensor.dataType.byteWidth) bytes each)")
        }
        try claim(tensor.name)
        initializers.append(tensor)
        return ONNXValue(name: tensor.name)
    }

    /// A module parameter (or buffer) as an initializer named by its path. The same tensor asked
    /// for twice is stored once.
    public func parameter(_ tensor: Tensor, path: Path) throws -> ONNXValue {
        if let v = parameterValues[ObjectIdentifier(tensor)] { return v }
        let v = try addInitializer(ONNXTensor(name: path.description, tensor: tensor))
        parameterValues[ObjectIdentifier(tensor)] = v
        return v
    }

    /// A constant int64 vector (shapes, axes, perms), named `<scope>/<name>`.
    public func constant(_ values: [Int], scope: Path, name: String) throws -> ONNXValue {
        try addInitializer(ONNXTensor(name: freeValueName(scoped(scope, name)), int64s: values.map(Int64.init),
                                      dims: [values.count]))
    }

    /// A constant float tensor, named `<scope>/<name>`; `dims` [] makes a scalar.
    public func constant(floats: [Float], dims: [Int], scope: Path, name: String) throws -> ONNXValue {
        try addInitializer(ONNXTensor(name: freeValueName(scoped(scope, name)), floats: floats, dims: dims))
    }

    public func constant(_ value: Float, scope: Path, name: String) throws -> ONNXValue {
        try constant(floats: [value], dims: [], scope: scope, name: name)
    }

    /// A constant int64 scalar (a Gather index), named `<scope>/<name>`.
    public func constant(scalar value: Int, scope: Path, name: String) throws -> ONNXValue {
        try addInitializer(ONNXTensor(name: freeValueName(scoped(scope, name)), int64s: [Int64(value)], dims: []))
    }

    /// The value made the first time `key` is asked for, reused after: one copy of a constant
    /// several modules need (SVTR's attention masks repeat per block).
    public func shared(_ key: String, make: () throws -> ONNXValue) rethrows -> ONNXValue {
        if let v = sharedValues[key] { return v }
        let v = try make()
        sharedValues[key] = v
        return v
    }

    // MARK: nodes

    /// Appends one node; returns its `outputs` new values. A nil input is an omitted optional one.
    @discardableResult
    public func add(_ opType: String, _ inputs: [ONNXValue?], _ attributes: [ONNXAttribute] = [], scope: Path,
                    outputs count: Int = 1) throws -> [ONNXValue] {
        for case let v? in inputs where !valueNames.contains(v.name) { throw ExportError.unknownValue(v.name) }
        let name = uniqueNodeName(scoped(scope, opType))
        let outs = (0..<count).map { uniqueValueName("\(name)_output_\($0)") }
        nodes.append(ONNXNode(opType: opType, name: name, inputs: inputs.map { $0?.name ?? "" }, outputs: outs,
                              attributes: attributes))
        return outs.map(ONNXValue.init)
    }

    /// One node with one output.
    public func op(_ opType: String, _ inputs: [ONNXValue?], _ attributes: [ONNXAttribute] = [], scope: Path) throws -> ONNXValue {
        try add(opType, inputs, attributes, scope: scope)[0]
    }

    /// Emits `layer`'s forward pass: it must conform to `ONNXExportable`.
    public func emit(_ layer: any UnaryLayer, _ x: ONNXValue) throws -> ONNXValue {
        guard let exportable = layer as? any ONNXExportable else {
            throw ExportError.unsupportedModule(path: layer.path.description, kind: layer.kind)
        }
        return try exportable.exportONNX(x, to: self)
    }

    public func build(name: String, docString: String? = nil) -> ONNXGraph {
        ONNXGraph(name: name, nodes: nodes, initializers: initializers, inputs: inputs, outputs: outputs, docString: docString)
    }

    // MARK: names

    private func scoped(_ scope: Path, _ name: String) -> String {
        scope.components.isEmpty ? name : "\(scope)/\(name)"
    }

    private func claim(_ name: String) throws {
        guard !name.isEmpty, valueNames.insert(name).inserted else { throw ExportError.duplicateName(name) }
    }

    /// `base`, or `base_1`, `base_2`, ... : the first name not taken (not claimed yet).
    private func freeValueName(_ base: String) -> String {
        var name = base, i = 1
        while valueNames.contains(name) { name = "\(base)_\(i)"; i += 1 }
        return name
    }

    private func uniqueValueName(_ base: String) -> String {
        let name = freeValueName(base)
        valueNames.insert(name)
        return name
    }

    private func uniqueNodeName(_ base: String) -> String {
        var name = base, i = 1
        while nodeNames.contains(name) { name = "\(base)_\(i)"; i += 1 }
        nodeNames.insert(name)
        return name
    }
}
