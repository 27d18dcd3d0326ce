import Foundation

/// PaddleOCR's `ratio_list`: each epoch draws `round(n * ratio)` of a file's n records, a
/// different subset each epoch (PaddleOCR reseeds `random.sample` with the epoch).
///
/// Here the subset is a pure function of the seed the loader passes to `sample(at:seed:)`
/// (one per epoch), so every worker agrees on it without coordination. Differences from
/// PaddleOCR, both deliberate: the draw is over the file's *usable* records (PaddleOCR samples
/// raw lines, so bad lines eat into the quota), and a ratio above 1 oversamples (whole copies of
/// the file plus a random part) where PaddleOCR would raise. A ratio of exactly 1 uses every
/// record once, in file order. Rounding is half-to-even, as Python's `round`.
final class RatioSampler: @unchecked Sendable {
    /// Usable records of file i are `ranges[i]` of the dataset's record array.
    let ranges: [Range<Int>]
    let ratios: [Double]
    /// Samples per epoch from each file.
    let perEpoch: [Int]
    let count: Int
    private let identity: Bool
    private let lock = NSLock()
    private var cache: [(seed: UInt64, map: [Int])] = []

    init(ranges: [Range<Int>], ratios: [Double]) {
        self.ranges = ranges
        self.ratios = ratios
        perEpoch = zip(ranges, ratios).map { r, ratio in
            ratio == 1 ? r.count : Int((Double(r.count) * ratio).rounded(.toNearestOrEven))
        }
        count = perEpoch.reduce(0, +)
        identity = ratios.allSatisfy { $0 == 1 }
    }

    /// Validates a `ratio_list` against the number of files: one value for all, or one each.
    static func ratios(_ given: [Double]?, files: Int, what: String) throws -> [Double] {
        let ratios = given ?? [1]
        guard ratios.count == files || ratios.count == 1 else {
            throw DataError("\(what): ratio_list has \(ratios.count) values for \(files) files (give one, or one per file)")
        }
        guard ratios.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw DataError("\(what): ratio_list values must be positive, got \(ratios)")
        }
        return ratios.count == files ? ratios : Array(repeating: ratios[0], count: files)
    }

    /// The record behind epoch sample `index` for `seed`.
    func record(for index: Int, seed: UInt64) -> Int {
        identity ? index : map(for: seed)[index]
    }

    private func map(for seed: UInt64) -> [Int] {
        if let hit = lock.withLock({ cache.first { $0.seed == seed }?.map }) { return hit }
        let built = build(seed: seed)  // outside the lock: two workers may build the same map once each
        lock.withLock {
            if !cache.contains(where: { $0.seed == seed }) {
                cache.append((seed, built))
                if cache.count > 2 { cache.removeFirst() }  // the current epoch and the one before
            }
        }
        return built
    }

    private func build(seed: UInt64) -> [Int] {
        var map = [Int]()
        map.reserveCapacity(count)
        for (i, range) in ranges.enumerated() {
            let (n, k) = (range.count, perEpoch[i])
            if ratios[i] == 1 || n == 0 {
                map += range.prefix(k)
                continue
            }
            var rng = SplitMix64(seed: seed, UInt64(i), 0x7261_7469_6F00)
            var chosen = [Int]()
            for _ in 0..<(k / n) { chosen += 0..<n }  // whole copies when oversampling
            // A partial Fisher-Yates draws the remaining k % n without replacement.
            var pool = Array(0..<n)
            for j in 0..<(k % n) {
                pool.swapAt(j, j + rng.nextInt(below: n - j))
                chosen.append(pool[j])
            }
            map += chosen.sorted().map { range.lowerBound + $0 }
        }
        return map
    }
}

extension RatioSampler {
    /// The sampler over each file's usable records, with every file's usable and per-epoch
    /// counts written into the dataset's report.
    static func recording(ranges: [Range<Int>], ratios: [Double], in collector: DataReportCollector) -> RatioSampler {
        let sampler = RatioSampler(ranges: ranges, ratios: ratios)
        for i in ranges.indices {
            collector.update(file: i) {
                $0.usable = ranges[i].count
                $0.perEpoch = sampler.perEpoch[i]
            }
        }
        return sampler
    }
}
