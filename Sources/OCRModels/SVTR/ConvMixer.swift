import NN
import Torch

/// SVTR's Conv mixer (PaddleOCR `ConvMixer`): a grouped kh x kw conv (one group per head) over
/// the token grid. Paths: `<p>/local_mixer/{weight,bias}`.
public final class ConvMixer: Module, UnaryLayer {
    public let dim: Int, grid: (h: Int, w: Int)
    public let localMixer: Conv2d

    public init(_ p: Path, dim: Int, heads: Int, grid: (h: Int, w: Int), kernel: (h: Int, w: Int)) throws {
        self.dim = dim
        self.grid = grid
        localMixer = try Conv2d(p / "local_mixer", dim, dim, kernel: (kernel.h, kernel.w),
                                padding: (kernel.h / 2, kernel.w / 2), groups: heads)
        super.init(p)
        try SVTRInit.kaimingNormal(localMixer)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        let b = x.size(0)
        let map = try x.transpose(1, 2).reshape([b, dim, grid.h, grid.w])   // B x N x C -> B x C x H x W
        return try localMixer(map).flatten(2).transpose(1, 2)               // B x C x H x W -> B x N x C
    }
}
