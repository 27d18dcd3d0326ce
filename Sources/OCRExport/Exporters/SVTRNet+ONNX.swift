import NN
import OCRModels
import Torch

// ONNX exporters for SVTR's modules. Token tensors are B x N x C; reshapes put 0 (copy) in the
// batch position so the batch stays dynamic, and spell out the grid sizes, which the position
// embedding fixes.

extension DropPath: ONNXExportable {
    /// Stochastic depth is the identity in eval mode: no node.
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue { x }
}

extension PatchEmbed: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        let map = try proj.exportONNX(x, to: g)
        return try g.transpose(g.flattenFromAxis2(map, scope: path), [0, 2, 1], scope: path)    // B x D x h x w -> B x (h*w) x D
    }
}

extension Mlp: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try fc2.exportONNX(act.exportONNX(fc1.exportONNX(x, to: g), to: g), to: g)         // dropouts: identity
    }
}

extension ConvMixer: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        // B x N x C -> B x C x N -> B x C x H x W
        let map = try g.reshape(g.transpose(x, [0, 2, 1], scope: path), [0, dim, grid.h, grid.w], scope: path)
        let y = try localMixer.exportONNX(map, to: g)
        return try g.transpose(g.flattenFromAxis2(y, scope: path), [0, 2, 1], scope: path)      // B x C x H x W -> B x N x C
    }
}

extension SVTRAttention: ONNXExportable {
    /// Multi-head attention written op for op as the forward pass: fused qkv projection, scaled
    /// q, q k^T, plus the Local mixer's additive mask (a constant 1 x 1 x N x N, 0 / -inf,
    /// stored once per grid and window), softmax over keys, weighted values, projection.
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        // B x N x 3C -> B x N x 3 x heads x d -> 3 x B x heads x N x d
        let packed = try g.reshape(qkv.exportONNX(x, to: g), [0, 0, 3, heads, headDim], scope: path)
        let qkvHeads = try g.transpose(packed, [2, 0, 3, 1, 4], scope: path)
        func part(_ i: Int, _ name: String) throws -> ONNXValue {                           // B x heads x N x d
            try g.op("Gather", [qkvHeads, g.constant(scalar: i, scope: path, name: name)], [.int("axis", 0)], scope: path)
        }
        let q = try g.mul(part(0, "q_index"), Float(scale), scope: path)
        let k = try part(1, "k_index"), v = try part(2, "v_index")
        var attn = try g.op("MatMul", [q, g.transpose(k, [0, 1, 3, 2], scope: path)], scope: path)    // B x heads x N x N
        if let mask, let grid {
            let key = "svtr-local-mask \(grid.h)x\(grid.w) window \(localKernel.h)x\(localKernel.w)"
            let m = try g.shared(key) { try g.addInitializer(ONNXTensor(name: (path / "mask").description, tensor: mask,
                                                                         docString: "Local mixer mask: " + key)) }
            attn = try g.add(attn, m, scope: path)
        }
        attn = try g.op("Softmax", [attn], [.int("axis", 3)], scope: path)
        // B x heads x N x d -> B x N x heads x d -> B x N x C
        let y = try g.op("MatMul", [attn, v], scope: path)
        let merged = try g.reshape(g.transpose(y, [0, 2, 1, 3], scope: path), [0, 0, dim], scope: path)
        return try proj.exportONNX(merged, to: g)
    }
}

extension SVTRBlock: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        if prenorm {
            let y = try norm1.exportONNX(g.add(x, g.emit(mixer, x), scope: path), to: g)
            return try norm2.exportONNX(g.add(y, mlp.exportONNX(y, to: g), scope: path), to: g)
        }
        let y = try g.add(x, g.emit(mixer, norm1.exportONNX(x, to: g)), scope: path)
        return try g.add(y, mlp.exportONNX(norm2.exportONNX(y, to: g), to: g), scope: path)
    }
}

extension SubSample: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        let tokens: ONNXValue
        if let conv {
            // B x C' x H/2 x W -> B x N x C'
            tokens = try g.transpose(g.flattenFromAxis2(conv.exportONNX(x, to: g), scope: path), [0, 2, 1], scope: path)
        } else if let avgPool, let maxPool, let proj {
            let pooled = try g.mul(g.add(avgPool.exportONNX(x, to: g), maxPool.exportONNX(x, to: g), scope: path), 0.5, scope: path)
            // B x C x H/2 x W -> B x N x C -> B x N x C'
            tokens = try proj.exportONNX(g.transpose(g.flattenFromAxis2(pooled, scope: path), [0, 2, 1], scope: path), to: g)
        } else {
            throw ExportError.unsupportedSetting(path: path.description, message: "SubSample has no layers")
        }
        return try norm.exportONNX(tokens, to: g)
    }
}

extension SVTRNet: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        let dims = config.embedDim
        let pos = try g.parameter(posEmbed, path: path / "pos_embed")
        var t = try g.add(patchEmbed.exportONNX(x, to: g), pos, scope: path)            // B x N x D0 (pos_drop: identity)
        t = try blocks1.reduce(t) { try $1.exportONNX($0, to: g) }
        if let subSample1 {
            // B x N x D0 -> B x D0 x h x w
            let map = try g.reshape(g.transpose(t, [0, 2, 1], scope: path), [0, dims[0], grid.h, grid.w], scope: path)
            t = try subSample1.exportONNX(map, to: g)
        }
        t = try blocks2.reduce(t) { try $1.exportONNX($0, to: g) }
        if let subSample2 {
            let map = try g.reshape(g.transpose(t, [0, 2, 1], scope: path), [0, dims[1], grid.h / 2, grid.w], scope: path)
            t = try subSample2.exportONNX(map, to: g)
        }
        t = try blocks3.reduce(t) { try $1.exportONNX($0, to: g) }
        if let norm { t = try norm.exportONNX(t, to: g) }
        let h = subSample1 == nil ? grid.h : grid.h / 4
        // B x N x D2 -> B x D2 x h x w
        let map = try g.reshape(g.transpose(t, [0, 2, 1], scope: path), [0, dims[2], h, grid.w], scope: path)
        let pooled = try avgPool.exportONNX(map, inputSize: (h, grid.w), to: g)
        return try hardswish.exportONNX(lastConv.exportONNX(pooled, to: g), to: g)        // B x outChannels x 1 x T (dropout: identity)
    }
}
