import Imaging

/// An 8-bit coverage mask of rendered text (0 background, 255 ink) with where its baseline and
/// line box are: what the rasteriser returns and what the geometric effects work on, before any
/// colour is applied.
struct GlyphMask {
    var width: Int
    var height: Int
    var pixels: [UInt8]
    /// y of the baseline (rows above it are above the baseline).
    var baselineY: Int
    var originX: Double
    var advance: Double
    /// The line box around the baseline, pixels (ascender > 0 > descender).
    var ascender: Double
    var descender: Double
    /// Tight box around the ink; nil when nothing was drawn.
    var ink: PixelBox?

    /// Recomputes `ink` from the pixels (after distorting or drawing).
    mutating func measureInk() {
        var l = width, t = height, r = 0, b = 0
        for y in 0..<height {
            let row = y * width
            for x in 0..<width where pixels[row + x] != 0 {
                l = min(l, x); r = max(r, x + 1); t = min(t, y); b = max(b, y + 1)
            }
        }
        ink = r > l ? PixelBox(left: l, top: t, right: r, bottom: b) : nil
    }

    /// A filled rectangle of ink (underlines), clipped to the mask.
    mutating func fill(_ box: PixelBox) {
        for y in max(0, box.top)..<min(height, box.bottom) {
            for x in max(0, box.left)..<min(width, box.right) { pixels[y * width + x] = 255 }
        }
    }

    /// `box` (which may reach outside the mask) cut out, with `margins` blank pixels added around it.
    func cropped(to box: PixelBox, left: Int, top: Int, right: Int, bottom: Int) -> GlyphMask {
        let w = box.width + left + right, h = box.height + top + bottom
        var out = [UInt8](repeating: 0, count: w * h)
        for y in 0..<box.height {
            let sy = box.top + y
            guard sy >= 0 && sy < height else { continue }
            for x in 0..<box.width {
                let sx = box.left + x
                guard sx >= 0 && sx < width else { continue }
                out[(y + top) * w + x + left] = pixels[sy * width + sx]
            }
        }
        var m = GlyphMask(width: w, height: h, pixels: out, baselineY: baselineY - box.top + top,
                          originX: originX - Double(box.left - left), advance: advance, ascender: ascender,
                          descender: descender, ink: nil)
        m.measureInk()
        return m
    }

    /// Elastic distortion (Simard et al. 2003): every pixel moves by a smooth random displacement of
    /// up to about `amplitude` pixels that changes over `scale` pixels - wobbly strokes, as a hand
    /// draws them.
    func elasticallyDistorted(amplitude: Double, scale: Double, random: inout SynthRandom) -> GlyphMask {
        guard amplitude > 0 else { return self }
        let dx = ValueNoise.field(width: width, height: height, cell: scale, random: &random)
        let dy = ValueNoise.field(width: width, height: height, cell: scale, random: &random)
        var out = [UInt8](repeating: 0, count: pixels.count)
        let a = Float(amplitude)
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x
                let v = sample(Float(x) + a * dx[i], Float(y) + a * dy[i])
                out[i] = UInt8(min(255, max(0, v + 0.5)))
            }
        }
        var m = self
        m.pixels = out
        m.measureInk()
        return m
    }

    /// Bilinear sample; outside the mask reads 0.
    private func sample(_ x: Float, _ y: Float) -> Float {
        let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
        let fx = x - Float(x0), fy = y - Float(y0)
        func at(_ xx: Int, _ yy: Int) -> Float {
            xx >= 0 && xx < width && yy >= 0 && yy < height ? Float(pixels[yy * width + xx]) : 0
        }
        let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
        let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
        return top * (1 - fy) + bottom * fy
    }

    /// The mask warped by the homography taking its corners to `corners` (top-left, top-right,
    /// bottom-right, bottom-left), onto a canvas just large enough to hold them.
    func warped(to corners: [Point2f]) throws -> GlyphMask {
        let minX = corners.map(\.x).min()!, minY = corners.map(\.y).min()!
        let shifted = corners.map { Point2f($0.x - minX, $0.y - minY) }
        let w = Int((corners.map(\.x).max()! - minX).rounded(.up)), h = Int((corners.map(\.y).max()! - minY).rounded(.up))
        let source = [Point2f(0, 0), Point2f(Float(width), 0), Point2f(Float(width), Float(height)),
                      Point2f(0, Float(height))]
        let matrix = try perspectiveTransform(from: source, to: shifted)
        let image = try Image(width: width, height: height, colorOrder: .gray, pixels: pixels)
        let out = try image.warpedPerspective(matrix: matrix, width: max(w, 1), height: max(h, 1),
                                              interpolation: .linear, border: .constant, borderValue: [0])
        var m = self
        m.width = out.width
        m.height = out.height
        m.pixels = out.pixels
        m.measureInk()
        return m
    }
}

/// Smooth random fields: values on a grid `cell` pixels apart, drawn uniformly in [-1, 1] and
/// blended with a smoothstep between grid points. Cheaper than blurring white noise, and as smooth.
enum ValueNoise {
    static func field(width: Int, height: Int, cell: Double, random: inout SynthRandom) -> [Float] {
        let cell = max(cell, 1)
        let gw = Int(Double(width) / cell) + 2, gh = Int(Double(height) / cell) + 2
        var grid = [Float](repeating: 0, count: gw * gh)
        for i in grid.indices { grid[i] = Float(random.uniform(-1, 1)) }
        var out = [Float](repeating: 0, count: width * height)
        let inv = 1 / cell
        // Column weights are the same on every row: compute them once.
        var cx = [Int](repeating: 0, count: width), tx = [Float](repeating: 0, count: width)
        for x in 0..<width {
            let f = Double(x) * inv
            cx[x] = Int(f)
            tx[x] = smoothstep(Float(f - Double(cx[x])))
        }
        for y in 0..<height {
            let f = Double(y) * inv
            let gy = Int(f)
            let ty = smoothstep(Float(f - Double(gy)))
            let r0 = gy * gw, r1 = (gy + 1) * gw
            for x in 0..<width {
                let g = cx[x], t = tx[x]
                let top = grid[r0 + g] + (grid[r0 + g + 1] - grid[r0 + g]) * t
                let bottom = grid[r1 + g] + (grid[r1 + g + 1] - grid[r1 + g]) * t
                out[y * width + x] = top + (bottom - top) * ty
            }
        }
        return out
    }

    private static func smoothstep(_ t: Float) -> Float { t * t * (3 - 2 * t) }
}
