import Foundation
import HDF5
import XCTest

final class H5FileTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir = nil }

    func testOpeningAMissingFileNamesThePath() {
        let path = dir.file("does-not-exist.h5")
        assertThrows(try H5File.open(path), containing: ["open file", path, "No such file"])
        assertThrows(try H5File.open(path, mode: .readWrite), containing: [path])
    }

    func testOpeningANonHDF5FileFails() throws {
        let path = dir.file("labels.txt")
        try "img/0001.png\thello\n".write(toFile: path, atomically: false, encoding: .utf8)
        assertThrows(try H5File.open(path), containing: ["open file", path, "not an HDF5 file"])
        let empty = dir.file("empty.h5")
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        assertThrows(try H5File.open(empty), containing: [empty, "not an HDF5 file"])
    }

    func testOpeningADirectoryFails() {
        assertThrows(try H5File.open(dir.path), containing: [dir.path, "is a directory"])
    }

    func testCreatingInAMissingDirectoryFails() {
        let path = dir.file("no/such/dir/x.h5")
        assertThrows(try H5File.create(path), containing: ["create file", path])
    }

    func testTruncatedFileFailsCleanly() throws {
        let path = dir.file("torn.h5")
        do {
            let f = try H5File.create(path)
            try f.write((0..<100_000).map { Float($0) }, shape: [100_000], to: "big/w")
        }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        // Torn files are what writeAtomically prevents; here they must at least throw, not crash.
        XCTAssertThrowsError(try {
            let f = try H5File.open(path)
            _ = try f.read(Float.self, "big/w")
        }()) { error in
            XCTAssertTrue("\(error)".contains(path), "\(error)")
        }
    }

    func testCreateTruncatesAnExistingFile() throws {
        let path = dir.file("again.h5")
        try H5File.create(path).write([Int32](arrayLiteral: 1), shape: [1], to: "old")
        let f = try H5File.create(path)
        XCTAssertFalse(try f.contains("old"))
    }

    func testCloseFailsWhileHandlesAreOpenAndIsIdempotent() throws {
        let path = dir.file("close.h5")
        let f = try H5File.create(path)
        var ds: H5Dataset? = try f.write([Float](arrayLiteral: 1), shape: [1], to: "w")
        XCTAssertNotNil(ds)
        assertThrows(try f.close(), containing: ["close file", path, "still open"])
        XCTAssertTrue(f.isOpen)
        ds = nil
        try f.close()
        XCTAssertFalse(f.isOpen)
        try f.close()
        assertThrows(try f.root(), containing: [path, "closed"])
        XCTAssertEqual(try H5File.open(path).read(Float.self, "w"), [1])
    }

    func testHandlesKeepTheirFileAlive() throws {
        let path = dir.file("alive.h5")
        let ds: H5Dataset = try {
            let f = try H5File.create(path)
            return try f.write([Int64](arrayLiteral: 4, 5), shape: [2], to: "x")
        }()
        XCTAssertEqual(try ds.read(Int64.self), [4, 5])  // the file object is gone, the file is not
        XCTAssertEqual(ds.file.path, path)
    }

    func testErrorDescriptionIsTheMessage() {
        let error = HDF5Error("read dataset '/w' in 'x.h5': boom")
        XCTAssertEqual(error.description, error.message)
        XCTAssertEqual("\(error)", "read dataset '/w' in 'x.h5': boom")
    }

    // MARK: writeAtomically

    struct Interrupted: Error {}

    private func writeCheckpoint(_ path: String, step: Int) throws {
        try H5File.writeAtomically(to: path) { f in
            try f.write([Float](repeating: Float(step), count: 16), shape: [4, 4], to: "model/w")
            try f.attributes.set("step", step)
        }
    }

    func testWriteAtomicallyCreatesAndReplaces() throws {
        let path = dir.file("ckpt.h5")
        try writeCheckpoint(path, step: 1)
        XCTAssertEqual(try H5File.open(path).attributes.int("step"), 1)
        try writeCheckpoint(path, step: 2)
        let f = try H5File.open(path)
        XCTAssertEqual(try f.attributes.int("step"), 2)
        XCTAssertEqual(try f.read(Float.self, "model/w"), [Float](repeating: 2, count: 16))
        XCTAssertEqual(try dir.contents(), ["ckpt.h5"], "no temporary files left behind")
    }

    func testWriteAtomicallyLeavesOldFileIntactWhenBodyThrows() throws {
        let path = dir.file("ckpt.h5")
        try writeCheckpoint(path, step: 1)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        var tempPath = ""
        XCTAssertThrowsError(try H5File.writeAtomically(to: path) { f in
            tempPath = f.path
            try f.write([Float](repeating: 9, count: 16), shape: [4, 4], to: "model/w")
            try f.attributes.set("step", 9)
            throw Interrupted()
        }) { XCTAssertTrue($0 is Interrupted, "the body's own error comes back: \($0)") }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        XCTAssertEqual(try H5File.open(path).attributes.int("step"), 1)
        XCTAssertTrue(tempPath.hasPrefix(dir.path + "/."), "temporary sits next to the target: \(tempPath)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: tempPath))
        XCTAssertEqual(try dir.contents(), ["ckpt.h5"])
    }

    func testWriteAtomicallyFailsWhenBodyLeaksAHandle() throws {
        let path = dir.file("ckpt.h5")
        try writeCheckpoint(path, step: 1)
        var leaked: H5Dataset?
        assertThrows(try H5File.writeAtomically(to: path) { f in
            leaked = try f.write([Float](arrayLiteral: 1), shape: [1], to: "w")
        }, containing: ["write '\(path)' atomically", "close file", "still open"])
        XCTAssertNotNil(leaked)
        leaked = nil
        XCTAssertEqual(try H5File.open(path).attributes.int("step"), 1)
        XCTAssertEqual(try dir.contents(), ["ckpt.h5"])
    }

    func testWriteAtomicallyIntoAMissingDirectoryFails() {
        let path = dir.file("nope/ckpt.h5")
        assertThrows(try H5File.writeAtomically(to: path) { _ in }, containing: [path, "No such file or directory"])
    }

    func testWriteAtomicallyWithARelativePath() throws {
        let cwd = FileManager.default.currentDirectoryPath
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(dir.path))
        defer { _ = FileManager.default.changeCurrentDirectoryPath(cwd) }
        try H5File.writeAtomically(to: "rel.h5") { try $0.attributes.set("ok", 1) }
        XCTAssertEqual(try H5File.open(dir.file("rel.h5")).attributes.int("ok"), 1)
    }
}
