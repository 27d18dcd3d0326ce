import Foundation
import XCTest
@testable import OCRImport

/// The Swift ONNX reader on PaddleOCR's PP-OCRv4 file (paddle2onnx, opset 12, weights in Constant
/// nodes) and on broken files: every error names the file and where decoding stopped.
final class ONNXReaderTests: XCTestCase {
    func testReadsThePPOCRv4RecogniserAsONNXDescribesIt() throws {
        try ImportFixtures.requireModel()
        let file = try ONNXModelFile(contentsOf: ImportFixtures.recModel)
        // Numbers from Python's onnx 1.17 on the same file.
        XCTAssertEqual(file.nodes.count, 860)
        XCTAssertEqual(file.nodes.filter { $0.opType == "Constant" }.count, 420)
        XCTAssertEqual(file.constants.count, 420, "no initializers: every weight is a Constant node")
        XCTAssertEqual(file.opsets.first?.version, 12)
        XCTAssertEqual(file.inputs, ["x"])
        XCTAssertEqual(file.outputs, ["softmax_11.tmp_0"])
        XCTAssertEqual(file.metadata["character"]?.split(separator: "\n").count, 6623)
        let firstConv = try XCTUnwrap(file.computeNodes.first)
        XCTAssertEqual(firstConv.opType, "Conv")
        XCTAssertEqual(firstConv.ints("strides"), [2, 2])
        let w = try XCTUnwrap(file.constants[firstConv.inputs[1]])
        XCTAssertEqual(w.shape, [16, 3, 3, 3])
        XCTAssertEqual(w.floats.count, 432)
        let floats = file.constants.values.filter(\.isFloat).reduce(0) { $0 + $1.floats.count }
        XCTAssertGreaterThan(floats, 2_600_000)
    }

    func testTruncatedFileNamesFileAndOffset() throws {
        try ImportFixtures.requireModel()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: ImportFixtures.recModel)))
        let message = thrownMessage { try ONNXModelFile(bytes: Array(bytes.prefix(bytes.count / 2)), path: "half.onnx") }
        XCTAssertTrue(message.hasPrefix("half.onnx: not a readable ONNX model"), message)
        XCTAssertTrue(message.contains("field 7 (graph) claims"), message)
        XCTAssertTrue(message.contains("in ModelProto at byte 2"), message)
        XCTAssertTrue(message.contains("truncated"), message)
        // A broken node inside an intact graph: ir_version 7, graph (5 bytes) whose node field claims 10.
        let inner = thrownMessage { try ONNXModelFile(bytes: [0x08, 0x07, 0x3a, 0x05, 0x0a, 0x0a, 0x41, 0x42, 0x43], path: "odd.onnx") }
        XCTAssertEqual(inner, "odd.onnx: not a readable ONNX model: field 1 (node) claims 10 bytes but only 3 remain in "
                       + "ModelProto.graph at byte 4 (file size 9); the file may be truncated or not an ONNX file")
    }

    func testNonONNXFilesAreRefused() throws {
        let dir = try ImportFixtures.scratchDirectory("reader")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = dir + "/notes.onnx"
        try "Global:\n  max_steps: 10\n".write(toFile: text, atomically: true, encoding: .utf8)
        let m1 = thrownMessage { try ONNXModelFile(contentsOf: text) }
        XCTAssertTrue(m1.hasPrefix(text + ":"), m1)
        let empty = dir + "/empty.onnx"
        FileManager.default.createFile(atPath: empty, contents: Data())
        XCTAssertTrue(thrownMessage { try ONNXModelFile(contentsOf: empty) }.contains("empty"))
        let m3 = thrownMessage { try ONNXModelFile(contentsOf: dir + "/missing.onnx") }
        XCTAssertTrue(m3.contains("missing.onnx: cannot read"), m3)
    }
}
