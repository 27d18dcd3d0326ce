import Foundation
import Imaging

// The per-pixel operations, on the bytes directly.
extension RecAugment {
    /// PaddleOCR `get_crop`: 1...cropMax rows off the top or the bottom (at least one row stays).
    func crop(_ img: Image, rng: inout SplitMix64) throws -> Image {
        let cut = min(rng.nextInt(in: 1...cropMax), img.height - 1)
        let fromTop = rng.nextInt(below: 2) == 1
        let rowBytes = img.width * img.channels
        let start = fromTop ? cut * rowBytes : 0
        let rows = img.height - cut
        return try Image(width: img.width, height: rows, colorOrder: img.colorOrder,
                         pixels: Array(img.pixels[start..<start + rows * rowBytes]))
    }

    /// Saturation (blend with the pixel's gray), then contrast about the image mean, then
    /// brightness. Per channel that is one affine function of the value and the pixel's gray:
    /// v' = (g + (v - g) s) k + m (1 - k) + b = v s k + g (1 - s) k + m (1 - k) + b.
    func colorJitter(_ img: Image, rng: inout SplitMix64) throws -> Image {
        let b = Float(rng.nextDouble(in: -brightness, brightness) * 255)
        let k = Float(rng.nextDouble(in: 1 - contrast, 1 + contrast))
        let s = Float(rng.nextDouble(in: 1 - saturation, 1 + saturation))
        let c = img.channels
        let colour = c >= 3
        var pixels = img.pixels
        let n = img.width * img.height
        pixels.withUnsafeMutableBufferPointer { buffer in
            let p = buffer.baseAddress!
            var sum = 0
            for i in 0..<n { sum += Int(p[i * c]) + (colour ? Int(p[i * c + 1]) + Int(p[i * c + 2]) : 0) }
            let mean = Float(sum) / Float(n * (colour ? 3 : 1))
            // + 0.5 then truncation rounds (the value is clamped to >= 0 first).
            let offset = mean * (1 - k) + b + 0.5
            if colour {
                let (sk, gk) = (s * k, (1 - s) * k)
                for i in 0..<n {
                    let o = p + i * c
                    let (v0, v1, v2) = (Float(o[0]), Float(o[1]), Float(o[2]))
                    // BT.601 weights in B, G, R order (for RGB images R and B swap roles, which
                    // only moves the gray point of the blend a little).
                    let g = (0.114 * v0 + 0.587 * v1 + 0.299 * v2) * gk + offset
                    o[0] = UInt8(min(255, max(0, v0 * sk + g)))
                    o[1] = UInt8(min(255, max(0, v1 * sk + g)))
                    o[2] = UInt8(min(255, max(0, v2 * sk + g)))
                }
            } else {
                for i in 0..<n { p[i * c] = UInt8(min(255, max(0, Float(p[i * c]) * k + offset))) }
            }
        }
        return try Image(width: img.width, height: img.height, colorOrder: img.colorOrder, pixels: pixels)
    }

    /// PaddleOCR `jitter`: for i in 0..<d, `img[i:, i:] = src[:h-i, :w-i]`, i.e. pixel (y, x)
    /// takes src[y - m][x - m] with m = min(d - 1, y, x): a diagonal shift by d - 1 with the top
    /// and left edges smeared. Here d - 1 (the visible shift) is drawn in 1...jitterMaxShift.
    func jitter(_ img: Image, rng: inout SplitMix64) throws -> Image {
        let shift = rng.nextInt(in: 1...jitterMaxShift)
        let (w, h, c) = (img.width, img.height, img.channels)
        var out = img.pixels
        img.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<h {
                    for x in 0..<w {
                        let m = min(shift, y, x)
                        guard m > 0 else { continue }
                        let (d, s) = ((y * w + x) * c, ((y - m) * w + x - m) * c)
                        for k in 0..<c { dst[d + k] = src[s + k] }
                    }
                }
            }
        }
        return try Image(width: w, height: h, colorOrder: img.colorOrder, pixels: out)
    }

    /// Adds zero-mean Gaussian noise with sigma uniform in [0, noiseSigma]. Each value is a
    /// normal quantile looked up with 12 random bits (`GaussianTable`): five values per
    /// generator draw, no log/sqrt/cos per byte.
    func noise(_ img: Image, rng: inout SplitMix64) throws -> Image {
        let sigma = Float(rng.nextDouble() * noiseSigma)
        var pixels = img.pixels
        GaussianTable.quantiles.withUnsafeBufferPointer { table in
            pixels.withUnsafeMutableBufferPointer { p in
                var bits: UInt64 = 0
                var left = 0
                for i in 0..<p.count {
                    if left == 0 { (bits, left) = (rng.next(), 5) }
                    let z = table[Int(bits & 0xFFF)]
                    bits >>= 12
                    left -= 1
                    p[i] = UInt8(min(255, max(0, Float(p[i]) + z * sigma + 0.5)))
                }
            }
        }
        return try Image(width: img.width, height: img.height, colorOrder: img.colorOrder, pixels: pixels)
    }

    func mapBytes(_ img: Image, _ f: (UInt8) -> UInt8) throws -> Image {
        try Image(width: img.width, height: img.height, colorOrder: img.colorOrder, pixels: img.pixels.map(f))
    }
}

/// 4096 standard normal quantiles at (k + 0.5) / 4096: sampling one uniformly gives a normal
/// draw, exact up to binning (|z| <= 3.5).
enum GaussianTable {
    static let quantiles: [Float] = (0..<4096).map { Float(inverseNormalCDF((Double($0) + 0.5) / 4096)) }

    /// Acklam's rational approximation (relative error < 1.2e-9).
    static func inverseNormalCDF(_ p: Double) -> Double {
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                 -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                 -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        func tail(_ q: Double) -> Double {
            (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p < 0.02425 { return tail((-2 * log(p)).squareRoot()) }
        if p > 1 - 0.02425 { return -tail((-2 * log(1 - p)).squareRoot()) }
        let q = p - 0.5, r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
            / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }
}
