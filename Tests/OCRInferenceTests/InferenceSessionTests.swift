import Foundation
import XCTest
@testable import OCRInference

/// InferenceSession over real ONNX Runtime with matmul_softmax.onnx: x [N, 3] -> y = x @ W, p = softmax(y),
/// W = [[1, 0], [0, 1], [1, 1]] (see Fixtures/make_fixtures.py).
final class InferenceSessionTests: XCTestCase {
    let model = Fixtures.path("matmul_softmax.onnx")

    func testInputsOutputsAndMetadata() throws {
        let s = try InferenceSession(path: model)
        XCTAssertEqual(s.inputs, [TensorInfo(name: "x", elementType: .float, shape: [nil, 3], dimensionNames: ["N", ""])])
        XCTAssertEqual(s.outputNames, ["y", "p"])
        XCTAssertEqual(s.outputs[1].shape, [nil, 2])
        XCTAssertEqual(s.outputs[1].description, "p: float [N, 2]")
        XCTAssertEqual(s.metadata.producerName, "ocrkit-fixtures")
        XCTAssertEqual(s.metadata.custom, ["alpha": "1", "beta": "two\nlines"])
        XCTAssertTrue(InferenceSession.runtimeVersion.hasPrefix("1."), InferenceSession.runtimeVersion)
    }

    func testRunGivesKnownValues() throws {
        let s = try InferenceSession(path: model, options: .init(intraOpThreads: 1, interOpThreads: 1))
        let out = try s.run(["x": FloatTensor([1, 2, 3, 0, 0, 0, -1, 0, 2], shape: [3, 3])])
        XCTAssertEqual(Set(out.keys), ["y", "p"])
        XCTAssertEqual(out["y"], try FloatTensor([4, 5, 0, 0, 1, 2], shape: [3, 2]))
        let e = Float(M_E)
        let expected: [Float] = [1 / (1 + e), e / (1 + e), 0.5, 0.5, 1 / (1 + e), e / (1 + e)]
        let diff = maxAbsDiff(out["p"]!.values, expected)
        XCTAssertLessThan(diff, 1e-6, "max |diff| = \(diff) (limit 1e-6)")
        XCTAssertEqual(out["p"]!.shape, [3, 2])
    }

    func testRunReturnsOnlyTheOutputsAsked() throws {
        let s = try InferenceSession(path: model)
        let x = try FloatTensor([1, 2, 3], shape: [1, 3])
        XCTAssertEqual(Array(try s.run(["x": x], outputs: ["p"]).keys), ["p"])
        XCTAssertEqual(try s.run(["x": x], outputs: ["p", "y"])["y"]!.values, [4, 5])
    }

    func testEveryOptimisationLevelGivesTheSameOutputs() throws {
        let x = try FloatTensor([0.5, -2, 7], shape: [1, 3])
        let reference = try InferenceSession(path: model).run(["x": x])["p"]!.values
        for level in [InferenceSession.Options.GraphOptimization.none, .basic, .extended] {
            let s = try InferenceSession(path: model, options: .init(graphOptimization: level, allowSpinning: false))
            XCTAssertEqual(try s.run(["x": x])["p"]!.values, reference, "\(level)")
        }
    }

    func testConcurrentRunsOnOneSession() throws {
        let s = try InferenceSession(path: model, options: .init(intraOpThreads: 1))
        let results = LockedArray<Float>(repeating: 0, count: 64)
        DispatchQueue.concurrentPerform(iterations: 64) { i in
            let y = try? s.run(["x": FloatTensor([Float(i), 0, 1], shape: [1, 3])], outputs: ["y"])["y"]!.values
            results[i] = y.map { $0[0] + $0[1] } ?? -1
        }
        // y = [i + 1, 1]
        XCTAssertEqual(results.values, (0..<64).map { Float($0) + 2 })
    }

    func testWrongInputShapeNamesTheFileAndTheShapes() throws {
        let s = try InferenceSession(path: model)
        let e = assertThrows(InferenceError.self) { try s.run(["x": FloatTensor([1, 2, 3, 4], shape: [1, 4])]) }
        XCTAssertEqual(e?.kind, .invalidInput)
        XCTAssertEqual(e?.message, "\(model): input 'x' has shape [1, 4], the model takes x: float [N, 3]")
        let rank = assertThrows(InferenceError.self) { try s.run(["x": FloatTensor([1, 2, 3], shape: [3])]) }
        XCTAssertTrue(rank?.message.contains("has shape [3]") == true, rank?.message ?? "")
    }

    func testMissingUnknownAndBadlyFilledInputs() throws {
        let s = try InferenceSession(path: model)
        let x = try FloatTensor([1, 2, 3], shape: [1, 3])
        XCTAssertEqual(assertThrows(InferenceError.self) { try s.run([:]) }?.message,
                       "\(model): input 'x' is missing; the model's inputs are x: float [N, 3]")
        XCTAssertEqual(assertThrows(InferenceError.self) { try s.run(["x": x, "z": x]) }?.message,
                       "\(model): the model has no input 'z'; its inputs are x: float [N, 3]")
        XCTAssertEqual(assertThrows(InferenceError.self) { try s.run(["x": x], outputs: ["q"]) }?.message,
                       "\(model): the model has no output 'q'; its outputs are y: float [N, 2], p: float [N, 2]")
        var broken = x
        broken.values.append(4)
        XCTAssertEqual(assertThrows(InferenceError.self) { try s.run(["x": broken]) }?.kind, .invalidInput)
        XCTAssertEqual(assertThrows(InferenceError.self) { try FloatTensor([1, 2], shape: [3]) }?.kind, .invalidInput)
    }

    func testMissingFileIsNamed() {
        let path = NSTemporaryDirectory() + "ocrkit-no-such-model-\(getpid()).onnx"
        let e = assertThrows(InferenceError.self) { try InferenceSession(path: path) }
        XCTAssertEqual(e?.kind, .fileNotFound)
        XCTAssertEqual(e?.message, "\(path): no such file")
        let dir = assertThrows(InferenceError.self) { try InferenceSession(path: NSTemporaryDirectory()) }
        XCTAssertEqual(dir?.kind, .fileNotFound)
    }

    func testNonONNXFilesAreNamed() throws {
        let dir = try Fixtures.scratchDirectory("not-onnx")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = dir + "/notes.onnx"
        try "these are notes, not a model\n".write(toFile: text, atomically: true, encoding: .utf8)
        let e = assertThrows(InferenceError.self) { try InferenceSession(path: text) }
        XCTAssertEqual(e?.kind, .notONNX)
        XCTAssertTrue(e?.message.hasPrefix("\(text): not an ONNX model (ONNX Runtime: ") == true, e?.message ?? "")
        // An empty file parses as an empty protobuf message: a "model" with no graph.
        let empty = dir + "/empty.onnx"
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        let e2 = assertThrows(InferenceError.self) { try InferenceSession(path: empty) }
        XCTAssertTrue(e2?.kind == .notONNX || e2?.kind == .unsupportedModel, "\(String(describing: e2))")
        XCTAssertTrue(e2?.message.hasPrefix(empty + ": ") == true, e2?.message ?? "")
    }

    func testNegativeThreadCountIsRefused() {
        let e = assertThrows(InferenceError.self) { try InferenceSession(path: model, options: .init(intraOpThreads: -1)) }
        XCTAssertEqual(e?.kind, .invalidInput)
        XCTAssertTrue(e?.message.hasPrefix(model) == true)
    }
}
