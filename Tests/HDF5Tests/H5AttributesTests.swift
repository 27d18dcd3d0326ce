import HDF5
import XCTest

final class H5AttributesTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir = nil }

    /// Sets one of each kind on `attrs`.
    private func setAll(_ attrs: H5Attributes) throws {
        try attrs.set("step", 1_000_000_000_123)
        try attrs.set("negative", -5)
        try attrs.set("lr", 1e-3)
        try attrs.set("name", "Grüße 漢字")
        try attrs.set("empty", "")
        try attrs.set("shape", [3, 32, 320])
        try attrs.set("no_ints", [Int]())
        try attrs.set("losses", [0.5, 0.25, .infinity])
        try attrs.set("chars", ["a", "ü", "漢"])
    }

    private func checkAll(_ attrs: H5Attributes, line: UInt = #line) throws {
        XCTAssertEqual(try attrs.names(), ["chars", "empty", "losses", "lr", "name", "negative", "no_ints", "shape", "step"], line: line)
        XCTAssertEqual(try attrs.int("step"), 1_000_000_000_123, line: line)
        XCTAssertEqual(try attrs.int("negative"), -5, line: line)
        XCTAssertEqual(try attrs.double("lr"), 1e-3, line: line)
        XCTAssertEqual(try attrs.string("name"), "Grüße 漢字", line: line)
        XCTAssertEqual(try attrs.string("empty"), "", line: line)
        XCTAssertEqual(try attrs.ints("shape"), [3, 32, 320], line: line)
        XCTAssertEqual(try attrs.ints("no_ints"), [], line: line)
        XCTAssertEqual(try attrs.doubles("losses"), [0.5, 0.25, .infinity], line: line)
        XCTAssertEqual(try attrs.strings("chars"), ["a", "ü", "漢"], line: line)
        XCTAssertEqual(try attrs.value("step"), .int(1_000_000_000_123), line: line)
        XCTAssertEqual(try attrs.value("lr"), .double(1e-3), line: line)
        XCTAssertEqual(try attrs.value("name"), .string("Grüße 漢字"), line: line)
        XCTAssertEqual(try attrs.value("shape"), .ints([3, 32, 320]), line: line)
        XCTAssertEqual(try attrs.value("losses"), .doubles([0.5, 0.25, .infinity]), line: line)
        XCTAssertEqual(try attrs.value("chars"), .strings(["a", "ü", "漢"]), line: line)
        XCTAssertEqual(try attrs.info("shape").rank, 1, line: line)
        XCTAssertEqual(try attrs.info("step").rank, 0, line: line)
    }

    func testEveryKindOnFileGroupAndDataset() throws {
        let path = dir.file("attrs.h5")
        do {
            let f = try H5File.create(path)
            try setAll(f.attributes)
            try setAll(f.createGroup("model/backbone").attributes)
            try setAll(f.write([Float](arrayLiteral: 1, 2), shape: [2], to: "model/backbone/w").attributes)
        }
        let f = try H5File.open(path)
        try checkAll(f.attributes)
        try checkAll(f.group("model/backbone").attributes)
        try checkAll(f.dataset("model/backbone/w").attributes)
        XCTAssertEqual(try f.group("model").attributes.names(), [])
    }

    func testSettingAgainReplacesEvenAcrossTypes() throws {
        let f = try H5File.create(dir.file("replace.h5"))
        let attrs = f.attributes
        try attrs.set("best", 0.5)
        try attrs.set("best", 0.75)
        XCTAssertEqual(try attrs.double("best"), 0.75)
        try attrs.set("best", "n/a")
        XCTAssertEqual(try attrs.string("best"), "n/a")
        XCTAssertTrue(try attrs.contains("best"))
        try attrs.remove("best")
        XCTAssertFalse(try attrs.contains("best"))
        assertThrows(try attrs.remove("best"), containing: ["'best'", "no such attribute"])
    }

    func testAttributeErrorsNameAttributeObjectAndFile() throws {
        let path = dir.file("attr-errors.h5")
        let f = try H5File.create(path)
        let g = try f.createGroup("model")
        try g.attributes.set("lr", 0.1)
        try g.attributes.set("shape", [1, 2])
        assertThrows(try g.attributes.int("missing"), containing: ["'missing'", "/model", path, "no such attribute"])
        assertThrows(try g.attributes.int("lr"), containing: ["'lr'", "/model", "float64", "int64"])
        assertThrows(try g.attributes.string("lr"), containing: ["'lr'", "float64", "not string"])
        assertThrows(try g.attributes.double("shape"), containing: ["'shape'", "int64", "float64"])
        assertThrows(try g.attributes.int("shape"), containing: ["'shape'", "/model", "2 values, not one"])
        assertThrows(try g.attributes.set("bad", "a\u{0}b"), containing: ["'bad'", "/model", "NUL"])
        assertThrows(try f.attributes.int("step"), containing: ["'step'", path, "no such attribute"])
    }

    func testReadOnlyFileRefusesAttributeWrites() throws {
        let path = dir.file("ro-attrs.h5")
        do { try H5File.create(path).attributes.set("step", 1) }
        let f = try H5File.open(path)
        assertThrows(try f.attributes.set("step", 2), containing: ["'step'", path])
        XCTAssertEqual(try f.attributes.int("step"), 1)
    }
}
