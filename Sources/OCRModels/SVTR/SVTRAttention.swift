import NN
import Torch

/// SVTR's multi-head self-attention mixer (PaddleOCR `Attention`), Global or Local. Local adds
/// `LocalAttentionMask` to the scores before the softmax, as PaddleOCR does (full N x N scores,
/// masked), so an exported graph matches it op for op. The mask is a constant, not a parameter
/// (PaddleOCR keeps it out of the state dict too).
/// Paths: `<p>/qkv/{weight,bias}`, `<p>/proj/{weight,bias}`.
public final class SVTRAttention: Module, UnaryLayer {
    public enum Mixer: String, Sendable, CaseIterable { case global = "Global", local = "Local", conv = "Conv" }

    public let dim: Int, heads: Int, headDim: Int, scale: Double
    public let mixer: Mixer
    /// 1 x 1 x N x N, for the Local mixer only.
    public let mask: Tensor?
    public let grid: (h: Int, w: Int)?, localKernel: (h: Int, w: Int)
    public let qkv: Linear, attnDrop: Dropout, proj: Linear, projDrop: Dropout

    public init(_ p: Path, dim: Int, heads: Int, mixer: Mixer, grid: (h: Int, w: Int)?, localKernel: (h: Int, w: Int),
                qkvBias: Bool, qkScale: Double?, attnDrop: Double, projDrop: Double) throws {
        guard dim % heads == 0 else { throw ModelError(.invalidConfig, "SVTR attention \(p): dim \(dim) not divisible by \(heads) heads") }
        self.dim = dim
        self.heads = heads
        headDim = dim / heads
        scale = qkScale ?? 1 / Double(dim / heads).squareRoot()
        self.mixer = mixer
        self.grid = grid
        self.localKernel = localKernel
        if mixer == .local, let g = grid {
            let n = g.h * g.w
            mask = try Tensor(LocalAttentionMask.values(height: g.h, width: g.w, kernel: localKernel), shape: [1, 1, n, n])
        } else {
            mask = nil
        }
        qkv = try Linear(p / "qkv", dim, 3 * dim, bias: qkvBias)
        self.attnDrop = Dropout(p / "attn_drop", p: attnDrop)
        proj = try Linear(p / "proj", dim, dim)
        self.projDrop = Dropout(p / "proj_drop", p: projDrop)
        super.init(p)
        if let mask { registerConstant(mask) }   // moves with the model to a GPU
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let b = x.size(0), n = x.size(1)
        // B x N x 3C -> B x N x 3 x heads x d -> 3 x B x heads x N x d
        let qkv = try self.qkv(x).reshape([b, n, 3, heads, headDim]).permute([2, 0, 3, 1, 4])
        let q = try qkv.narrow(0, start: 0, length: 1).squeeze(0) * scale
        let k = try qkv.narrow(0, start: 1, length: 1).squeeze(0)
        let v = try qkv.narrow(0, start: 2, length: 1).squeeze(0)
        var attn = try q.matmul(k.transpose(2, 3))                  // B x heads x N x N
        if let mask { attn = try attn + mask }
        attn = try attnDrop(attn.softmax(dim: 3))
        // B x heads x N x d -> B x N x heads x d -> B x N x C
        let y = try attn.matmul(v).permute([0, 2, 1, 3]).reshape([b, n, dim])
        return try projDrop(proj(y))
    }

    public override var kind: String { "SVTRAttention(\(mixer.rawValue))" }
    public override var attributes: [(name: String, value: LayerAttribute)] {
        var a: [(name: String, value: LayerAttribute)] = [("dim", .int(dim)), ("heads", .int(heads)), ("scale", .double(scale)),
                                                          ("mixer", .string(mixer.rawValue))]
        if let g = grid { a.append(("hw", .ints([g.h, g.w]))) }
        if mixer == .local { a.append(("local_k", .ints([localKernel.h, localKernel.w]))) }
        return a
    }
}
