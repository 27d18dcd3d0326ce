import Foundation
import OCRInference
import XCTest
@testable import OCRServe

/// Cross-request batching with PP-OCRv4's recogniser: two pages' crops run in one recogniser
/// call and read as they read alone; pages of different model sets never share a call; with
/// batching off a page is read on its worker as `ocr predict` reads it.
final class RecognitionBatcherTests: XCTestCase {
    final class Sizes: @unchecked Sendable {
        private let lock = NSLock()
        private var sizes = [Int]()
        func append(_ n: Int) { lock.withLock { sizes.append(n) } }
        var all: [Int] { lock.withLock { sizes } }
    }

    func prepared(_ models: ModelSet) throws -> (PageReader.PreparedPage, PageReader.PreparedPage) {
        let a = try models.reader.prepare(try PageImage.decode(try ServeFixtures.page(), path: "a"))
        let b = try models.reader.prepare(try PageImage.decode(try ServeFixtures.page(["second page", "of crops 7"]), path: "b"))
        XCTAssertEqual(a.crops.count, 2)
        XCTAssertEqual(b.crops.count, 2)
        return (a, b)
    }

    func testTwoPagesShareOneBatchAndReadAsAlone() async throws {
        let config = try ServeFixtures.config()
        let models = try ModelSet.load(directory: config.models, config: config, generation: 1)
        let (a, b) = try prepared(models)
        let sizes = Sizes()
        // A long wait that a full batch cuts short: the batch runs once both pages are in.
        let batcher = RecognitionBatcher(options: .init(maxBatch: 4, maxWait: 10, threads: 1)) { n, _ in sizes.append(n) }
        let deadline = Date(timeIntervalSinceNow: 60)
        async let ra = batcher.recognize(a.crops, models: models, deadline: deadline)
        async let rb = batcher.recognize(b.crops, models: models, deadline: deadline)
        let (x, y) = try await (ra, rb)
        XCTAssertEqual(sizes.all, [4], "one recogniser call for both pages")
        XCTAssertLessThan(max(x.waited, y.waited), 8, "the full batch ran before max_wait")
        for (batched, crops) in [(x, a.crops), (y, b.crops)] {
            let alone = try models.reader.recognizer.recognize(crops)
            XCTAssertEqual(batched.recognitions.map(\.text), alone.map(\.text))
            for (p, q) in zip(batched.recognitions, alone) {
                XCTAssertEqual(p.confidence, q.confidence, accuracy: 0.05, "\(p.text): padding to the batch's widest line changes the confidence a little (0.998 vs 0.971 seen), not the text")
            }
        }
        await OCRService.offThread { batcher.shutdown() }
    }

    func testPagesOfDifferentModelSetsAreNotMixed() async throws {
        let config = try ServeFixtures.config()
        let old = try ModelSet.load(directory: config.models, config: config, generation: 1)
        let new = try ModelSet.load(directory: config.models, config: config, generation: 2)
        let (a, b) = try prepared(old)
        let sizes = Sizes()
        let batcher = RecognitionBatcher(options: .init(maxBatch: 4, maxWait: 0.3, threads: 1)) { n, _ in sizes.append(n) }
        let deadline = Date(timeIntervalSinceNow: 60)
        async let ra = batcher.recognize(a.crops, models: old, deadline: deadline)
        async let rb = batcher.recognize(b.crops, models: new, deadline: deadline)
        _ = try await (ra, rb)
        XCTAssertEqual(sizes.all, [2, 2], "each model set's crops run in calls of their own")
        await OCRService.offThread { batcher.shutdown() }
    }

    func testWithoutBatchingAPageIsReadOnItsWorker() async throws {
        var config = try ServeFixtures.config()
        config.batching.enabled = false
        config.accessLog = false
        let service = try OCRService(config: config) { _ in }
        let r = try await service.read(try ServeFixtures.page(), name: "page", models: service.models!, deadline: .now() + .seconds(60))
        XCTAssertEqual(r.page.lines.map { ServeFixtures.withoutSpaces($0.text) }, ServeFixtures.texts.map(ServeFixtures.withoutSpaces))
        XCTAssertEqual(r.recWait, 0)
        XCTAssertFalse(service.metrics.exposition().contains("ocr_rec_batch_crops_count"), "no batches without batching")
        await service.shutdown()
    }
}
