/// Width-bucketed batches, by text length: with `dynamic_width` a batch is as wide as its widest
/// line, so one 50-character line makes a batch of 8-character lines pay for 50 characters of
/// pixels (and pads them with mid-grey). Sorting each window of `window` batches of the epoch's
/// shuffled order by text length, cutting the window into batches and shuffling those batches,
/// gives batches of similar lengths - hence similar widths within a face - while the epoch still
/// visits samples in a random order. The text length is known before a sample is loaded (a label
/// file's text, a synthetic corpus line), unlike the image width, which would need every image
/// decoded or rendered first.
///
/// A pure function of (order, keys, seed): the loader's exact resume and worker-count
/// independence hold. Full batches stay full: only the epoch's last window can end in a partial
/// batch, and it stays last.
enum LengthBuckets {
    /// `order` regrouped; `key(i)` is sample i's text length, nil when the dataset cannot tell
    /// (then the order is returned unchanged).
    static func order(_ order: [Int], batchSize: Int, window: Int, seed: SplitMix64,
                      key: (Int) -> Int?) -> [Int] {
        let bs = max(1, batchSize), span = max(1, window) * bs
        var keys = [Int]()
        keys.reserveCapacity(order.count)
        for i in order {
            guard let k = key(i) else { return order }
            keys.append(k)
        }
        var rng = seed
        var out = [Int]()
        out.reserveCapacity(order.count)
        var start = 0
        while start < order.count {
            let end = min(order.count, start + span)
            // Stable: equal lengths keep their shuffled order.
            let sorted = (start..<end).sorted { (keys[$0], $0) < (keys[$1], $1) }.map { order[$0] }
            let full = sorted.count / bs
            for b in rng.permutation(full) { out += sorted[(b * bs)..<((b + 1) * bs)] }
            out += sorted[(full * bs)...]
            start = end
        }
        return out
    }
}
