import NN
import OCRModels
import Torch

// ONNX exporters for PP-OCRv6's modules (OCRModels/PPOCR: PPLCNetV4 in both layouts and the
// light SVTR neck; the det neck RepLKFPN is in DBNet+ONNX.swift): a model fine-tuned from
// PP-OCRv6's files goes back to ONNX through the same writer, parity check and INT8 gate as
// PP-OCRv4's and OCRKit's own.

extension PPLCNetV4Stem: ONNXExportable {
    /// Paddle's "SAME" 2 x 2 windows pad one row and column at the bottom and right; the forward
    /// pass pads with zeros first, the graph writes that padding into the Conv and MaxPool nodes
    /// (pads [top, left, bottom, right] = [0, 0, 1, 1]). For the pool, ONNX pads with -inf rather
    /// than 0: the same result, since its input is a ReLU's output (>= 0) and every window holds
    /// at least one real value.
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        let same = [0, 0, 1, 1]
        let x = try relu.exportONNX(stem1.exportONNX(x, to: g), to: g)
        let a = try relu.exportONNX(stem2a.exportONNX(x, pads: same, to: g), to: g)
        let branch = try relu.exportONNX(stem2b.exportONNX(a, pads: same, to: g), to: g)
        let pooled = try g.op("MaxPool", [x], [
            .ints("kernel_shape", [pool.kernel.0, pool.kernel.1]), .ints("strides", [pool.stride.0, pool.stride.1]),
            .ints("pads", same),
        ], scope: pool.path)
        let y = try g.op("Concat", [pooled, branch], [.int("axis", 1)], scope: path)
        return try relu.exportONNX(stem4.exportONNX(relu.exportONNX(stem3.exportONNX(y, to: g), to: g), to: g), to: g)
    }
}

extension PPLCNetV4SimpleStem: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try convB.exportONNX(act.exportONNX(convA.exportONNX(x, to: g), to: g), to: g)
    }
}

extension LCNetV4SE: ONNXExportable {
    /// The mean over H and W is GlobalAveragePool (B x C x 1 x 1).
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        let pooled = try g.op("GlobalAveragePool", [x], scope: path)
        let s = try gate.exportONNX(conv2.exportONNX(relu.exportONNX(conv1.exportONNX(pooled, to: g), to: g), to: g), to: g)
        return try g.mul(x, s, scope: path)
    }
}

extension LCNetV4Block: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        var y = try dwConv.exportONNX(x, to: g)
        if let se { y = try se.exportONNX(y, to: g) }
        let mixed = try compress.exportONNX(act.exportONNX(expand.exportONNX(y, to: g), to: g), to: g)
        return hasResidual ? try g.add(y, mixed, scope: path) : mixed
    }
}

extension PPLCNetV4: ONNXExportable {
    /// The rec layout (the det layout's four outputs belong to a detector's exporter).
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        guard let pool else { throw ExportError.unsupportedSetting(path: path.description, message: "PPLCNetV4 det layout") }
        let y = try (blocks2 + blocks3 + blocks4 + blocks5).reduce(try g.emit(conv1, x)) { try $1.exportONNX($0, to: g) }
        return try pool.exportONNX(y, to: g)                                     // B x C x 1 x W/8
    }
}

extension PPLCNetV4: DetectionBackboneONNX {
    /// The det layout: the four stage outputs, as `features(_:)`.
    func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> [ONNXValue] {
        guard det else { throw ExportError.unsupportedSetting(path: path.description, message: "PPLCNetV4 rec layout as a DB backbone") }
        var y = try g.emit(conv1, x)
        var outputs: [ONNXValue] = []
        for stage in [blocks2, blocks3, blocks4, blocks5] {
            y = try stage.reduce(y) { try $1.exportONNX($0, to: g) }
            outputs.append(y)
        }
        return outputs
    }
}

extension EncoderWithLightSVTR: ONNXExportable {
    /// As `EncoderWithSVTR`'s: the recogniser's feature map has height 1 (RecognizerFactory
    /// checks it), so the H*W tokens are its W columns - squeeze and transpose there and back,
    /// with W left dynamic. `use_guide`'s detach is an identity at inference.
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        let skip = try skipConv.exportONNX(x, to: g)
        let reduced = try convReduce.exportONNX(x, to: g)
        let z = try g.add(reduced, localConv.exportONNX(reduced, to: g), scope: path)
        var tokens = try g.transpose(g.squeeze(z, axes: [2], scope: path), [0, 2, 1], scope: path)   // B x C x 1 x W -> B x W x C
        for blk in svtrBlock { tokens = try blk.exportONNX(tokens, to: g) }
        tokens = try norm.exportONNX(tokens, to: g)
        let map = try g.unsqueeze(g.transpose(tokens, [0, 2, 1], scope: path), axes: [2], scope: path)  // -> B x C x 1 x W
        return try g.add(map, skip, scope: path)
    }
}
