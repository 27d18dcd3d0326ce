import NN
import Torch

/// Emitters for the ONNX patterns the exporters share. Every one takes the module path as its
/// `scope`, which names its nodes and constants.
extension ONNXGraphBuilder {
    /// `x W^T + b` over the last dimension of an input of any rank (Linear's weight is out x in).
    /// Transpose(W) -> MatMul -> Add: the initializer keeps the parameter's layout and name, and
    /// ONNX Runtime folds the constant transpose when it loads the model.
    public func linear(_ x: ONNXValue, weight: ONNXValue, bias: ONNXValue?, scope: Path) throws -> ONNXValue {
        let wt = try transpose(weight, [1, 0], scope: scope)
        let y = try op("MatMul", [x, wt], scope: scope)
        return try bias.map { try op("Add", [y, $0], scope: scope) } ?? y
    }

    public func transpose(_ x: ONNXValue, _ perm: [Int], scope: Path) throws -> ONNXValue {
        try op("Transpose", [x], [.ints("perm", perm)], scope: scope)
    }

    /// Reshape to a constant shape; 0 copies the input's size at that position (the dynamic
    /// batch), -1 is inferred.
    public func reshape(_ x: ONNXValue, _ shape: [Int], scope: Path) throws -> ONNXValue {
        try op("Reshape", [x, constant(shape, scope: scope, name: "shape")], scope: scope)
    }

    /// B x C x d1 x d2 ... -> B x C x (d1*d2*...): LibTorch's `flatten(2)`.
    public func flattenFromAxis2(_ x: ONNXValue, scope: Path) throws -> ONNXValue {
        try reshape(x, [0, 0, -1], scope: scope)
    }

    /// Squeeze; since opset 13 the axes are an input, not an attribute.
    public func squeeze(_ x: ONNXValue, axes: [Int], scope: Path) throws -> ONNXValue {
        try op("Squeeze", [x, constant(axes, scope: scope, name: "axes")], scope: scope)
    }

    /// Unsqueeze; since opset 13 the axes are an input, not an attribute.
    public func unsqueeze(_ x: ONNXValue, axes: [Int], scope: Path) throws -> ONNXValue {
        try op("Unsqueeze", [x, constant(axes, scope: scope, name: "axes")], scope: scope)
    }

    public func add(_ a: ONNXValue, _ b: ONNXValue, scope: Path) throws -> ONNXValue {
        try op("Add", [a, b], scope: scope)
    }

    public func mul(_ a: ONNXValue, _ b: ONNXValue, scope: Path) throws -> ONNXValue {
        try op("Mul", [a, b], scope: scope)
    }

    public func mul(_ a: ONNXValue, _ s: Float, scope: Path) throws -> ONNXValue {
        try op("Mul", [a, constant(s, scope: scope, name: "scale")], scope: scope)
    }

    /// Exact GELU, `0.5 x (1 + erf(x / sqrt 2))`, as LibTorch's default: opset 17 has no Gelu
    /// operator (it came in opset 20). ONNX Runtime fuses this pattern back into one kernel.
    public func gelu(_ x: ONNXValue, scope: Path) throws -> ONNXValue {
        let scaled = try op("Div", [x, constant(Float(2).squareRoot(), scope: scope, name: "sqrt2")], scope: scope)
        let erf = try op("Erf", [scaled], scope: scope)
        let onePlus = try op("Add", [erf, constant(1, scope: scope, name: "one")], scope: scope)
        return try mul(mul(x, onePlus, scope: scope), 0.5, scope: scope)
    }

    /// An NN `Activation` function. HardSigmoid gets PyTorch's slope 1/6 explicitly: ONNX's
    /// HardSigmoid defaults to alpha 0.2 (Paddle's slope), which would silently change the function.
    public func activation(_ f: Activation.Function, _ x: ONNXValue, scope: Path) throws -> ONNXValue {
        switch f {
        case .relu: try op("Relu", [x], scope: scope)
        case .relu6: try op("Clip", [x, constant(0, scope: scope, name: "min"), constant(6, scope: scope, name: "max")], scope: scope)
        case .hardSwish: try op("HardSwish", [x], scope: scope)
        case .hardSigmoid: try hardSigmoid(x, alpha: 1.0 / 6.0, beta: 0.5, scope: scope)
        case .sigmoid: try op("Sigmoid", [x], scope: scope)
        case .tanh: try op("Tanh", [x], scope: scope)
        case .gelu: try gelu(x, scope: scope)
        case .identity: x
        case .swish: try mul(x, op("Sigmoid", [x], scope: scope), scope: scope)
        }
    }

    /// `clamp(alpha x + beta, 0, 1)`, both attributes always written (ONNX's default alpha is 0.2).
    public func hardSigmoid(_ x: ONNXValue, alpha: Double, beta: Double, scope: Path) throws -> ONNXValue {
        try op("HardSigmoid", [x], [.float("alpha", Float(alpha)), .float("beta", Float(beta))], scope: scope)
    }

    /// Resize N x C x H x W by integer factors, as `F.interpolate` computes it.
    public func resize(_ x: ONNXValue, scale: (h: Int, w: Int), mode: F.InterpolationMode, alignCorners: Bool = false,
                       scope: Path) throws -> ONNXValue {
        let scales = try constant(floats: [1, 1, Float(scale.h), Float(scale.w)], dims: [4], scope: scope, name: "scales")
        return try op("Resize", [x, nil, scales], resizeAttributes(mode, alignCorners), scope: scope)
    }

    /// Resize N x C x H x W to the spatial size of `reference` (a feature map of another stage,
    /// as DB's neck upsamples), known only at run time: Shape -> Concat -> Resize(sizes).
    public func resize(_ x: ONNXValue, toSpatialSizeOf reference: ONNXValue, mode: F.InterpolationMode,
                       alignCorners: Bool = false, scope: Path) throws -> ONNXValue {
        let batchChannels = try op("Shape", [x], [.int("end", 2)], scope: scope)
        let spatial = try op("Shape", [reference], [.int("start", 2)], scope: scope)
        let sizes = try op("Concat", [batchChannels, spatial], [.int("axis", 0)], scope: scope)
        return try op("Resize", [x, nil, nil, sizes], resizeAttributes(mode, alignCorners), scope: scope)
    }

    /// LibTorch's sampling: nearest takes floor(dst * in / out) ("asymmetric" + "floor");
    /// bilinear maps pixel centres ("pytorch_half_pixel") or corners ("align_corners").
    private func resizeAttributes(_ mode: F.InterpolationMode, _ alignCorners: Bool) -> [ONNXAttribute] {
        switch mode {
        case .nearest:
            [.string("mode", "nearest"), .string("coordinate_transformation_mode", "asymmetric"), .string("nearest_mode", "floor")]
        case .bilinear:
            [.string("mode", "linear"),
             .string("coordinate_transformation_mode", alignCorners ? "align_corners" : "pytorch_half_pixel")]
        }
    }
}
