import Foundation
import HDF5
import XCTest

final class H5DatasetTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir = nil }

    /// Writes, closes, reopens and reads one array; checks values, shape and dtype.
    private func roundTrip<T: H5Element & Equatable>(_ values: [T], shape: [Int],
                                                    line: UInt = #line) throws {
        let path = dir.file("rt-\(T.self)-\(shape.count)-\(values.count).h5")
        do {
            let f = try H5File.create(path)
            try f.write(values, shape: shape, to: "x")
        }
        let f = try H5File.open(path)
        let ds = try f.dataset("x")
        XCTAssertEqual(ds.shape, shape, line: line)
        XCTAssertEqual(ds.dtype, T.h5DType, line: line)
        XCTAssertEqual(try ds.read(T.self), values, line: line)
    }

    func testEveryDtypeRoundTripsWithShapes() throws {
        try roundTrip([Float](arrayLiteral: 1.5, -2.25, .infinity, 0, 3e-38, -7), shape: [2, 3])
        try roundTrip([Double](arrayLiteral: .pi, -1e300, .leastNonzeroMagnitude, 0), shape: [4])
        try roundTrip([Int32](arrayLiteral: .min, -1, 0, .max), shape: [2, 1, 2])
        try roundTrip([Int64](arrayLiteral: .min, -1, 0, 1 << 40, .max, 7), shape: [3, 2])
        try roundTrip([UInt8](arrayLiteral: 0, 1, 127, 128, 255, 9, 8, 7), shape: [2, 2, 2])
    }

    func testFloatNaNSurvives() throws {
        let f = try H5File.create(dir.file("nan.h5"))
        try f.write([Float.nan, 1], shape: [2], to: "x")
        let back = try f.read(Float.self, "x")
        XCTAssertTrue(back[0].isNaN)
        XCTAssertEqual(back[1], 1)
    }

    func testScalarDatasets() throws {
        let path = dir.file("scalar.h5")
        do {
            let f = try H5File.create(path)
            try f.write(Int64(123_456_789_012), to: "step")
            try f.write(Float(0.5), to: "lr")
            try f.write(string: "Global:\n  epoch_num: 10\n", to: "config")
        }
        let f = try H5File.open(path)
        let step = try f.dataset("step")
        XCTAssertEqual(step.shape, [])
        XCTAssertEqual(step.count, 1)
        XCTAssertEqual(try step.read(Int64.self), [123_456_789_012])
        XCTAssertEqual(try f.read(Float.self, "lr"), [0.5])
        XCTAssertEqual(try f.readString("config"), "Global:\n  epoch_num: 10\n")
        assertThrows(try step.read(Int64.self, rows: 0..<1), containing: ["/step", "scalar"])
    }

    func testEmptyDatasets() throws {
        let path = dir.file("empty.h5")
        do {
            let f = try H5File.create(path)
            try f.write([Float](), shape: [0], to: "a")
            try f.write([Int64](), shape: [3, 0], to: "b")
            try f.write([UInt8](), shape: [0], to: "c", deflate: 6)  // nothing to chunk: stays contiguous
            try f.write(strings: [], to: "s")
        }
        let f = try H5File.open(path)
        XCTAssertEqual(try f.dataset("a").shape, [0])
        XCTAssertEqual(try f.read(Float.self, "a"), [])
        XCTAssertEqual(try f.dataset("b").shape, [3, 0])
        XCTAssertEqual(try f.read(Int64.self, "b"), [])
        XCTAssertEqual(try f.read(UInt8.self, "c"), [])
        XCTAssertEqual(try f.readStrings("s"), [])
    }

    func testShapeMustMatchValueCount() throws {
        let f = try H5File.create(dir.file("shape.h5"))
        assertThrows(try f.write([Float](repeating: 0, count: 5), shape: [2, 3], to: "w"),
                     containing: ["'/w'", "5 values", "[2, 3]"])
        XCTAssertFalse(try f.contains("w"))
    }

    func testWritingTwiceToOnePathFails() throws {
        let f = try H5File.create(dir.file("twice.h5"))
        try f.write([Int32(1)], shape: [1], to: "a/b")
        assertThrows(try f.write([Int32(2)], shape: [1], to: "a/b"), containing: ["'/a/b'", "already exists"])
    }

    func testDtypeMismatchNamesTheDataset() throws {
        let path = dir.file("mismatch.h5")
        do {
            let f = try H5File.create(path)
            try f.write([Float](repeating: 1, count: 6), shape: [2, 3], to: "backbone/stages/0/conv/weight")
        }
        do {
            let f = try H5File.open(path)
            assertThrows(try f.read(Int64.self, "backbone/stages/0/conv/weight"),
                         containing: ["/backbone/stages/0/conv/weight", path, "float32", "int64"])
            // No silent widening either: float32 does not read as Double.
            assertThrows(try f.read(Double.self, "backbone/stages/0/conv/weight"), containing: ["float32", "float64"])
            assertThrows(try f.readStrings("backbone/stages/0/conv/weight"), containing: ["float32", "string"])
        }
        // Nor does a whole-dataset overwrite with the wrong type.
        let g = try H5File.open(path, mode: .readWrite)
        assertThrows(try g.dataset("backbone/stages/0/conv/weight").write([Int32](repeating: 0, count: 6)),
                     containing: ["weight", "float32", "int32"])
    }

    func testMissingDatasetNamesPathAndFile() throws {
        let path = dir.file("missing.h5")
        let f = try H5File.create(path)
        try f.createGroup("head")
        assertThrows(try f.dataset("head/fc/bias"), containing: ["/head/fc/bias", path, "no such dataset"])
        assertThrows(try f.dataset("head"), containing: ["/head", "group", "not a dataset"])
    }

    func testUnicodeStringsRoundTrip() throws {
        let labels = ["Grüße 漢字", "", "naïve café", "emoji 🙂 ok", "tab\tand\nnewline", String(repeating: "長", count: 2000)]
        let path = dir.file("strings.h5")
        do {
            let f = try H5File.create(path)
            try f.write(strings: labels, to: "labels")
        }
        let f = try H5File.open(path)
        let ds = try f.dataset("labels")
        XCTAssertEqual(ds.dtype, .string)
        XCTAssertEqual(ds.shape, [labels.count])
        XCTAssertEqual(try ds.readStrings(), labels)
        XCTAssertEqual(try ds.readStrings(rows: 3..<5), Array(labels[3..<5]))
        assertThrows(try ds.read(UInt8.self), containing: ["/labels", "string", "uint8"])
    }

    func testStringWithNULIsRefused() throws {
        let f = try H5File.create(dir.file("nul.h5"))
        let ds = try f.createDataset("s", dtype: .string, shape: [2])
        assertThrows(try ds.write(strings: ["ok", "a\u{0}b"]), containing: ["'/s'", "string 1", "NUL"])
    }

    func testChunkedCompressedRoundTripIsSmaller() throws {
        // Smooth, repetitive data compresses well; a 512 x 256 float32 array is 512 KiB raw.
        let shape = [512, 256]
        let values = (0..<shape[0] * shape[1]).map { Float(($0 / 7) % 50) * 0.25 }
        do {
            let plain = try H5File.create(dir.file("plain.h5"))
            try plain.write(values, shape: shape, to: "x")
            let packed = try H5File.create(dir.file("packed.h5"))
            try packed.write(values, shape: shape, to: "x", chunks: [64, 256], deflate: 6)
        }
        let plainSize = try dir.size(of: "plain.h5"), packedSize = try dir.size(of: "packed.h5")
        print("uncompressed \(plainSize) bytes, gzip-6 \(packedSize) bytes")
        XCTAssertGreaterThan(plainSize, 512 * 1024)
        XCTAssertLessThan(packedSize * 10, plainSize, "expected at least 10x smaller")

        let f = try H5File.open(dir.file("packed.h5"))
        let ds = try f.dataset("x")
        let storage = try ds.storage()
        XCTAssertEqual(storage.chunks, [64, 256])
        XCTAssertEqual(storage.deflate, 6)
        XCTAssertEqual(try ds.read(Float.self), values)
        XCTAssertEqual(try ds.read(Float.self, rows: 100..<103), Array(values[100 * 256..<103 * 256]))
        let plain = try H5File.open(dir.file("plain.h5")).dataset("x")
        XCTAssertNil(try plain.storage().chunks)
        XCTAssertNil(try plain.storage().deflate)
    }

    func testCompressionWithoutChunksPicksDefaultChunks() throws {
        let f = try H5File.create(dir.file("autochunk.h5"))
        let values = [Double](repeating: 2, count: 100_000)
        let ds = try f.write(values, shape: [1000, 100], to: "x", deflate: 4)
        let storage = try ds.storage()
        XCTAssertEqual(storage.deflate, 4)
        let chunks = try XCTUnwrap(storage.chunks)
        XCTAssertEqual(chunks[1], 100)
        XCTAssertLessThanOrEqual(chunks.reduce(8, *), 256 << 10)
        XCTAssertEqual(try ds.read(Double.self), values)
    }

    func testBadStorageOptionsFail() throws {
        let f = try H5File.create(dir.file("bad.h5"))
        assertThrows(try f.write([Float](repeating: 0, count: 4), shape: [4], to: "a", deflate: 12),
                     containing: ["'/a'", "deflate level 12"])
        assertThrows(try f.write([Float](repeating: 0, count: 4), shape: [4], to: "b", chunks: [2, 2]),
                     containing: ["'/b'", "chunk shape"])
        assertThrows(try f.write([Float](repeating: 0, count: 4), shape: [4], to: "c", chunks: [0]),
                     containing: ["'/c'", "chunk dimension 0"])
        assertThrows(try f.write([Float](repeating: 0, count: 4), shape: [4], to: "d", chunks: [8]),
                     containing: ["'/d'", "chunk"])
    }

    func testRandomAccessRowReads() throws {
        let path = dir.file("rows.h5")
        let rows = 1000, width = 12
        let values = (0..<rows * width).map { Int32($0) }
        do {
            let f = try H5File.create(path)
            try f.write(values, shape: [rows, width], to: "x", chunks: [16, width], deflate: 1)
        }
        let ds = try H5File.open(path).dataset("x")
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let start = Int.random(in: 0..<rows, using: &rng)
            let n = Int.random(in: 0...min(5, rows - start), using: &rng)
            XCTAssertEqual(try ds.read(Int32.self, rows: start..<start + n), Array(values[start * width..<(start + n) * width]))
        }
        XCTAssertEqual(try ds.read(Int32.self, rows: rows - 1..<rows), Array(values.suffix(width)))
        assertThrows(try ds.read(Int32.self, rows: rows - 1..<rows + 1), containing: ["'/x'", "out of range"])
    }

    func testAppendGrowsExtendableDatasets() throws {
        let path = dir.file("append.h5")
        do {
            let f = try H5File.create(path)
            let ds = try f.createDataset("x", dtype: .float32, shape: [0, 3], extendable: true)
            XCTAssertTrue(ds.isExtendable)
            try ds.append([Float](arrayLiteral: 1, 2, 3))
            try ds.append([Float](arrayLiteral: 4, 5, 6, 7, 8, 9))
            XCTAssertEqual(ds.shape, [3, 3])
            assertThrows(try ds.append([Float](arrayLiteral: 1, 2)), containing: ["'/x'", "whole number of rows"])
            assertThrows(try ds.append([Int32](arrayLiteral: 1, 2, 3)), containing: ["'/x'", "float32", "int32"])
            let labels = try f.createDataset("labels", dtype: .string, shape: [0], extendable: true)
            try labels.append(strings: ["α", "β"])
            try labels.append(strings: ["γ"])
            let fixed = try f.write([Float](arrayLiteral: 1), shape: [1], to: "fixed")
            assertThrows(try fixed.append([Float](arrayLiteral: 2)), containing: ["'/fixed'", "not extendable"])
        }
        let f = try H5File.open(path)
        XCTAssertEqual(try f.read(Float.self, "x"), (1...9).map(Float.init))
        XCTAssertEqual(try f.dataset("x").shape, [3, 3])
        XCTAssertEqual(try f.readStrings("labels"), ["α", "β", "γ"])
    }

    func testReadOnlyFileRefusesWrites() throws {
        let path = dir.file("ro.h5")
        do { try H5File.create(path).write([UInt8](arrayLiteral: 1), shape: [1], to: "x") }
        let f = try H5File.open(path)
        assertThrows(try f.write([UInt8](arrayLiteral: 2), shape: [1], to: "y"), containing: ["'/y'", path])
        assertThrows(try f.dataset("x").write([UInt8](arrayLiteral: 3)), containing: ["'/x'", path])
        XCTAssertEqual(try f.read(UInt8.self, "x"), [1])
    }

    func testIdenticalContentGivesIdenticalBytes() throws {
        // No timestamps in object headers: the same checkpoint content hashes the same.
        for name in ["a.h5", "b.h5"] {
            let f = try H5File.create(dir.file(name))
            try f.write([Float](arrayLiteral: 1, 2), shape: [2], to: "m/w")
            try f.attributes.set("step", 3)
            try f.close()
            if name == "a.h5" { Thread.sleep(forTimeInterval: 1.1) }  // a timestamp would now differ
        }
        let a = try Data(contentsOf: URL(fileURLWithPath: dir.file("a.h5")))
        let b = try Data(contentsOf: URL(fileURLWithPath: dir.file("b.h5")))
        XCTAssertEqual(a, b)
    }
}
