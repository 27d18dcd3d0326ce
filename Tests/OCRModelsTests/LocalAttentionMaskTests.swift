import XCTest
import NN
import Torch
@testable import OCRModels

/// Expected masks were printed by PaddleOCR's own construction, run in plain Python
/// ("x" = attend, "." = -inf):
///
///     def paddle_mask(H, W, hk, wk):
///         mask = [[[1.0] * (W + wk - 1) for _ in range(H + hk - 1)] for _ in range(H * W)]
///         for h in range(H):
///             for w in range(W):
///                 for a in range(h, h + hk):
///                     for b in range(w, w + wk):
///                         mask[h * W + w][a][b] = 0.0
///         return [[mask[n][a][b] for a in range(hk // 2, H + hk // 2) for b in range(wk // 2, W + wk // 2)]
///                 for n in range(H * W)]
final class LocalAttentionMaskTests: XCTestCase {
    func rows(_ h: Int, _ w: Int, _ k: (Int, Int)) -> [String] {
        let n = h * w, m = LocalAttentionMask.values(height: h, width: w, kernel: (k.0, k.1))
        return (0..<n).map { i in String((0..<n).map { m[i * n + $0] == 0 ? "x" : "." }) }
    }

    func testOddWindowIsCentred() {
        XCTAssertEqual(rows(2, 3, (1, 3)), ["xx....", "xxx...", ".xx...", "...xx.", "...xxx", "....xx"])
        XCTAssertEqual(rows(3, 4, (3, 3)), ["xx..xx......", "xxx.xxx.....", ".xxx.xxx....", "..xx..xx....",
                                            "xx..xx..xx..", "xxx.xxx.xxx.", ".xxx.xxx.xxx", "..xx..xx..xx",
                                            "....xx..xx..", "....xxx.xxx.", ".....xxx.xxx", "......xx..xx"])
    }

    /// Even kernels reach one further up/left than down/right, exactly as PaddleOCR's crop does.
    func testEvenWindowIsPaddleOCRsAsymmetricOne() {
        XCTAssertEqual(rows(2, 2, (2, 2)), ["x...", "xx..", "x.x.", "xxxx"])
    }

    func testMaskValuesAreZeroOrMinusInfinity() {
        let m = LocalAttentionMask.values(height: 8, width: 25, kernel: (7, 11))
        XCTAssertEqual(m.count, 200 * 200)
        XCTAssertTrue(m.allSatisfy { $0 == 0 || $0 == -.infinity })
        // Token (0, 0) sees rows 0...3 and columns 0...5: 4 * 6 = 24 tokens.
        XCTAssertEqual(m[0..<200].filter { $0 == 0 }.count, 24)
        // A central token (4, 12) sees the whole 7 x 11 window.
        let c = 4 * 25 + 12
        XCTAssertEqual(m[(c * 200)..<((c + 1) * 200)].filter { $0 == 0 }.count, 77)
    }

    /// With a 1 x 1 window each token attends only to itself: the mixer becomes proj(v) per token.
    func testLocalAttentionHonoursTheMask() throws {
        let attn = try SVTRAttention(Path("a"), dim: 4, heads: 2, mixer: .local, grid: (2, 3), localKernel: (1, 1),
                                     qkvBias: true, qkScale: nil, attnDrop: 0, projDrop: 0)
        let x = try Tensor.randn([2, 6, 4])
        let y = try attn(x)
        // v = x W_v^T + b_v: rows 2d..<3d of the fused qkv projection.
        let v = try attn.qkv(x).narrow(2, start: 8, length: 4)
        let expected = try attn.proj(v)
        let diff = try (y - expected).abs().max().item()
        XCTAssertLessThan(diff, 1e-5, "max |diff| = \(diff) (limit 1e-5)")
    }
}
