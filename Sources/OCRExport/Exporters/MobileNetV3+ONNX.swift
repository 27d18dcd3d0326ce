import NN
import OCRModels
import Torch

// ONNX exporters for the CRNN backbone's modules (and ConvBNLayer, which SVTR shares).

extension ConvBNLayer: ONNXExportable {
    /// Conv -> BatchNormalization -> activation, or, with `ExportOptions.foldBatchNorm`, one Conv
    /// whose weight and bias have the BatchNorm folded in (initializers `<conv>/weight` and
    /// `<conv>/bias`, doc strings naming the folded norm).
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        var y: ONNXValue
        if g.options.foldBatchNorm {
            let folded = try BatchNormFolding.fold(conv: conv, bn: bn)
            let note = "\(conv.path) with \(bn.path) (eval statistics) folded in"
            let w = try g.addInitializer(ONNXTensor(name: (conv.path / "weight").description, tensor: folded.weight, docString: note))
            let b = try g.addInitializer(ONNXTensor(name: (conv.path / "bias").description, tensor: folded.bias, docString: note))
            y = try conv.emitConv(x, weight: w, bias: b, to: g)
        } else {
            y = try bn.exportONNX(conv.exportONNX(x, to: g), to: g)
        }
        return try act.map { try $0.exportONNX(y, to: g) } ?? y
    }
}

extension HardSigmoid: ONNXExportable {
    /// ONNX HardSigmoid with this layer's slope and offset (Paddle's 0.2 / 0.5 in the SE gate).
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try g.hardSigmoid(x, alpha: slope, beta: offset, scope: path)
    }
}

extension SEModule: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        let pooled = try avgPool.exportONNX(x, to: g)                                   // B x C x 1 x 1
        let s = try gate.exportONNX(conv2.exportONNX(relu.exportONNX(conv1.exportONNX(pooled, to: g), to: g), to: g), to: g)
        return try g.mul(x, s, scope: path)
    }
}

extension ResidualUnit: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        var y = try bottleneckConv.exportONNX(expandConv.exportONNX(x, to: g), to: g)
        if let se = midSE { y = try se.exportONNX(y, to: g) }
        y = try linearConv.exportONNX(y, to: g)
        return hasShortcut ? try g.add(x, y, scope: path) : y
    }
}

extension MobileNetV3: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        let y = try blocks.reduce(try conv1.exportONNX(x, to: g)) { try $1.exportONNX($0, to: g) }
        return try pool.exportONNX(conv2.exportONNX(y, to: g), to: g)              // B x outChannels x H/32 x W/4
    }
}
