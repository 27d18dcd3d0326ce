import OCRData

extension LineBatch {
    /// Entry `i` as H x W x 3 BGR bytes, cropped to its valid width: (x / 255 - 0.5) / 0.5 undone.
    /// A one-channel batch gives its gray value in all three channels. For reports' galleries.
    public func image(at i: Int) -> (width: Int, height: Int, pixels: [UInt8]) {
        let (c, h, w) = (channels, height, width)
        let valid = min(max(validWidths[i], 1), w)
        var out = [UInt8](repeating: 0, count: h * valid * 3)
        let base = i * c * h * w
        for y in 0..<h {
            for x in 0..<valid {
                for ch in 0..<3 {
                    let v = pixels[base + min(ch, c - 1) * h * w + y * w + x]
                    out[(y * valid + x) * 3 + ch] = UInt8(max(0, min(255, ((v * 0.5 + 0.5) * 255).rounded())))
                }
            }
        }
        return (valid, h, out)
    }
}
