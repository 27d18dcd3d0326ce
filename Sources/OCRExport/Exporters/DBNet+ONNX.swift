import NN
import OCRModels
import Torch

// ONNX exporters for the DB text detector: detection MobileNetV3 -> DBFPN or RSEFPN -> the DB
// head's probability branch. Only the probability map P is emitted - the threshold branch and the
// binary map exist for the loss alone, as `DBNet.callAsFunction` runs them - so the graph holds
// what inference needs and nothing else. H and W stay symbolic: every op is convolutional or a
// fixed-factor resize, so one graph serves any size the model takes (multiples of 32).

/// A DB backbone that can write itself into a graph: the image in, the four pyramid maps out
/// (strides 4, 8, 16, 32), as `DetectionBackbone.features`.
protocol DetectionBackboneONNX {
    func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> [ONNXValue]
}

extension DetMobileNetV3: DetectionBackboneONNX {
    /// The four stage outputs, finest first (strides 4, 8, 16, 32), as `callAsFunction`.
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> [ONNXValue] {
        var y = try conv.exportONNX(x, to: g)
        var outputs: [ONNXValue] = []
        for stage in stages {
            y = try stage.exportONNX(y, to: g)
            outputs.append(y)
        }
        return outputs
    }
}

extension RSELayer: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        let y = try inConv.exportONNX(x, to: g)
        let se = try seBlock.exportONNX(y, to: g)
        return shortcut ? try g.add(y, se, scope: path) : se
    }
}

/// A DB neck that can write itself into a graph: the four pyramid maps in, the fused map out.
protocol DetectionNeckONNX {
    func exportONNX(_ features: [ONNXValue], to g: ONNXGraphBuilder) throws -> ONNXValue
}

extension DBFPN: DetectionNeckONNX {
    func exportONNX(_ features: [ONNXValue], to g: ONNXGraphBuilder) throws -> ONNXValue {
        let lateral = try zip([in2Conv, in3Conv, in4Conv, in5Conv], features).map { try $0.exportONNX($1, to: g) }
        return try exportFusedPyramid(lateral: lateral, smooth: [p2Conv, p3Conv, p4Conv, p5Conv], scope: path, to: g)
    }
}

extension RSEFPN: DetectionNeckONNX {
    func exportONNX(_ features: [ONNXValue], to g: ONNXGraphBuilder) throws -> ONNXValue {
        let lateral = try zip(insConv, features).map { try $0.exportONNX($1, to: g) }
        return try exportFusedPyramid(lateral: lateral, smooth: inpConv, scope: path, to: g)
    }
}

extension RepLKFPN: DetectionNeckONNX {
    func exportONNX(_ features: [ONNXValue], to g: ONNXGraphBuilder) throws -> ONNXValue {
        let lateral = try zip(insConv, features).map { try $0.exportONNX($1, to: g) }
        return try exportFusedPyramid(lateral: lateral, smooth: inpConv, scope: path, to: g)
    }
}

extension LargeKernelRSE: ONNXExportable {
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        try rse.exportONNX(lkConv.exportONNX(x, to: g), to: g)
    }
}

/// OCRModels' `fusePyramid` in ONNX: top-down sums with 2x nearest upsampling, each level
/// smoothed and brought to H/4 x W/4 by nearest upsampling (x8, x4, x2), concatenated coarsest
/// first. The factors are exact because H and W are multiples of 32, so Resize by scale gives
/// LibTorch's `interpolate(size: 2h x 2w, nearest)` sample for sample.
func exportFusedPyramid(lateral ins: [ONNXValue], smooth: [any ONNXExportable], scope: Path,
                        to g: ONNXGraphBuilder) throws -> ONNXValue {
    func up(_ x: ONNXValue, _ f: Int) throws -> ONNXValue { try g.resize(x, scale: (f, f), mode: .nearest, scope: scope) }
    let out4 = try g.add(ins[2], up(ins[3], 2), scope: scope)                 // 1/16
    let out3 = try g.add(ins[1], up(out4, 2), scope: scope)                   // 1/8
    let out2 = try g.add(ins[0], up(out3, 2), scope: scope)                   // 1/4
    let p5 = try up(smooth[3].exportONNX(ins[3], to: g), 8)
    let p4 = try up(smooth[2].exportONNX(out4, to: g), 4)
    let p3 = try up(smooth[1].exportONNX(out3, to: g), 2)
    let p2 = try smooth[0].exportONNX(out2, to: g)
    return try g.op("Concat", [p5, p4, p3, p2], [.int("axis", 1)], scope: scope)
}

extension DBHeadBranch: ONNXExportable {
    /// conv -> BN -> ReLU -> transposed conv -> BN -> ReLU -> transposed conv -> sigmoid; with
    /// `ExportOptions.foldBatchNorm` each BatchNorm is folded into the (transposed) conv before it.
    /// A `foldedBN` branch has no BatchNorm to fold or write: its convs carry the biases.
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        let y: ONNXValue, z: ONNXValue
        if let convBN1, let convBN2, g.options.foldBatchNorm {
            let f1 = try BatchNormFolding.fold(conv: conv1, bn: convBN1)
            y = try conv1.emitConv(x, weight: folded(f1.weight, conv1.path, convBN1.path, "weight", g),
                                   bias: folded(f1.bias, conv1.path, convBN1.path, "bias", g), to: g)
            let f2 = try BatchNormFolding.fold(transposed: conv2, bn: convBN2)
            z = try conv2.emitConvTranspose(relu1.exportONNX(y, to: g), weight: folded(f2.weight, conv2.path, convBN2.path, "weight", g),
                                            bias: folded(f2.bias, conv2.path, convBN2.path, "bias", g), to: g)
        } else {
            let c1 = try conv1.exportONNX(x, to: g)
            y = try convBN1.map { try $0.exportONNX(c1, to: g) } ?? c1
            let c2 = try conv2.exportONNX(relu1.exportONNX(y, to: g), to: g)
            z = try convBN2.map { try $0.exportONNX(c2, to: g) } ?? c2
        }
        return try sigmoid.exportONNX(conv3.exportONNX(relu2.exportONNX(z, to: g), to: g), to: g)
    }

    /// An initializer `<conv>/<name>` holding a folded parameter, its doc string naming the norm.
    private func folded(_ t: Tensor, _ conv: Path, _ bn: Path, _ name: String, _ g: ONNXGraphBuilder) throws -> ONNXValue {
        try g.addInitializer(ONNXTensor(name: (conv / name).description, tensor: t, docString: "\(conv) with \(bn) (eval statistics) folded in"))
    }
}

extension DBNet: ONNXExportable {
    /// Backbone -> neck -> the probability branch: B x 1 x H x W, what `callAsFunction` returns.
    public func exportONNX(_ x: ONNXValue, to g: ONNXGraphBuilder) throws -> ONNXValue {
        guard let neck = neck as? any DetectionNeckONNX else {
            throw ExportError.unsupportedModule(path: neck.path.description, kind: neck.kind)
        }
        guard let backbone = backbone as? any DetectionBackboneONNX else {
            throw ExportError.unsupportedModule(path: backbone.path.description, kind: backbone.kind)
        }
        return try head.binarize.exportONNX(neck.exportONNX(backbone.exportONNX(x, to: g), to: g), to: g)
    }
}
