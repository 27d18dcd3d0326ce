import Foundation
import HDF5
import XCTest
@testable import NN
@testable import Torch

final class StatePersistenceTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("nn-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testModuleRoundTripThroughHDF5() throws {
        let a = try TinyNet()
        _ = try a(try Tensor.randn([2, 1, 4, 6]))            // moves BN running stats off their init
        let path = dir.appendingPathComponent("ckpt.h5").path
        try a.save(to: path)
        let b = try TinyNet()
        let report = try b.load(from: path)
        XCTAssertTrue(report.isExact, "\(report)")
        XCTAssertEqual(report.loaded.count, a.stateDict().count)
        for ((pa, ta), (pb, tb)) in zip(a.stateDict(), b.stateDict()) {
            XCTAssertEqual(pa, pb)
            XCTAssertEqual(ta.dtype, tb.dtype, pa)
            XCTAssertEqual(try ta.toArray(Double.self), try tb.toArray(Double.self), pa)
        }
        // keys are the parameter paths, readable by any HDF5 tool
        let file = try H5File.open(path)
        XCTAssertTrue(try file.contains("model/backbone/stages/0/conv/weight"))
        XCTAssertEqual(try file.dataset("model/backbone/stages/0/bn/num_batches_tracked").dtype, .int64)
        XCTAssertEqual(try file.dataset("model/neck/lstm/weight_ih_l0_reverse").shape, [24, 8])
        // same outputs in eval mode
        a.eval(); b.eval()
        let x = try Tensor.randn([1, 1, 4, 5])
        XCTAssertEqual(try a(x).toArray(Float.self), try b(x).toArray(Float.self))
    }

    func testFailedSaveLeavesOldFileIntact() throws {
        let path = dir.appendingPathComponent("ckpt.h5").path
        let a = try TinyNet()
        try a.save(to: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        struct Boom: Error {}
        XCTAssertThrowsError(try H5File.writeAtomically(to: path) { file in
            try a.writeState(to: file.createGroup("model"))
            throw Boom()
        })
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["ckpt.h5"])   // no temp left
    }

    func testLoadErrorsNameTheFileAndTheProblem() throws {
        let notH5 = dir.appendingPathComponent("x.h5").path
        try Data("not hdf5".utf8).write(to: URL(fileURLWithPath: notH5))
        XCTAssertThrowsError(try TinyNet().load(from: notH5)) { XCTAssertTrue("\($0)".contains(notH5), "\($0)") }
        let empty = dir.appendingPathComponent("empty.h5").path
        try H5File.writeAtomically(to: empty) { _ in }
        XCTAssertThrowsError(try TinyNet().load(from: empty)) { XCTAssertTrue("\($0)".contains("not an OCRKit checkpoint"), "\($0)") }
        let small = dir.appendingPathComponent("small.h5").path
        try Linear("head/fc", 12, 3).save(to: small)
        XCTAssertThrowsError(try TinyNet().load(from: small)) { e in
            XCTAssertTrue("\(e)".contains("shape mismatch head/fc/weight"), "\(e)")
            XCTAssertTrue("\(e)".contains("missing"), "\(e)")
        }
        let report = try TinyNet().load(from: small, strict: false)
        XCTAssertEqual(report.mismatched.count, 2)
        XCTAssertTrue(report.loaded.isEmpty)
    }
}
