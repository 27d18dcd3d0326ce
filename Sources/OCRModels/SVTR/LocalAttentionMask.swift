/// The additive mask of SVTR's Local mixer (PaddleOCR `Attention(mixer="Local")`): token
/// (h, w) of an H x W grid may attend to (h', w') only inside a kh x kw window around it.
/// Entries are 0 inside the window and -inf outside, row-major over tokens (N x N, N = H*W).
///
/// PaddleOCR builds it by zeroing `[h : h+kh, w : w+kw]` of a padded (H+kh-1) x (W+kw-1) grid and
/// cropping `[kh/2 : H+kh/2, kw/2 : W+kw/2]`, so the window is dh in [-(kh/2), kh-1-kh/2]: symmetric
/// for odd kernels, one longer above/left for even ones. This reproduces that exactly.
public enum LocalAttentionMask {
    /// Whether token (h, w) may attend to (h2, w2).
    public static func allows(from h: Int, _ w: Int, to h2: Int, _ w2: Int, kernel: (h: Int, w: Int)) -> Bool {
        let dh = h2 - h, dw = w2 - w
        return dh >= -(kernel.h / 2) && dh <= kernel.h - 1 - kernel.h / 2
            && dw >= -(kernel.w / 2) && dw <= kernel.w - 1 - kernel.w / 2
    }

    /// N x N values, 0 where attention is allowed and -inf elsewhere.
    public static func values(height: Int, width: Int, kernel: (h: Int, w: Int)) -> [Float] {
        let n = height * width
        var mask = [Float](repeating: -.infinity, count: n * n)
        for i in 0..<n {
            for j in 0..<n where allows(from: i / width, i % width, to: j / width, j % width, kernel: kernel) {
                mask[i * n + j] = 0
            }
        }
        return mask
    }
}
