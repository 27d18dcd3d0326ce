import Torch

/// Layers applied in order. Children keep the paths they were built with.
public final class Sequential: Module, UnaryLayer {
    public let layers: [any UnaryLayer]

    public init(_ path: Path, _ layers: [any UnaryLayer]) {
        self.layers = layers
        super.init(path)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try layers.reduce(x) { try $1($0) }
    }
}
