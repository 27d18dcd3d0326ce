import Torch

/// A parameter-free elementwise activation as a layer, so it appears in the tree (and in exports).
public final class Activation: Module, UnaryLayer {
    public enum Function: String, Sendable, CaseIterable {
        case relu, relu6, hardSwish = "hardswish", hardSigmoid = "hardsigmoid", sigmoid, tanh, gelu, identity
        /// x * sigmoid(x) (PyTorch's SiLU): the activation of PP-OCRv4's SVTR neck.
        case swish
    }

    public let function: Function

    public init(_ path: Path, _ function: Function) {
        self.function = function
        super.init(path)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        switch function {
        case .relu: try x.relu()
        case .relu6: try x.relu6()
        case .hardSwish: try x.hardSwish()
        case .hardSigmoid: try x.hardSigmoid()
        case .sigmoid: try x.sigmoid()
        case .tanh: try x.tanh()
        case .gelu: try x.gelu()
        case .identity: x
        case .swish: try x.apply(.silu)
        }
    }

    public override var kind: String { "Activation(\(function.rawValue))" }
    public override var attributes: [(name: String, value: LayerAttribute)] { [("function", .string(function.rawValue))] }
}
