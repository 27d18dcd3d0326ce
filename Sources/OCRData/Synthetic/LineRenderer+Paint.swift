import Foundation
import Imaging

// Colours and backgrounds: what a printed or written line sits on.
extension LineRenderer {
    /// An RGB colour, 0...255 per channel.
    struct RGB {
        var r: Double, g: Double, b: Double

        init(_ r: Double, _ g: Double, _ b: Double) {
            self.r = r
            self.g = g
            self.b = b
        }

        init(_ c: [Int]) { self.init(Double(c[0]), Double(c[1]), Double(c[2])) }

        /// Relative luminance in 0...1 (Rec. 601 weights, on the stored values).
        var luminance: Double { (0.299 * r + 0.587 * g + 0.114 * b) / 255 }

        func jittered(_ amount: Double, _ random: inout SynthRandom) -> RGB {
            RGB(clampLevel(r + random.symmetric(amount)), clampLevel(g + random.symmetric(amount)), clampLevel(b + random.symmetric(amount)))
        }
    }

    /// Paper tints, RGB: white, off-white, cream, recycled grey, yellowed.
    private static let papers: [RGB] = [
        RGB(252, 252, 250), RGB(246, 244, 238), RGB(244, 238, 222), RGB(236, 234, 228), RGB(240, 232, 208),
        RGB(232, 230, 225),
    ]

    /// Inks of printers and pens, RGB: black, soft black, dark grey, ballpoint blue, navy, dark red,
    /// dark green, sepia. Weights favour black.
    static let inks: [(RGB, Double)] = [
        (RGB(0, 0, 0), 4), (RGB(30, 30, 32), 3), (RGB(70, 70, 72), 1.2), (RGB(20, 40, 140), 1.2),
        (RGB(15, 25, 75), 0.8), (RGB(130, 20, 20), 0.4), (RGB(20, 80, 40), 0.3), (RGB(75, 50, 30), 0.3),
    ]

    /// Handwriting inks favour ballpoint blue, then black.
    static let pens: [(RGB, Double)] = [
        (RGB(20, 40, 140), 3), (RGB(15, 25, 75), 2), (RGB(10, 10, 12), 3), (RGB(60, 60, 70), 1), (RGB(130, 20, 20), 0.5),
    ]

    /// The mask inked over a background, as a BGR image.
    func paint(_ mask: GlyphMask, handwriting: Bool, random: inout SynthRandom) throws -> Image {
        let o = options
        let (w, h) = (mask.width, mask.height)
        let inverted = o.backgroundColor == nil && o.textColor == nil && random.chance(o.invertProb)
        let background = makeBackground(width: w, height: h, inverted: inverted, random: &random)
        let meanLuminance = background.mean.luminance

        var ink: RGB
        if let fixed = o.textColor {
            ink = RGB(fixed)
        } else {
            if inverted {
                ink = RGB(255, 255, 255).jittered(30, &random)
            } else if random.chance(o.colorTextProb) {
                ink = hue(random.unit(), saturation: random.uniform(0.5, 1), value: random.uniform(0.2, 0.8))
            } else {
                let table = handwriting ? LineRenderer.pens : LineRenderer.inks
                ink = table[random.weighted(table.map(\.1))].0.jittered(12, &random)
            }
            // Too faint to read is not a training sample: fall back to the stronger of black and white.
            if abs(ink.luminance - meanLuminance) < o.minContrast {
                ink = meanLuminance > 0.5 ? RGB(0, 0, 0).jittered(20, &random) : RGB(255, 255, 255).jittered(20, &random)
            }
        }
        let opacity = random.uniform(o.inkOpacity)

        var out = [UInt8](repeating: 0, count: w * h * 3)
        let bg = background.pixels
        let inkBGR = [ink.b, ink.g, ink.r].map(Float.init)
        let scale = Float(opacity / 255)
        for i in 0..<(w * h) {
            let a = Float(mask.pixels[i]) * scale
            for c in 0..<3 {
                let v = bg[i * 3 + c] * (1 - a) + inkBGR[c] * a
                out[i * 3 + c] = UInt8(min(255, max(0, v + 0.5)))
            }
        }
        return try Image(width: w, height: h, colorOrder: .bgr, pixels: out)
    }

    struct Background {
        /// BGR, 0...255, width * height * 3.
        var pixels: [Float]
        var mean: RGB
    }

    func makeBackground(width w: Int, height h: Int, inverted: Bool, random: inout SynthRandom) -> Background {
        let o = options
        var pixels = [Float](repeating: 0, count: w * h * 3)
        func fill(_ color: (Int) -> RGB) {
            for i in 0..<(w * h) {
                let c = color(i)
                pixels[i * 3] = Float(c.b)
                pixels[i * 3 + 1] = Float(c.g)
                pixels[i * 3 + 2] = Float(c.r)
            }
        }
        // A base colour: light (or dark when inverted), mostly near-neutral.
        func base() -> RGB {
            if inverted {
                return random.chance(0.5) ? RGB(20, 20, 22).jittered(15, &random)
                    : hue(random.unit(), saturation: random.uniform(0.3, 0.9), value: random.uniform(0.1, 0.35))
            }
            if random.chance(0.8) { return LineRenderer.papers[random.int(below: LineRenderer.papers.count)].jittered(6, &random) }
            return hue(random.unit(), saturation: random.uniform(0.03, 0.25), value: random.uniform(0.8, 1))
        }

        if let fixed = o.backgroundColor {
            let c = RGB(fixed)
            fill { _ in c }
            return Background(pixels: pixels, mean: c)
        }
        switch random.weighted(o.backgrounds.all) {
        case 0:  // solid
            let c = base()
            fill { _ in c }
        case 1:  // gradient
            let a = base(), b = base()
            let angle = random.uniform(0, 2 * Double.pi)
            let (dx, dy) = (cos(angle), sin(angle))
            let extent = max(1, abs(dx) * Double(w) + abs(dy) * Double(h))
            fill { i in
                let (x, y) = (Double(i % w) - Double(w) / 2, Double(i / w) - Double(h) / 2)
                let t = min(1, max(0, (x * dx + y * dy) / extent + 0.5))
                return RGB(a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t)
            }
        case 2:  // noise texture: smooth blotches in one or all channels, plus grain
            let c = base()
            let field = ValueNoise.field(width: w, height: h, cell: random.uniform(4, 40), random: &random)
            let amplitude = random.uniform(10, 35) * (inverted ? 0.6 : 1)
            let grain = random.uniform(2, 8)
            fill { i in
                let v = Double(field[i]) * amplitude + random.pixelGaussian() * grain
                return RGB(clampLevel(c.r + v), clampLevel(c.g + v), clampLevel(c.b + v))
            }
        default:  // paper: tint, large faint blotches, fine grain, sometimes a shadow across it
            let c = base()
            let blotches = ValueNoise.field(width: w, height: h, cell: random.uniform(20, 90), random: &random)
            let blotch = random.uniform(3, 12)
            let grain = random.uniform(1, 4)
            let shadow = random.chance(0.3) ? random.uniform(0.05, 0.25) : 0
            let angle = random.uniform(0, 2 * Double.pi)
            let (dx, dy) = (cos(angle), sin(angle))
            let extent = max(1, abs(dx) * Double(w) + abs(dy) * Double(h))
            fill { i in
                let (x, y) = (Double(i % w) - Double(w) / 2, Double(i / w) - Double(h) / 2)
                let t = min(1, max(0, (x * dx + y * dy) / extent + 0.5))
                let shade = 1 - shadow * t
                let v = Double(blotches[i]) * blotch + random.pixelGaussian() * grain
                return RGB(clampLevel((c.r + v) * shade), clampLevel((c.g + v) * shade), clampLevel((c.b + v) * shade))
            }
        }
        var sum = (0.0, 0.0, 0.0)
        for i in 0..<(w * h) {
            sum.0 += Double(pixels[i * 3 + 2])
            sum.1 += Double(pixels[i * 3 + 1])
            sum.2 += Double(pixels[i * 3])
        }
        let n = Double(max(1, w * h))
        return Background(pixels: pixels, mean: RGB(sum.0 / n, sum.1 / n, sum.2 / n))
    }

    /// HSV to RGB (h, s, v in 0...1).
    func hue(_ h: Double, saturation s: Double, value v: Double) -> RGB {
        let i = Int(h * 6) % 6, f = h * 6 - Double(Int(h * 6))
        let (p, q, t) = (v * (1 - s), v * (1 - f * s), v * (1 - (1 - f) * s))
        let (r, g, b): (Double, Double, Double) = switch i {
        case 0: (v, t, p)
        case 1: (q, v, p)
        case 2: (p, v, t)
        case 3: (p, q, v)
        case 4: (t, p, v)
        default: (v, p, q)
        }
        return RGB(r * 255, g * 255, b * 255)
    }
}

private func clampLevel(_ v: Double) -> Double { min(255, max(0, v)) }
