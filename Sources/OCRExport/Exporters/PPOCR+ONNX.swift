import NN
import OCRModels
import Torch

// ONNX exporters for PP-OCRv4's modules (OCRModels/PPOCR): a fine-tuned imported model exports
// through the same writer, parity check and INT8 gate as OCRKit's own recognisers.

extension LearnableAffineBlock: ONNXExportable {
    /// `scale * x + bias`, both [1] initializers.
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try g.add(g.mul(x, g.parameter(scale, path: path / "scale"), scope: path), g.parameter(bias, path: path / "bias"), scope: path)
    }
}

extension AffineActivation: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try lab.exportONNX(act.exportONNX(x, to: g), to: g)
    }
}

extension RepConv: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        let y = try lab.exportONNX(conv.exportONNX(x, to: g), to: g)
        return try act.map { try $0.exportONNX(y, to: g) } ?? y
    }
}

extension LCNetV3Block: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        var y = try dwConv.exportONNX(x, to: g)
        if let se { y = try se.exportONNX(y, to: g) }
        return try pwConv.exportONNX(y, to: g)
    }
}

extension PPLCNetV3: ONNXExportable {
    /// The rec layout (the det layout's four outputs belong to a detector's exporter).
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        guard let pool else { throw ExportError.unsupportedSetting(path: path.description, message: "PPLCNetV3 det layout") }
        let y = try (blocks2 + blocks3 + blocks4 + blocks5 + blocks6).reduce(try conv1.exportONNX(x, to: g)) { try $1.exportONNX($0, to: g) }
        return try pool.exportONNX(y, to: g)                                     // B x C x 1 x W/8
    }
}

extension PPLCNetV3: DetectionBackboneONNX {
    /// The det layout: stages 3-6 each through its 1x1 `layer_list` conv, as `features(_:)`.
    func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> [ONNXValue] {
        guard det else { throw ExportError.unsupportedSetting(path: path.description, message: "PPLCNetV3 rec layout as a DB backbone") }
        var y = try blocks2.reduce(try conv1.exportONNX(x, to: g)) { try $1.exportONNX($0, to: g) }
        var outputs: [ONNXValue] = []
        for (stage, out) in zip([blocks3, blocks4, blocks5, blocks6], layerList) {
            y = try stage.reduce(y) { try $1.exportONNX($0, to: g) }
            outputs.append(try out.exportONNX(y, to: g))
        }
        return outputs
    }
}

extension EncoderWithSVTR: ONNXExportable {
    /// The recogniser's feature map has height 1 (RecognizerFactory checks it), so the tokens
    /// are B x W x C: squeeze and transpose there and back, with W left dynamic. `use_guide`'s
    /// detach is an identity at inference.
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        let z = try conv2.exportONNX(conv1.exportONNX(x, to: g), to: g)
        var tokens = try g.transpose(g.squeeze(z, axes: [2], scope: path), [0, 2, 1], scope: path)   // B x C x 1 x W -> B x W x C
        for blk in svtrBlock { tokens = try blk.exportONNX(tokens, to: g) }
        tokens = try norm.exportONNX(tokens, to: g)
        let map = try g.unsqueeze(g.transpose(tokens, [0, 2, 1], scope: path), axes: [2], scope: path)  // -> B x C x 1 x W
        let joined = try g.op("Concat", [x, conv3.exportONNX(map, to: g)], [.int("axis", 1)], scope: path)
        return try conv1x1.exportONNX(conv4.exportONNX(joined, to: g), to: g)
    }
}
