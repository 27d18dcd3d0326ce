/// The draws synthetic rendering needs, over `SplitMix64`. Written out here (not `Double.random(in:
/// using:)`) so a (seed, index) renders the same image whatever the Swift standard library version.
struct SynthRandom {
    var generator: SplitMix64

    init(_ generator: SplitMix64) { self.generator = generator }

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    /// An independent stream for one part of the work (text choice, rendering).
    mutating func fork() -> SynthRandom { SynthRandom(seed: generator.next()) }

    mutating func next() -> UInt64 { generator.next() }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(generator.next() >> 11) * 0x1p-53 }

    mutating func uniform(_ lower: Double, _ upper: Double) -> Double { lower + (upper - lower) * unit() }

    mutating func uniform(_ interval: RenderOptions.Interval) -> Double { uniform(interval.lower, interval.upper) }

    /// Uniform in [-magnitude, magnitude].
    mutating func symmetric(_ magnitude: Double) -> Double { uniform(-magnitude, magnitude) }

    /// Uniform in 0..<n (n > 0); Lemire's multiply-shift, bias below 2^-64 * n.
    mutating func int(below n: Int) -> Int {
        precondition(n > 0, "int(below:) needs n > 0")
        return Int(generator.next().multipliedFullWidth(by: UInt64(n)).high)
    }

    mutating func int(in range: ClosedRange<Int>) -> Int { range.lowerBound + int(below: range.count) }

    /// True with probability p (one draw whatever p is).
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Standard normal (Box-Muller).
    mutating func gaussian() -> Double {
        let u1 = max(unit(), 0x1p-53), u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Approximately standard normal from one draw: the sum of four 16-bit uniforms (Irwin-Hall),
    /// centred and scaled to variance 1. Tails stop at ±3.5; for per-pixel grain and noise, where
    /// Box-Muller's log and cos per pixel would dominate the rendering time.
    mutating func pixelGaussian() -> Double {
        let r = generator.next()
        let sum = Double(r & 0xFFFF) + Double((r >> 16) & 0xFFFF) + Double((r >> 32) & 0xFFFF) + Double(r >> 48)
        return (sum / 65536 - 2) * 1.7320508075688772
    }

    /// An index drawn with probability proportional to `weights` (all >= 0, some > 0).
    mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        guard total > 0 else { return 0 }
        var x = unit() * total
        for (i, w) in weights.enumerated() {
            if x < w { return i }
            x -= w
        }
        return weights.count - 1
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
