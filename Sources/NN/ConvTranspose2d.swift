import Torch

/// Transposed 2-d convolution (DB's upsampling head). Weight C x O/groups x kH x kW: output
/// channels on axis 1, as in PyTorch and ONNX.
public final class ConvTranspose2d: Module, UnaryLayer {
    public let inChannels: Int, outChannels: Int
    public let kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), outputPadding: (Int, Int)
    public let dilation: (Int, Int), groups: Int
    public private(set) var weight: Tensor
    public private(set) var bias: Tensor?

    public init(_ path: Path, _ inChannels: Int, _ outChannels: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1),
                padding: (Int, Int) = (0, 0), outputPadding: (Int, Int) = (0, 0), dilation: (Int, Int) = (1, 1),
                groups: Int = 1, bias: Bool = true) throws {
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.outputPadding = outputPadding
        self.dilation = dilation
        self.groups = groups
        // PyTorch computes fan_in from weight.size(1) * kernel area for transposed convs.
        let fanIn = outChannels / groups * kernel.0 * kernel.1
        weight = try Init.kaimingUniformDefault([inChannels, outChannels / groups, kernel.0, kernel.1], fanIn: fanIn)
        self.bias = bias ? try Init.uniform([outChannels], bound: 1 / Double(fanIn).squareRoot()) : nil
        super.init(path)
        weight = try registerParameter("weight", weight)
        if let b = self.bias { self.bias = try registerParameter("bias", b) }
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try F.convTranspose2d(x, weight: weight, bias: bias, stride: stride, padding: padding,
                              outputPadding: outputPadding, dilation: dilation, groups: groups)
    }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("in", .int(inChannels)), ("out", .int(outChannels)), ("kernel", .ints([kernel.0, kernel.1])),
         ("stride", .ints([stride.0, stride.1])), ("padding", .ints([padding.0, padding.1])),
         ("output_padding", .ints([outputPadding.0, outputPadding.1])), ("dilation", .ints([dilation.0, dilation.1])),
         ("groups", .int(groups)), ("bias", .bool(bias != nil))]
    }
}
