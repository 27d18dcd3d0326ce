import NN
import OCRModels
import Torch

/// One weight-carrying node a module expects in a PaddleOCR (paddle2onnx) export, in forward
/// order. A node "carries weights" when at least one input is a float constant; PaddleOCR's
/// exports also hold fixed numbers that way (hard-swish's 3 and 6, swish's 1, LayerNorm's
/// epsilon, attention's scale), so those are expected too and their values checked: the
/// sequence of such nodes is the architecture's fingerprint, and the first node where file and
/// module disagree is the one an error names.
struct ExpectedNode {
    enum Constant {
        /// A module tensor; `transposed`: the file holds it as its transpose (Linear as MatMul).
        case parameter(path: String, shape: [Int], transposed: Bool)
        /// A number the exporter wrote (any shape with one element).
        case fixed(Float)
        /// Numbers the exporter wrote as a vector (Resize's empty roi and its scales).
        case values([Float])
    }

    var opType: String
    var constants: [Constant]
    /// The module it belongs to, for messages.
    var module: Module
    /// Conv attributes to compare, when the module is a Conv2d or ConvTranspose2d.
    var conv: ConvAttributes?
    /// An arithmetic no-op some paddle2onnx versions write and others do not (a Mul by 1, an Add
    /// of 0): matched when the file has it there, skipped when not. Only fixed constants.
    var optional = false

    /// Whether `w` is this node with the same fixed numbers (for optional nodes).
    func matchesFixed(_ w: PaddleImporter.WeightNode) -> Bool {
        guard w.node.opType == opType, w.constants.count == constants.count else { return false }
        return zip(constants, w.constants).allSatisfy { c, t in
            guard case .fixed(let v) = c else { return false }
            return t.floats.count == 1 && abs(t.floats[0] - v) <= 1e-6 * max(1, abs(v))
        }
    }

    var description: String {
        let cs = constants.map { c -> String in
            switch c {
            case .parameter(_, let shape, let t): "\(t ? shape.reversed() : shape)"
            case .fixed(let v): "=\(v)"
            case .values(let v): "\(v)"
            }
        }
        return "\(opType)(\(cs.joined(separator: ", "))) for \(module.path.description.isEmpty ? "<root>" : module.path.description) (\(module.kind))"
    }
}

/// How each OCRKit module appears in a PaddleOCR inference export (paddle2onnx, opset 11-12):
/// the expected weight-carrying nodes, in forward order. Containers contribute their children in
/// declaration order, which OCRModels keeps equal to forward order for the importable models.
enum PaddleGraphPattern {
    /// The modules of `m` that PaddleOCR's inference export leaves out, with why: DBHead's
    /// threshold branch (inference returns the probability map only). An import keeps their
    /// fresh initial values and says so.
    static func notExported(in m: Module) -> [(module: Module, why: String)] {
        if let head = m as? DBHead { return [(head.thresh, "not in the file, initialised fresh (training only)")] }
        return m.children.flatMap(notExported(in:))
    }

    static func expected(for m: Module) throws -> [ExpectedNode] {
        func param(_ name: String, _ t: Tensor, transposed: Bool = false) -> ExpectedNode.Constant {
            .parameter(path: (m.path / name).description, shape: t.shape, transposed: transposed)
        }
        switch m {
        case let c as Conv2d:
            return [ExpectedNode(opType: "Conv", constants: [param("weight", c.weight)] + (c.bias.map { [param("bias", $0)] } ?? []),
                                 module: m, conv: ConvAttributes(c))]
        case let t as ConvTranspose2d:
            // The bias is a separate Add of a 1 x C x 1 x 1 constant.
            return [ExpectedNode(opType: "ConvTranspose", constants: [param("weight", t.weight)], module: m, conv: ConvAttributes(t))]
                + (t.bias.map { [ExpectedNode(opType: "Add", constants: [param("bias", $0)], module: m)] } ?? [])
        case let b as BatchNorm2d:
            return [ExpectedNode(opType: "BatchNormalization",
                                 constants: [param("weight", b.weight), param("bias", b.bias),
                                             param("running_mean", b.runningMean), param("running_var", b.runningVar)], module: m)]
        case let l as Linear:
            // Paddle's Linear weight is in x out: MatMul(x, W) then Add(b).
            return [ExpectedNode(opType: "MatMul", constants: [param("weight", l.weight, transposed: true)], module: m)]
                + (l.bias.map { [ExpectedNode(opType: "Add", constants: [param("bias", $0)], module: m)] } ?? [])
        case let n as LayerNorm:
            // paddle2onnx decomposes it: mean, x - mean, Pow 2, mean, + eps, Sqrt, Div, Mul w, Add b.
            return [ExpectedNode(opType: "Pow", constants: [.fixed(2)], module: m),
                    ExpectedNode(opType: "Add", constants: [.fixed(Float(n.eps))], module: m),
                    ExpectedNode(opType: "Mul", constants: [param("weight", n.weight)], module: m),
                    ExpectedNode(opType: "Add", constants: [param("bias", n.bias)], module: m)]
        case let a as LearnableAffineBlock:
            return [ExpectedNode(opType: "Mul", constants: [param("scale", a.scale)], module: m),
                    ExpectedNode(opType: "Add", constants: [param("bias", a.bias)], module: m)]
        case let a as Activation:
            switch a.function {
            case .hardSwish:   // x * clip(x + 3, 0, 6) / 6
                return [ExpectedNode(opType: "Add", constants: [.fixed(3)], module: m),
                        ExpectedNode(opType: "Clip", constants: [.fixed(0), .fixed(6)], module: m),
                        ExpectedNode(opType: "Div", constants: [.fixed(6)], module: m)]
            case .gelu:        // x * (1 + erf(x / sqrt 2)) * 0.5 (exact GELU)
                return [ExpectedNode(opType: "Div", constants: [.fixed(Float(2.0.squareRoot()))], module: m),
                        ExpectedNode(opType: "Add", constants: [.fixed(1)], module: m),
                        ExpectedNode(opType: "Mul", constants: [.fixed(0.5)], module: m)]
            case .swish:       // x * sigmoid(x); PP-OCRv4's files write sigmoid(1 * x)
                return [ExpectedNode(opType: "Mul", constants: [.fixed(1)], module: m, optional: true)]
            case .relu, .sigmoid, .identity:
                return []
            default:
                throw ImportError("no PaddleOCR export pattern for activation \(a.function.rawValue) at \(m.path)")
            }
        case let attention as SVTRAttention:
            // qkv, the scale as a constant Mul on q (PP-OCRv6's files add 0 after it: Paddle's
            // `scale` op with its bias), then the projection.
            return try expected(for: attention.qkv) + [ExpectedNode(opType: "Mul", constants: [.fixed(Float(attention.scale))], module: m),
                                                       ExpectedNode(opType: "Add", constants: [.fixed(0)], module: m, optional: true)]
                + expected(for: attention.proj)
        case let fpn as RSEFPN:
            return try pyramid(fpn, lateral: fpn.insConv, smooth: fpn.inpConv)
        case let fpn as RepLKFPN:
            return try pyramid(fpn, lateral: fpn.insConv, smooth: fpn.inpConv)
        case let head as DBHead:
            return try expected(for: head.binarize)
        case let block as SVTRBlock where block.prenorm:
            return try [block.mixer, block.norm1, block.mlp, block.norm2].flatMap { try expected(for: $0) }
        default:
            guard m.namedParameters().count == m.children.reduce(0, { $0 + $1.namedParameters().count }) else {
                throw ImportError("no PaddleOCR export pattern for \(m.kind) at \(m.path): it holds its own parameters")
            }
            return try m.children.flatMap { try expected(for: $0) }
        }
    }

    /// An FPN neck as PaddleOCR's forward writes it (RSEFPN, RepLKFPN): laterals coarsest first,
    /// the top-down sum (three 2x nearest Resizes), smoothing coarsest first, then p5, p4, p3
    /// upsampled by 8, 4 and 2.
    private static func pyramid(_ fpn: Module, lateral: [Module], smooth: [Module]) throws -> [ExpectedNode] {
        let ins = try lateral.reversed().flatMap { try expected(for: $0) }
        let smoothing = try smooth.reversed().flatMap { try expected(for: $0) }
        return ins + [2, 2, 2].map { resize($0, fpn) } + smoothing + [8, 4, 2].map { resize($0, fpn) }
    }

    /// paddle2onnx's nearest upsampling by `factor`: Resize(x, roi [], scales [1, 1, f, f]).
    private static func resize(_ factor: Float, _ m: Module) -> ExpectedNode {
        ExpectedNode(opType: "Resize", constants: [.values([]), .values([1, 1, factor, factor])], module: m)
    }
}

/// The attributes of a Conv or ConvTranspose node a module's conv must have in the file.
struct ConvAttributes {
    var kernel: [Int], stride: [Int], padding: [Int], dilation: [Int], groups: Int

    init(_ c: Conv2d) {
        (kernel, stride, dilation, groups) = ([c.kernel.0, c.kernel.1], [c.stride.0, c.stride.1], [c.dilation.0, c.dilation.1], c.groups)
        padding = [c.padding.0, c.padding.1, c.padding.0, c.padding.1]
    }

    init(_ c: ConvTranspose2d) {
        (kernel, stride, dilation, groups) = ([c.kernel.0, c.kernel.1], [c.stride.0, c.stride.1], [c.dilation.0, c.dilation.1], c.groups)
        padding = [c.padding.0, c.padding.1, c.padding.0, c.padding.1]
    }
}
