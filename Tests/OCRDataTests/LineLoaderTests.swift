import Foundation
import Imaging
import OCRCore
import XCTest
@testable import OCRData

/// Fails for one index, like a dataset whose file vanished mid-run.
private struct FailingDataset: LineDataset {
    let base: any LineDataset
    let badIndex: Int
    var count: Int { base.count }
    func sample(at index: Int, seed: UInt64) throws -> LineSample {
        if index == badIndex { throw DataError("broken.txt:99: cannot read image") }
        return try base.sample(at: index, seed: seed)
    }
}

/// Tiny images drawn from the seed: exercises the loader without files.
private struct DrawnDataset: LineDataset {
    let count: Int
    func sample(at index: Int, seed: UInt64) throws -> LineSample {
        LineSample(image: try DataFixture.lineImage(width: 40 + index % 30, height: 24, seed: UInt64(index)),
                   text: "t\(index)", source: "drawn #\(index)", group: index % 2 == 0 ? "even" : "odd")
    }
}

/// Whether the OS still lists thread `tid` in this process (Linux).
private func osHasThread(_ tid: Int) -> Bool { FileManager.default.fileExists(atPath: "/proc/self/task/\(tid)") }

final class LineLoaderTests: XCTestCase {
    nonisolated(unsafe) private static var fixture: DataFixture!
    nonisolated(unsafe) private static var dataset: LabelFileDataset!

    override class func setUp() {
        super.setUp()
        fixture = try! DataFixture("loader")
        let labels = try! fixture.goodSet("train.txt", count: 22)
        dataset = try! LabelFileDataset(.init(dataDir: fixture.dir, labelFiles: [labels], charset: digitsCharset))
    }

    override class func tearDown() {
        fixture = nil
        dataset = nil
        super.tearDown()
    }

    private func augmenting() -> LinePipeline {
        var aug = RecAugment()
        (aug.tiaProb, aug.noiseProb, aug.hsvAugProb) = (0.5, 0.5, 0.5)
        return LinePipeline(augment: aug, resize: RecResize(imageShape: [3, 32, 128]), charset: digitsCharset)
    }

    private func loader(workers: Int, seed: UInt64 = 1, batch: Int = 4, dropLast: Bool = false,
                        dataset: (any LineDataset)? = nil, pipeline: LinePipeline? = nil) -> LineLoader {
        LineLoader(dataset: dataset ?? Self.dataset, pipeline: pipeline ?? augmenting(),
                   options: LoaderOptions(batchSize: batch, shuffle: true, dropLast: dropLast, workers: workers, prefetch: 3),
                   seed: seed)
    }

    private func all(_ epoch: LineEpoch) throws -> [LineBatch] {
        var out = [LineBatch]()
        while let b = try epoch.next() { out.append(b) }
        return out
    }

    private func assertSame(_ a: [LineBatch], _ b: [LineBatch], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (x, y) in zip(a, b) {
            XCTAssertEqual(x.sources, y.sources, file: file, line: line)
            XCTAssertEqual(x.texts, y.texts, file: file, line: line)
            XCTAssertEqual(x.labels, y.labels, file: file, line: line)
            XCTAssertEqual(x.validWidths, y.validWidths, file: file, line: line)
            XCTAssertEqual(x.shape, y.shape, file: file, line: line)
            XCTAssertTrue(x.pixels == y.pixels, "pixels differ", file: file, line: line)
        }
    }

    func testSameBatchesWhateverTheWorkerCount() throws {
        for epoch in [0, 1] {
            let inline = try all(loader(workers: 0).epoch(epoch))
            let one = try all(loader(workers: 1).epoch(epoch))
            let two = try all(loader(workers: 2).epoch(epoch))
            assertSame(one, two)
            assertSame(inline, two)
            XCTAssertEqual(two.count, 6, "22 samples in batches of 4, last one short")
            XCTAssertEqual(two.last?.batch, 2)
            // Every sample exactly once per epoch.
            XCTAssertEqual(two.flatMap(\.texts).sorted(), (0..<22).map { "w\($0)" }.sorted())
        }
        let e0 = try all(loader(workers: 2).epoch(0)), e1 = try all(loader(workers: 2).epoch(1))
        XCTAssertNotEqual(e0.flatMap(\.texts), e1.flatMap(\.texts), "reshuffled each epoch")
        let other = try all(loader(workers: 2, seed: 2).epoch(0))
        XCTAssertNotEqual(other.flatMap(\.texts), e0.flatMap(\.texts), "another seed, another order")
    }

    func testBatchLayoutAndLabels() throws {
        let batches = try all(loader(workers: 2).epoch(0))
        let b = batches[0]
        XCTAssertEqual(b.shape, [4, 3, 32, 128])
        XCTAssertEqual(b.pixels.count, 4 * 3 * 32 * 128)
        for i in 0..<b.batch {
            XCTAssertEqual(b.labels[i], digitsCharset.encode(b.texts[i]).classes)
            XCTAssertEqual(b.groups[i], "train.txt")
            XCTAssertTrue(b.sources[i].contains("train.txt:"))
            // Padding right of the valid width is exactly 0.
            let w = b.validWidths[i]
            XCTAssertTrue((1...128).contains(w))
            if w < 128 { XCTAssertEqual(b.pixels[((i * 3 + 2) * 32 + 10) * 128 + w], 0) }
        }
        XCTAssertTrue(b.pixels.allSatisfy { $0 >= -1 && $0 <= 1 })
    }

    func testDropLastAndDynamicWidth() throws {
        let l = loader(workers: 2, batch: 5, dropLast: true)
        XCTAssertEqual(l.batchesPerEpoch, 4)
        XCTAssertEqual(l.droppedPerEpoch, 2)
        let batches = try all(l.epoch(0))
        XCTAssertEqual(batches.map(\.batch), [5, 5, 5, 5])

        var p = augmenting()
        p.resize = RecResize(imageShape: [3, 32, 400], dynamicWidth: true)
        let dyn = try all(loader(workers: 2, pipeline: p).epoch(0))
        for b in dyn {
            XCTAssertEqual(b.width % 4, 0)
            XCTAssertEqual(b.width, (b.validWidths.max()! + 3) / 4 * 4)
        }
        XCTAssertGreaterThan(Set(dyn.map(\.width)).count, 1)
    }

    func testResumeFromSavedPositionGivesTheRemainingBatches() throws {
        let full = try all(loader(workers: 2).epoch(3))
        let first = loader(workers: 2).epoch(3)
        for _ in 0..<2 { _ = try first.next() }
        let saved = first.position
        XCTAssertEqual(saved, LoaderPosition(epoch: 3, batch: 2))
        first.close()
        // Through Codable, as a checkpoint stores it, into a fresh loader with another worker count.
        let restored = try JSONDecoder().decode(LoaderPosition.self, from: JSONEncoder().encode(saved))
        let rest = try all(loader(workers: 1).resume(at: restored))
        assertSame(rest, Array(full[2...]))
        // A finished epoch's position continues with the next epoch.
        let next = loader(workers: 2).resume(at: LoaderPosition(epoch: 3, batch: full.count))
        XCTAssertEqual(next.epoch, 4)
        next.close()
    }

    func testEarlyStopLeavesNoThreadsRunning() throws {
        // Relative to what other tests in this process may hold (nothing, normally).
        let baseline = LineLoader.liveWorkerThreads
        let big = DrawnDataset(count: 400)
        let epoch = loader(workers: 2, batch: 8, dataset: big).epoch(0)
        _ = try epoch.next()
        XCTAssertEqual(LineLoader.liveWorkerThreads, baseline + 2)
        let tids = epoch.workerOSThreadIDs
        #if os(Linux)
        XCTAssertEqual(tids.count, 2)
        XCTAssertTrue(tids.allSatisfy(osHasThread), "the OS lists the workers")
        #endif
        epoch.close()
        XCTAssertEqual(LineLoader.liveWorkerThreads, baseline)
        XCTAssertFalse(tids.contains(where: osHasThread), "joined: gone from the OS's thread list")
        XCTAssertNil(try epoch.next(), "a closed epoch delivers nothing")

        // Dropping the epoch without close() stops its workers too.
        do {
            let dropped = loader(workers: 2, batch: 8, dataset: big).epoch(1)
            _ = try dropped.next()
        }
        XCTAssertEqual(LineLoader.liveWorkerThreads, baseline)

        // And a finished epoch has already stopped them.
        let small = loader(workers: 2, batch: 8, dataset: DrawnDataset(count: 20)).epoch(0)
        _ = try all(small)
        XCTAssertEqual(LineLoader.liveWorkerThreads, baseline)
    }

    func testWorkerErrorReachesTheConsumerWithItsSource() throws {
        let baseline = LineLoader.liveWorkerThreads
        let failing = FailingDataset(base: DrawnDataset(count: 40), badIndex: 13)
        var seen = [String]()
        for workers in [0, 1, 2] {
            let epoch = loader(workers: workers, batch: 4, dataset: failing).epoch(0)
            var delivered = 0
            XCTAssertThrowsError(try { while try epoch.next() != nil { delivered += 1 } }()) { error in
                guard let e = error as? LoaderError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.index, 13)
                XCTAssertTrue("\(e)".contains("broken.txt:99"), "\(e)")
                seen.append("\(e.position) after \(delivered)")
            }
            XCTAssertThrowsError(try epoch.next(), "the error stays")
            XCTAssertEqual(LineLoader.liveWorkerThreads, baseline, "a failed epoch has stopped its workers")
        }
        XCTAssertEqual(Set(seen).count, 1, "the same batch fails at the same point: \(seen)")

        // A bad image under policy fail: the error names the label line.
        let f = try DataFixture()
        try f.writeImage("ok.png")
        try f.writeBytes("bad.png", [1, 2, 3])
        let labels = try f.writeLabels("l.txt", ["imgs/ok.png\tab", "imgs/bad.png\tcd"])
        let ds = try LabelFileDataset(.init(dataDir: f.dir, labelFiles: [labels], charset: digitsCharset, policy: .fail))
        XCTAssertThrowsError(try all(loader(workers: 2, batch: 1, dataset: ds).epoch(0))) { error in
            XCTAssertEqual((error as? LoaderError)?.source, "\(labels):2")
            XCTAssertTrue("\(error)".contains("imgs/bad.png"), "\(error)")
        }
        // A text outside the pipeline's charset names the sample.
        let upper = try Charset(characters: "xyz")
        XCTAssertThrowsError(try all(loader(workers: 2, dataset: DrawnDataset(count: 8),
                                            pipeline: LinePipeline(resize: RecResize(imageShape: [3, 32, 64]), charset: upper)).epoch(0))) { error in
            XCTAssertTrue(((error as? LoaderError)?.source ?? "").hasPrefix("drawn #"), "\(error)")
        }
    }

    func testExcludedSamplesAreLeftOutOfTheirBatchesDeterministically() throws {
        // 12 lines, 4 of them unreadable: a truncated PNG, an empty JPEG, text named .png, and a
        // file deleted after the dataset was built.
        let f = try DataFixture()
        let png = try DataFixture.lineImage(seed: 5).encoded(as: .png)
        try f.writeBytes("truncated.png", Array(png.prefix(png.count / 2)))
        try f.writeBytes("empty.jpg", [])
        try f.writeBytes("text.png", Array("not an image\n".utf8))
        var lines = [String]()
        for i in 0..<12 {
            switch i {
            case 2: lines.append("imgs/truncated.png\tbad2")
            case 3: lines.append("imgs/empty.jpg\tbad3")
            case 7: lines.append("imgs/text.png\tbad7")
            default: lines.append("\(try f.writeImage("\(i).png", seed: UInt64(i)))\tw\(i)")
            }
        }
        let labels = try f.writeLabels("eval.txt", lines)
        func dataset() throws -> LabelFileDataset {
            try LabelFileDataset(.init(dataDir: f.dir, labelFiles: [labels], charset: digitsCharset, policy: .exclude))
        }
        let ds = try dataset()
        try FileManager.default.removeItem(atPath: f.dir + "/imgs/9.png")
        let good = (0..<12).filter { ![2, 3, 7, 9].contains($0) }.map { "w\($0)" }

        // Shuffled, several worker counts, two epochs: the same batches, every good line once.
        for epoch in [0, 1] {
            let runs = try [0, 1, 2].map { try all(loader(workers: $0, batch: 4, dataset: ds).epoch(epoch)) }
            assertSame(runs[0], runs[1])
            assertSame(runs[0], runs[2])
            XCTAssertEqual(runs[0].count, 3, "the loader's batch count does not change")
            XCTAssertEqual(runs[0].map(\.batch).reduce(0, +), 8)
            XCTAssertLessThan(runs[0].map(\.batch).min()!, 4, "the unreadable lines' batches are smaller")
            XCTAssertEqual(runs[0].flatMap(\.texts).sorted(), good.sorted())
            XCTAssertFalse(runs[0].flatMap(\.sources).contains { $0.contains("replacing") })
        }
        // Recorded once each, whatever the epochs and workers.
        XCTAssertEqual(ds.report.excluded.map(\.location), [3, 4, 8, 10].map { "\(labels):\($0)" })
        XCTAssertEqual(ds.report.count(DataIssue.Category.undecodableImage), 3)
        XCTAssertEqual(ds.report.count(DataIssue.Category.missingImage), 1)
        XCTAssertEqual(ds.report.substitutions, 0)

        // In file order with batches of 2, lines 3-4 (records 2, 3) make an empty batch.
        let ordered = LineLoader(dataset: try dataset(), pipeline: augmenting(),
                                 options: LoaderOptions(batchSize: 2, shuffle: false, workers: 2), seed: 1)
        let batches = try all(ordered.epoch(0))
        XCTAssertEqual(batches.map(\.batch), [2, 0, 2, 1, 2, 1], "9.png is missing up front now")
        XCTAssertEqual(batches[1].shape, [0, 3, 32, 128])
        XCTAssertTrue(batches[1].pixels.isEmpty && batches[1].texts.isEmpty)
        // samples(epoch:index:) is the same selection, decoded and not resized.
        for b in 0..<ordered.batchesPerEpoch {
            let samples = try ordered.samples(epoch: 0, index: b)
            XCTAssertEqual(samples.map(\.source), batches[b].sources)
            XCTAssertEqual(samples.map(\.image.height), Array(repeating: 32, count: samples.count))
        }
        XCTAssertEqual(try ordered.samples(epoch: 0, index: 0).map(\.image),
                       [try DataFixture.lineImage(seed: 0), try DataFixture.lineImage(seed: 1)])
    }

    func testBatchStreamRestartsAtAnyEpochAndBatch() throws {
        let reference = try all(loader(workers: 2).epoch(5))
        let stream = LineBatchStream(loader(workers: 2))
        XCTAssertThrowsError(try stream.next(), "start first")
        try stream.start(epoch: 5, skipping: 0)
        _ = try stream.next()
        try stream.start(epoch: 5, skipping: 3)  // as the trainer does when resuming
        XCTAssertEqual(stream.position, LoaderPosition(epoch: 5, batch: 3))
        var rest = [LineBatch]()
        while let b = try stream.next() { rest.append(b) }
        assertSame(rest, Array(reference[3...]))
        XCTAssertEqual(stream.batchesPerEpoch, reference.count)
        XCTAssertGreaterThanOrEqual(stream.waitSeconds, 0)
        stream.close()
        XCTAssertNil(stream.position)
    }

    func testStatsCountWhatWasDelivered() throws {
        let epoch = loader(workers: 2).epoch(0)
        let batches = try all(epoch)
        let s = epoch.stats
        XCTAssertEqual(s.batches, batches.count)
        XCTAssertEqual(s.samples, 22)
        XCTAssertGreaterThan(s.loadSeconds, 0)
        XCTAssertGreaterThan(s.resizeSeconds, 0)
        XCTAssertGreaterThanOrEqual(s.waitSeconds, 0)
        XCTAssertLessThanOrEqual(s.waitSeconds, s.elapsedSeconds)
        let inline = loader(workers: 0).epoch(0)
        _ = try all(inline)
        XCTAssertEqual(inline.stats.samples, 22)
        XCTAssertGreaterThan(inline.stats.waitSeconds, 0, "inline: the consumer waits for every batch")
    }
}
