import Torch

/// 2-d convolution. Weight O x C/groups x kH x kW; pairs are (height, width).
public final class Conv2d: Module, UnaryLayer {
    public let inChannels: Int, outChannels: Int
    public let kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)
    public let groups: Int
    public private(set) var weight: Tensor
    public private(set) var bias: Tensor?

    public init(_ path: Path, _ inChannels: Int, _ outChannels: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1), groups: Int = 1, bias: Bool = true) throws {
        guard inChannels % groups == 0, outChannels % groups == 0 else {
            throw TorchError("Conv2d \(path): channels \(inChannels) -> \(outChannels) not divisible by groups \(groups)")
        }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.groups = groups
        let fanIn = inChannels / groups * kernel.0 * kernel.1
        weight = try Init.kaimingUniformDefault([outChannels, inChannels / groups, kernel.0, kernel.1], fanIn: fanIn)
        self.bias = bias ? try Init.uniform([outChannels], bound: 1 / Double(fanIn).squareRoot()) : nil
        super.init(path)
        weight = try registerParameter("weight", weight)
        if let b = self.bias { self.bias = try registerParameter("bias", b) }
    }

    /// Square kernel, `padding` defaulting to "same" for odd kernels at stride 1.
    public convenience init(_ path: Path, _ inChannels: Int, _ outChannels: Int, kernel k: Int, stride s: Int = 1,
                            padding p: Int? = nil, groups: Int = 1, bias: Bool = true) throws {
        try self.init(path, inChannels, outChannels, kernel: (k, k), stride: (s, s), padding: (p ?? k / 2, p ?? k / 2),
                      groups: groups, bias: bias)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try F.conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("in", .int(inChannels)), ("out", .int(outChannels)), ("kernel", .ints([kernel.0, kernel.1])),
         ("stride", .ints([stride.0, stride.1])), ("padding", .ints([padding.0, padding.1])),
         ("dilation", .ints([dilation.0, dilation.1])), ("groups", .int(groups)), ("bias", .bool(bias != nil))]
    }
}
