import HDF5
import XCTest

final class H5GroupTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory() }
    override func tearDown() { dir = nil }

    func testNestedGroupsAndDatasetPaths() throws {
        let path = dir.file("tree.h5")
        do {
            let f = try H5File.create(path)
            // Parents are created as needed, both by createGroup and by dataset writes.
            let stage = try f.createGroup("backbone/stages/0")
            XCTAssertEqual(stage.path, "/backbone/stages/0")
            try stage.write([Float](repeating: 1, count: 8), shape: [2, 1, 2, 2], to: "conv/weight")
            try stage.write([Float](repeating: 0, count: 2), shape: [2], to: "bn/running_mean")
            try f.write([Float](repeating: 2, count: 4), shape: [4], to: "head/fc/bias")
            try f.write(Int64(7), to: "optimizer/step")
            // mkdir -p semantics: creating an existing group returns it.
            let again = try f.createGroup("backbone/stages")
            XCTAssertEqual(try again.members(), ["0"])
            try again.createGroup("1")
        }
        let f = try H5File.open(path)
        XCTAssertEqual(try f.members(), ["backbone", "head", "optimizer"])
        XCTAssertEqual(try f.group("backbone/stages").members(), ["0", "1"])
        XCTAssertEqual(try f.datasetPaths(), [
            "backbone/stages/0/bn/running_mean", "backbone/stages/0/conv/weight", "head/fc/bias", "optimizer/step",
        ])
        let stages = try f.group("/backbone/stages")
        XCTAssertEqual(try stages.datasetPaths(), ["0/bn/running_mean", "0/conv/weight"])
        XCTAssertEqual(try stages.dataset("0/conv/weight").path, "/backbone/stages/0/conv/weight")
        XCTAssertEqual(try stages.read(Float.self, "0/conv/weight").count, 8)
        XCTAssertEqual(try stages.dataset("/head/fc/bias").shape, [4])  // absolute paths work anywhere
        XCTAssertEqual(try f.kind(of: "backbone"), .group)
        XCTAssertEqual(try f.kind(of: "head/fc/bias"), .dataset)
    }

    func testContains() throws {
        let f = try H5File.create(dir.file("contains.h5"))
        try f.write([Int32](arrayLiteral: 1), shape: [1], to: "a/b/w")
        XCTAssertTrue(try f.contains("a"))
        XCTAssertTrue(try f.contains("a/b"))
        XCTAssertTrue(try f.contains("/a/b/w"))
        XCTAssertTrue(try f.contains("a//b/"))  // sloppy separators are normalised
        XCTAssertFalse(try f.contains("a/c"))
        XCTAssertFalse(try f.contains("x/y/z"))  // missing parents answer false, not an error
        XCTAssertFalse(try f.contains("a/b/w/deeper"))  // a dataset has no children
        XCTAssertTrue(try f.group("a").contains("b/w"))
        XCTAssertTrue(try f.contains("/"))
    }

    func testGroupErrorsNamePaths() throws {
        let path = dir.file("groups.h5")
        let f = try H5File.create(path)
        try f.write([Float](arrayLiteral: 1), shape: [1], to: "w")
        assertThrows(try f.group("nope/deeper"), containing: ["/nope/deeper", path, "no such group"])
        assertThrows(try f.group("w"), containing: ["'/w'", "dataset"])
        assertThrows(try f.createGroup("w"), containing: ["'/w'", "dataset"])
        assertThrows(try f.createGroup("w/inner"), containing: ["/w/inner", "parent 'w' is a dataset"])
        assertThrows(try f.write([Float](arrayLiteral: 1), shape: [1], to: "w/x"), containing: ["/w/x", "not a group"])
        assertThrows(try f.kind(of: "ghost"), containing: ["/ghost", "no such object"])
    }

    func testMembersAreSortedByName() throws {
        let f = try H5File.create(dir.file("order.h5"))
        let g = try f.createGroup("layers")
        for name in ["b", "10", "a", "2"] { try g.createGroup(name) }
        XCTAssertEqual(try g.members(), ["10", "2", "a", "b"])
        XCTAssertEqual(try f.createGroup("empty").members(), [])
    }
}
