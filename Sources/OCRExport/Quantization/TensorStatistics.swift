import Foundation

/// What calibration saw of one tensor: its extremes (first pass) and a histogram of |x| over
/// [0, max |x|] (second pass, for the percentile and entropy methods).
public struct TensorStatistics: Sendable, Equatable {
    public static let bins = 2048
    public private(set) var minimum = Float.infinity
    public private(set) var maximum = -Float.infinity
    public private(set) var histogram: [Double] = []
    /// The upper edge of the histogram's last bin (max |x| of the first pass).
    public private(set) var histogramLimit: Float = 0

    public init() {}

    public var absMax: Float { max(abs(minimum), abs(maximum)) }
    public var hasObservations: Bool { minimum <= maximum }

    public mutating func observeRange(_ values: [Float]) {
        var lo = minimum, hi = maximum
        for v in values where v.isFinite {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        (minimum, maximum) = (lo, hi)
    }

    /// Adds |x| to the histogram; the range is fixed by the first pass.
    public mutating func observeHistogram(_ values: [Float]) {
        if histogram.isEmpty {
            histogram = [Double](repeating: 0, count: Self.bins)
            histogramLimit = absMax > 0 ? absMax : 1        // an all-zero tensor (a dead ReLU) still gets bins
        }
        let perBin = Float(Self.bins) / histogramLimit, last = Float(Self.bins - 1)
        histogram.withUnsafeMutableBufferPointer { h in
            for v in values where v.isFinite {
                h[Int(Swift.min(abs(v) * perBin, last))] += 1
            }
        }
    }

    /// The float range [lo, hi] to quantise to (always containing 0, as a zero point needs).
    public func range(_ method: CalibrationMethod) -> (lo: Float, hi: Float) {
        guard hasObservations else { return (0, 0) }
        let lo = Swift.min(minimum, 0), hi = Swift.max(maximum, 0)
        let threshold: Float
        switch method {
        case .minMax: return (lo, hi)
        case .percentile(let p): threshold = percentileThreshold(p)
        case .entropy: threshold = entropyThreshold()
        }
        return (Swift.max(lo, -threshold), Swift.min(hi, threshold))
    }

    /// The upper edge of the first bin at which the cumulative share of |x| reaches `p` percent.
    func percentileThreshold(_ p: Double) -> Float {
        guard !histogram.isEmpty else { return absMax }
        let total = histogram.reduce(0, +)
        var cumulative = 0.0
        for (i, count) in histogram.enumerated() {
            cumulative += count
            if cumulative >= total * p / 100 { return Float(i + 1) * histogramLimit / Float(Self.bins) }
        }
        return histogramLimit
    }

    /// TensorRT's entropy calibration: for each candidate threshold bin i >= 128, the reference
    /// distribution P is the histogram up to i with everything beyond folded into bin i - 1, and
    /// Q is P's first i bins merged into 128 levels and spread back over their non-empty bins.
    /// The threshold is the i with the smallest KL(P || Q).
    func entropyThreshold(levels: Int = 128) -> Float {
        guard !histogram.isEmpty else { return absMax }
        let h = histogram
        let n = h.count
        var suffix = [Double](repeating: 0, count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) { suffix[i] = suffix[i + 1] + h[i] }
        var best = (kl: Double.infinity, bin: n)
        var p = [Double](repeating: 0, count: n), q = [Double](repeating: 0, count: n)
        for i in levels...n {
            for j in 0..<i { p[j] = h[j] }
            p[i - 1] += suffix[i]
            // Merge h[0..<i] into `levels` groups; each group's mass spreads evenly over its non-empty bins.
            for k in 0..<levels {
                let start = k * i / levels, end = (k + 1) * i / levels
                var mass = 0.0, nonEmpty = 0
                for j in start..<end where h[j] > 0 {
                    mass += h[j]
                    nonEmpty += 1
                }
                for j in start..<end { q[j] = h[j] > 0 ? mass / Double(nonEmpty) : 0 }
            }
            let pSum = p[0..<i].reduce(0, +), qSum = q[0..<i].reduce(0, +)
            guard pSum > 0, qSum > 0 else { continue }
            var kl = 0.0
            for j in 0..<i where p[j] > 0 {
                let pj = p[j] / pSum
                let qj = Swift.max(q[j] / qSum, 1e-12)       // P mass where Q has none: a large, finite cost
                kl += pj * log(pj / qj)
            }
            if kl < best.kl { best = (kl, i) }
        }
        return Float(best.bin) * histogramLimit / Float(n)
    }
}

/// Scale and zero point of one quantised tensor: x = (q - zeroPoint) * scale.
public struct QuantParameters: Sendable, Equatable {
    public var scale: Float
    public var zeroPoint: Int

    /// Parameters covering [lo, hi] (which contains 0): uint8 asymmetric; int8 symmetric, except
    /// a non-negative range (a Relu's output): zero point -128 and all 256 levels, which is also
    /// what lets ONNX Runtime drop the Relu into the preceding QLinearConv.
    public static func activation(lo: Float, hi: Float, type: ActivationType) -> QuantParameters {
        switch type {
        case .int8 where lo == 0:
            return QuantParameters(scale: hi > 0 ? hi / 255 : 1, zeroPoint: -128)
        case .int8:
            let a = Swift.max(abs(lo), abs(hi))
            return QuantParameters(scale: a > 0 ? a / 127 : 1, zeroPoint: 0)
        case .uint8:
            let span = hi - lo
            guard span > 0 else { return QuantParameters(scale: 1, zeroPoint: 0) }
            let scale = span / 255
            return QuantParameters(scale: scale, zeroPoint: Swift.min(255, Swift.max(0, Int((-lo / scale).rounded()))))
        }
    }
}
