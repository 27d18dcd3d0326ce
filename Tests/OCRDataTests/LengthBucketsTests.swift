import Foundation
import XCTest
@testable import OCRData

/// `length_bucket_window`: batches of similar text lengths, in a shuffled order that stays a pure
/// function of (seed, epoch).
final class LengthBucketsTests: XCTestCase {
    func testWindowsAreSortedIntoFullBatchesInShuffledOrder() {
        let order = Array((0..<23).reversed())              // keys: sample i has length i % 10
        let key: (Int) -> Int? = { $0 % 10 }
        let out = LengthBuckets.order(order, batchSize: 3, window: 2, seed: SplitMix64(seed: 5), key: key)
        XCTAssertEqual(out.sorted(), Array(0..<23), "a permutation of the samples")
        XCTAssertEqual(out, LengthBuckets.order(order, batchSize: 3, window: 2, seed: SplitMix64(seed: 5), key: key))
        // Windows of 6: each holds the same samples as before, cut into batches of sorted keys.
        for w in stride(from: 0, to: 23, by: 6) {
            let window = Array(out[w..<min(23, w + 6)])
            XCTAssertEqual(Set(window), Set(order[w..<min(23, w + 6)]), "window at \(w)")
            let sortedKeys = window.map { $0 % 10 }.sorted()
            // every batch is a run of consecutive sorted keys
            for b in stride(from: 0, to: window.count, by: 3) {
                let keys = window[b..<min(window.count, b + 3)].map { $0 % 10 }.sorted()
                XCTAssertTrue(sortedKeys.indices.contains { sortedKeys[$0..<min(sortedKeys.count, $0 + keys.count)].elementsEqual(keys) },
                              "batch \(keys) of window \(sortedKeys)")
            }
        }
        // The last window (5 samples) ends with its partial batch of 2: the two longest.
        XCTAssertEqual(out[21...].map { $0 % 10 }.sorted(), Array(order[18...].map { $0 % 10 }.sorted().suffix(2)))
        // Another seed shuffles the batches differently; an unknown length leaves the order alone.
        XCTAssertNotEqual(out, LengthBuckets.order(order, batchSize: 3, window: 2, seed: SplitMix64(seed: 6), key: key))
        XCTAssertEqual(LengthBuckets.order(order, batchSize: 3, window: 2, seed: SplitMix64(seed: 5), key: { $0 == 7 ? nil : $0 }), order)
    }

    func testSyntheticLinesBatchTogetherByLength() throws {
        var texts = [String]()
        var g = SplitMix64(seed: 1)
        for _ in 0..<256 { texts.append(String(repeating: "ab ", count: g.nextInt(in: 1...16)).trimmingCharacters(in: .whitespaces)) }
        let corpus = try CorpusSampler(texts: texts, mode: .lines())
        let dataset = try SyntheticLineDataset(fontPaths: [SynthFixtures.dejaVuSans], corpus: corpus, count: 256)
        func spread(window: Int?) throws -> Double {
            var options = LoaderOptions(batchSize: 16, shuffle: true, dropLast: true, workers: 0)
            options.lengthBucketWindow = window
            let loader = LineLoader(dataset: dataset, pipeline: LinePipeline(augment: nil, resize: RecResize(), charset: nil),
                                    options: options, seed: 3)
            let order = loader.order(epoch: 2)
            XCTAssertEqual(order.sorted(), Array(0..<256))
            XCTAssertEqual(order, loader.order(epoch: 2), "a pure function of (seed, epoch)")
            // mean over batches of (longest - shortest text)
            let batches = stride(from: 0, to: 256, by: 16).map { order[$0..<($0 + 16)].map { texts[$0].count } }
            return Double(batches.map { $0.max()! - $0.min()! }.reduce(0, +)) / Double(batches.count)
        }
        let plain = try spread(window: nil), bucketed = try spread(window: 16)
        print("length spread within a batch: \(plain) characters shuffled, \(bucketed) bucketed")
        XCTAssertGreaterThan(plain, 30)
        XCTAssertLessThan(bucketed, 4)
    }

    func testConfigKeyIsCheckedNamingIt() throws {
        let ok = try JSONDecoder().decode(LoaderOptions.self, from: Data(#"{"length_bucket_window": 8}"#.utf8))
        XCTAssertEqual(ok.lengthBucketWindow, 8)
        XCTAssertNil(try JSONDecoder().decode(LoaderOptions.self, from: Data("{}".utf8)).lengthBucketWindow)
        XCTAssertThrowsError(try JSONDecoder().decode(LoaderOptions.self, from: Data(#"{"length_bucket_window": 0}"#.utf8))) {
            XCTAssertTrue("\($0)".contains("length_bucket_window must be >= 1"), "\($0)")
        }
    }
}
