import NN
import Torch

/// `clamp(slope * x + offset, 0, 1)`. Paddle's SE gate uses slope 0.2 (PyTorch's hardsigmoid and
/// `Activation(.hardSigmoid)` use 1/6), so it is its own layer; exporters map it to ONNX
/// `HardSigmoid(alpha: slope, beta: offset)`.
public final class HardSigmoid: Module, UnaryLayer {
    public let slope: Double, offset: Double

    public init(_ path: Path, slope: Double = 0.2, offset: Double = 0.5) {
        self.slope = slope
        self.offset = offset
        super.init(path)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try (x * slope + offset).clamp(min: 0, max: 1)
    }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("slope", .double(slope)), ("offset", .double(offset))]
    }
}
