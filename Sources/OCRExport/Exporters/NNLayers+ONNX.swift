import NN
import Torch

// ONNX exporters for NN's layers. Each emits what its `callAsFunction` computes in eval mode.

extension Conv2d: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try exportONNX(x, pads: nil, to: g)
    }

    /// With `pads` ([top, left, bottom, right]) in place of the layer's own symmetric padding:
    /// a zero `Tensor.pad` before the conv written into the Conv node (PPLCNetV4's "SAME" 2 x 2 convs).
    func exportONNX(_ x: ONNXValue, pads: [Int]?, to g: ONNXGraphBuilder) throws -> ONNXValue {
        let w = try g.parameter(weight, path: path / "weight")
        let b = try bias.map { try g.parameter($0, path: path / "bias") }
        return try emitConv(x, weight: w, bias: b, pads: pads, to: g)
    }

    /// A Conv node with this layer's geometry and the given weight and bias: its own, or the
    /// BatchNorm-folded ones `ConvBNLayer` computes.
    func emitConv(_ x: ONNXValue, weight w: ONNXValue, bias b: ONNXValue?, pads: [Int]? = nil, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try g.op("Conv", [x, w, b], [
            .ints("kernel_shape", [kernel.0, kernel.1]), .ints("strides", [stride.0, stride.1]),
            // ONNX pads are [top, left, bottom, right]; LibTorch pads both sides alike.
            .ints("pads", pads ?? [padding.0, padding.1, padding.0, padding.1]),
            .ints("dilations", [dilation.0, dilation.1]), .int("group", groups),
        ], scope: path)
    }
}

extension ConvTranspose2d: ONNXExportable {
    /// The weight is C_in x C_out/groups x kH x kW (output channels on axis 1) in LibTorch and
    /// ONNX alike, so it is written unchanged.
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        let w = try g.parameter(weight, path: path / "weight")
        let b = try bias.map { try g.parameter($0, path: path / "bias") }
        return try emitConvTranspose(x, weight: w, bias: b, to: g)
    }

    /// A ConvTranspose node with this layer's geometry and the given weight and bias: its own,
    /// or the BatchNorm-folded ones the DB head computes.
    func emitConvTranspose(_ x: ONNXValue, weight w: ONNXValue, bias b: ONNXValue?, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try g.op("ConvTranspose", [x, w, b], [
            .ints("kernel_shape", [kernel.0, kernel.1]), .ints("strides", [stride.0, stride.1]),
            .ints("pads", [padding.0, padding.1, padding.0, padding.1]),
            .ints("output_padding", [outputPadding.0, outputPadding.1]),
            .ints("dilations", [dilation.0, dilation.1]), .int("group", groups),
        ], scope: path)
    }
}

extension BatchNorm2d: ONNXExportable {
    /// Inference-mode BatchNormalization with the running statistics (buffers, named by path).
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try g.op("BatchNormalization", [
            x, g.parameter(weight, path: path / "weight"), g.parameter(bias, path: path / "bias"),
            g.parameter(runningMean, path: path / "running_mean"), g.parameter(runningVar, path: path / "running_var"),
        ], [.float("epsilon", Float(eps))], scope: path)
    }
}

extension Linear: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try g.linear(x, weight: g.parameter(weight, path: path / "weight"),
                     bias: bias.map { try g.parameter($0, path: path / "bias") }, scope: path)
    }
}

extension LayerNorm: ONNXExportable {
    /// LayerNormalization (opset 17) over the trailing `normalizedShape` dimensions.
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try g.op("LayerNormalization", [x, g.parameter(weight, path: path / "weight"), g.parameter(bias, path: path / "bias")],
                 [.int("axis", -normalizedShape.count), .float("epsilon", Float(eps))], scope: path)
    }
}

extension Dropout: ONNXExportable {
    /// Identity in eval mode: no node.
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue { x }
}

extension Activation: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try g.activation(function, x, scope: path)
    }
}

extension Sequential: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try layers.reduce(x) { try g.emit($1, $0) }
    }
}

extension MaxPool2d: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try g.op("MaxPool", [x], [
            .ints("kernel_shape", [kernel.0, kernel.1]), .ints("strides", [stride.0, stride.1]),
            .ints("pads", [padding.0, padding.1, padding.0, padding.1]), .int("ceil_mode", ceilMode ? 1 : 0),
        ], scope: path)
    }
}

extension AvgPool2d: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try g.op("AveragePool", [x], [
            .ints("kernel_shape", [kernel.0, kernel.1]), .ints("strides", [stride.0, stride.1]),
            .ints("pads", [padding.0, padding.1, padding.0, padding.1]), .int("ceil_mode", ceilMode ? 1 : 0),
            .int("count_include_pad", countIncludePad ? 1 : 0),
        ], scope: path)
    }
}

extension AdaptiveAvgPool2d: ONNXExportable {
    /// Output 1 x 1 (squeeze-excitation) is GlobalAveragePool, whatever the input size. Other
    /// output sizes depend on the input's, which the graph does not track: the owner calls
    /// `exportONNX(_:inputSize:to:)`.
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        guard outputSize == (1, 1) else {
            throw ExportError.unsupportedSetting(path: path.description, message:
                "adaptive average pooling to \(outputSize) needs the input's spatial size; use exportONNX(_:inputSize:to:)")
        }
        return try g.op("GlobalAveragePool", [x], scope: path)
    }

    /// Pooling from a known (h, w). Evenly divisible sizes are one AveragePool; otherwise
    /// LibTorch's windows (start floor(i*in/out), end ceil((i+1)*in/out)) differ in size, and the
    /// pool is two constant averaging matrices: P_h (outH x h) . x . P_w^T (w x outW).
    public func exportONNX(_ x: ONNXValue, inputSize: (h: Int, w: Int), to g: ONNXGraphBuilder) throws -> ONNXValue {
        let (oh, ow) = outputSize
        if (oh, ow) == (1, 1) { return try exportONNX(x, to: g) }
        if inputSize.h % oh == 0 && inputSize.w % ow == 0 {
            let k = [inputSize.h / oh, inputSize.w / ow]
            return try g.op("AveragePool", [x], [.ints("kernel_shape", k), .ints("strides", k)], scope: path)
        }
        let ph = try g.constant(floats: Self.averagingMatrix(from: inputSize.h, to: oh), dims: [oh, inputSize.h],
                                scope: path, name: "rows")
        let pwT = try g.constant(floats: Self.averagingMatrix(from: inputSize.w, to: ow, transposed: true),
                                 dims: [inputSize.w, ow], scope: path, name: "columns")
        let rows = try g.op("MatMul", [ph, x], scope: path)             // B x C x h x w -> B x C x outH x w
        return try g.op("MatMul", [rows, pwT], scope: path)              // -> B x C x outH x outW
    }

    /// out x in (or in x out) weights: row i averages LibTorch's adaptive window i.
    static func averagingMatrix(from n: Int, to out: Int, transposed: Bool = false) -> [Float] {
        var m = [Float](repeating: 0, count: n * out)
        for i in 0..<out {
            let start = i * n / out, end = ((i + 1) * n + out - 1) / out
            for j in start..<end { m[transposed ? j * out + i : i * n + j] = 1 / Float(end - start) }
        }
        return m
    }
}
