/// A small, fast, seedable generator (SplitMix64). Every random choice in data generation and
/// augmentation draws from one of these, seeded from (run seed, epoch, sample index), so a run is
/// reproducible whatever the thread count.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for one sample: mixes the parts so nearby indices give unrelated streams.
    public init(seed: UInt64, _ parts: UInt64...) {
        var s = seed
        for p in parts { s = SplitMix64.mix(s ^ (p &+ 0x9E37_79B9_7F4A_7C15)) }
        state = s
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
