import NN
import Torch

/// One SVTR block (PaddleOCR `Block`): a token mixer and an MLP, each a residual branch with
/// stochastic depth. `prenorm` false (SVTR-Tiny's setting) normalises each branch's input
/// (x + mixer(norm1(x))); true normalises after the sum (norm1(x + mixer(x))).
/// Paths: `<p>/norm1`, `<p>/mixer/...`, `<p>/norm2`, `<p>/mlp/{fc1,fc2}`.
public final class SVTRBlock: Module, UnaryLayer {
    public let norm1: LayerNorm
    public let mixer: any UnaryLayer
    public let dropPath: DropPath
    public let norm2: LayerNorm
    public let mlp: Mlp
    public let prenorm: Bool

    public init(_ p: Path, dim: Int, heads: Int, mixer: SVTRAttention.Mixer, grid: (h: Int, w: Int),
                localKernel: (h: Int, w: Int), mlpRatio: Double, qkvBias: Bool, qkScale: Double?, drop: Double,
                attnDrop: Double, dropPath: Double, act: Activation.Function, epsilon: Double, prenorm: Bool) throws {
        norm1 = try LayerNorm(p / "norm1", dim, eps: epsilon)
        switch mixer {
        case .global, .local:
            self.mixer = try SVTRAttention(p / "mixer", dim: dim, heads: heads, mixer: mixer, grid: grid,
                                           localKernel: localKernel, qkvBias: qkvBias, qkScale: qkScale,
                                           attnDrop: attnDrop, projDrop: drop)
        case .conv:
            self.mixer = try ConvMixer(p / "mixer", dim: dim, heads: heads, grid: grid, kernel: localKernel)
        }
        self.dropPath = DropPath(p / "drop_path", p: dropPath)
        norm2 = try LayerNorm(p / "norm2", dim, eps: epsilon)
        mlp = try Mlp(p / "mlp", in: dim, hidden: Int(Double(dim) * mlpRatio), act: act, drop: drop)
        self.prenorm = prenorm
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        if prenorm {
            let y = try norm1(x + dropPath(mixer(x)))
            return try norm2(y + dropPath(mlp(y)))
        }
        let y = try x + dropPath(mixer(norm1(x)))
        return try y + dropPath(mlp(norm2(y)))
    }

    public override var attributes: [(name: String, value: LayerAttribute)] { [("prenorm", .bool(prenorm))] }
}
