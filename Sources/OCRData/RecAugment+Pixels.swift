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
    /// brightness.
    func colorJitter(_ img: Image, rng: inout SplitMix64) throws -> Image {
        let b = Float(rng.nextDouble(in: -brightness, brightness) * 255)
        let k = Float(rng.nextDouble(in: 1 - contrast, 1 + contrast))
        let s = Float(rng.nextDouble(in: 1 - saturation, 1 + saturation))
        let c = img.channels
        let colour = c >= 3
        var pixels = img.pixels
        let n = img.width * img.height
        pixels.withUnsafeMutableBufferPointer { p in
            var sum: Float = 0
            for i in 0..<n { sum += Float(p[i * c]) + (colour ? Float(p[i * c + 1]) + Float(p[i * c + 2]) : 0) }
            let mean = sum / Float(n * (colour ? 3 : 1))
            let offset = mean * (1 - k) + b
            for i in 0..<n {
                let o = i * c
                if colour {
                    // BT.601 weights; B, G, R order (RGB images get R and B weights swapped, which
                    // only shifts the gray point of the blend slightly).
                    let gray = 0.114 * Float(p[o]) + 0.587 * Float(p[o + 1]) + 0.299 * Float(p[o + 2])
                    for j in 0..<3 {
                        let v = (gray + (Float(p[o + j]) - gray) * s) * k + offset
                        p[o + j] = UInt8(max(0, min(255, v.rounded())))
                    }
                } else {
                    p[o] = UInt8(max(0, min(255, (Float(p[o]) * k + offset).rounded())))
                }
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

    /// Adds zero-mean noise with sigma uniform in [0, noiseSigma]. Each value is an Irwin-Hall
    /// sum of four 16-bit uniforms from one generator draw (close to Gaussian, and one `next()`
    /// per byte instead of a log, a sqrt and a cos).
    func noise(_ img: Image, rng: inout SplitMix64) throws -> Image {
        let sigma = Float(rng.nextDouble() * noiseSigma)
        // Sum of 4 U(0,1) has mean 2 and variance 1/3.
        let scale = sigma * Float(3.0.squareRoot()) / 65535
        var pixels = img.pixels
        pixels.withUnsafeMutableBufferPointer { p in
            for i in 0..<p.count {
                let r = rng.next()
                let sum = Float(r & 0xFFFF) + Float((r >> 16) & 0xFFFF) + Float((r >> 32) & 0xFFFF) + Float(r >> 48)
                let v = Float(p[i]) + (sum - 2 * 65535) * scale
                p[i] = UInt8(max(0, min(255, v.rounded())))
            }
        }
        return try Image(width: img.width, height: img.height, colorOrder: img.colorOrder, pixels: pixels)
    }

    func mapBytes(_ img: Image, _ f: (UInt8) -> UInt8) throws -> Image {
        try Image(width: img.width, height: img.height, colorOrder: img.colorOrder, pixels: img.pixels.map(f))
    }
}
