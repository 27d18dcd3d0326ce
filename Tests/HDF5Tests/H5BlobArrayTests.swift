import Foundation
import HDF5
import XCTest

final class H5BlobArrayTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir = nil }

    /// Deterministic pseudo-random blobs of varied sizes (some empty, some spanning chunks).
    private func makeBlobs(_ n: Int) -> [[UInt8]] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        return (0..<n).map { i in
            let size = i % 17 == 0 ? 0 : Int(next() % 3000)
            return (0..<size).map { _ in UInt8(truncatingIfNeeded: next()) }
        }
    }

    func testPackedDatasetRandomAccess() throws {
        let path = dir.file("packed.h5")
        let blobs = makeBlobs(300)
        let labels = blobs.indices.map { "línea \($0) 漢" }
        try H5File.writeAtomically(to: path) { f in
            let images = try H5BlobArray.create(in: f.root(), "images", chunkBytes: 4096)
            try images.append(contentsOf: Array(blobs[..<100]))
            for blob in blobs[100...] { try images.append(blob) }
            XCTAssertEqual(images.count, 300)
            try f.write(strings: labels, to: "labels")
        }
        let f = try H5File.open(path)
        let images = try H5BlobArray.open(in: f.root(), "images")
        XCTAssertEqual(images.count, blobs.count)
        XCTAssertEqual(images.offsets.last, Int64(blobs.reduce(0) { $0 + $1.count }))
        let labelSet = try f.dataset("labels")
        for i in [299, 0, 17, 150, 1, 298, 34, 99, 100] + (0..<40).map({ _ in Int.random(in: 0..<300) }) {
            XCTAssertEqual(try images.blob(at: i), blobs[i], "blob \(i)")
            XCTAssertEqual(images.byteCount(at: i), blobs[i].count)
            XCTAssertEqual(try labelSet.readStrings(rows: i..<i + 1), [labels[i]])
        }
        assertThrows(try images.blob(at: 300), containing: ["blob 300", "/images", "out of range"])
        assertThrows(try images.blob(at: -1), containing: ["blob -1", "out of range"])
        // The layout is plain datasets any HDF5 tool can read.
        XCTAssertEqual(try f.dataset("images/bytes").dtype, .uint8)
        XCTAssertEqual(try f.dataset("images/offsets").shape, [301])
    }

    func testAppendAfterReopening() throws {
        let path = dir.file("grow.h5")
        let blobs = makeBlobs(20)
        do {
            let f = try H5File.create(path)
            try H5BlobArray.create(in: f.root(), "images").append(contentsOf: Array(blobs[..<10]))
        }
        do {
            let f = try H5File.open(path, mode: .readWrite)
            let images = try H5BlobArray.open(in: f.root(), "images")
            try images.append(contentsOf: Array(blobs[10...]))
        }
        let images = try H5BlobArray.open(in: H5File.open(path).root(), "images")
        XCTAssertEqual(try (0..<20).map { try images.blob(at: $0) }, blobs)
    }

    func testCorruptOffsetsAreRejectedAtOpen() throws {
        let path = dir.file("corrupt.h5")
        do {
            let f = try H5File.create(path)
            try f.write([UInt8](repeating: 1, count: 10), shape: [10], to: "images/bytes")
            try f.write([Int64](arrayLiteral: 0, 6, 4, 10), shape: [4], to: "images/offsets")
            try f.write([UInt8](repeating: 1, count: 10), shape: [10], to: "short/bytes")
            try f.write([Int64](arrayLiteral: 0, 11), shape: [2], to: "short/offsets")
        }
        let root = try H5File.open(path).root()
        assertThrows(try H5BlobArray.open(in: root, "images"), containing: ["/images", path, "offsets"])
        assertThrows(try H5BlobArray.open(in: root, "short"), containing: ["/short", "at most 10"])
        assertThrows(try H5BlobArray.open(in: root, "absent"), containing: ["/absent", "no such group"])
    }
}

extension H5BlobArrayTests {
    /// Data-loader shape: several threads, each with its own file handle, reading random samples.
    /// libhdf5 is thread-safe (one global lock); errors on one thread must not leak into another's
    /// messages or get printed.
    func testConcurrentReadersWithOwnHandles() throws {
        let path = dir.file("threads.h5")
        let blobs = makeBlobs(200)
        try H5File.writeAtomically(to: path) { f in
            try H5BlobArray.create(in: f.root(), "images").append(contentsOf: blobs)
        }
        final class Tally: @unchecked Sendable {  // guarded by lock
            let lock = NSLock()
            var reads = 0, wrong = 0, errors: [String] = []
        }
        let tally = Tally()
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            do {
                let images = try H5BlobArray.open(in: H5File.open(path).root(), "images")
                let file = images.group.file
                var reads = 0, wrong = 0
                for k in 0..<500 {
                    let i = (k * 7919 + worker * 31) % blobs.count
                    if try images.blob(at: i) != blobs[i] { wrong += 1 }
                    reads += 1
                    if k % 50 == 0 {  // interleave failures with reads
                        do { _ = try file.dataset("missing-\(worker)") } catch {
                            if !"\(error)".contains("missing-\(worker)") { wrong += 1 }
                        }
                    }
                }
                tally.lock.lock(); tally.reads += reads; tally.wrong += wrong; tally.lock.unlock()
            } catch {
                tally.lock.lock(); tally.errors.append("\(error)"); tally.lock.unlock()
            }
        }
        XCTAssertEqual(tally.errors, [])
        XCTAssertEqual(tally.wrong, 0)
        XCTAssertEqual(tally.reads, 2000)
    }
}
