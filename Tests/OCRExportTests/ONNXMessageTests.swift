import OCRExport
import XCTest

/// ONNX messages against the bytes Google's protobuf runtime writes for the same messages built
/// with the `onnx` package: Python/make_proto_fixtures.py prints them.
final class ONNXMessageTests: XCTestCase {
    func hex(_ w: ProtobufWriter) -> String { w.bytes.map { String(format: "%02x", $0) }.joined() }

    func testFloatTensor() {
        let t = ONNXTensor(name: "w", floats: [1.0, -2.5], dims: [1, 2])
        XCTAssertEqual(hex(t.encoded()), "0801080210014201774a080000803f000020c0")
    }

    func testInt8Tensor() {
        let t = ONNXTensor(name: "q", int8s: [-1, 2, 127], dims: [3])
        XCTAssertEqual(hex(t.encoded()), "080310034201714a03ff027f")
    }

    /// int64/int32/uint8 go through raw_data too: little-endian, element by element.
    func testOtherTensorTypes() {
        XCTAssertEqual(ONNXTensor(name: "a", int64s: [1, -2], dims: [2]).rawData,
                       [1, 0, 0, 0, 0, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        XCTAssertEqual(ONNXTensor(name: "b", int32s: [258], dims: []).rawData, [2, 1, 0, 0])
        XCTAssertEqual(ONNXTensor(name: "c", uint8s: [0, 255], dims: [2]).rawData, [0, 255])
        XCTAssertEqual(ONNXTensor(name: "c", uint8s: [0, 255], dims: [2]).dataType.rawValue, 2)
        XCTAssertEqual(ONNXTensor(name: "d", int8s: [0], dims: [1]).dataType.rawValue, 3)
        XCTAssertEqual(ONNXTensor(name: "e", int32s: [0], dims: [1]).dataType.rawValue, 6)
        XCTAssertEqual(ONNXTensor(name: "f", int64s: [0], dims: [1]).dataType.rawValue, 7)
        XCTAssertEqual(ONNXTensor(name: "g", floats: [0.5, 3], dims: [2]).floats, [0.5, 3])
    }

    func testAttributes() {
        XCTAssertEqual(hex(ONNXAttribute.int("group", 3).encoded()), "0a0567726f75701803a00102")
        XCTAssertEqual(hex(ONNXAttribute.ints("perm", [0, 2, 1]).encoded()), "0a047065726d400040024001a00107")
        XCTAssertEqual(hex(ONNXAttribute.float("alpha", 0.2).encoded()), "0a05616c70686115cdcc4c3ea00101")
        XCTAssertEqual(hex(ONNXAttribute.string("mode", "nearest").encoded()), "0a046d6f646522076e656172657374a00103")
    }

    func testNodeWithOmittedOptionalInput() {
        let node = ONNXNode(opType: "Conv", name: "c", inputs: ["x", "w", ""], outputs: ["y"], attributes: [.int("group", 2)])
        XCTAssertEqual(hex(node.encoded()), "0a01780a01770a001201791a01632204436f6e762a0c0a0567726f75701802a00102")
    }

    func testValueInfoWithSymbolicDims() {
        let vi = ONNXValueInfo(name: "x", dims: ["batch", 3, 32, "width"])
        XCTAssertEqual(hex(vi.encoded()), "0a017812200a1e0801121a0a07120562617463680a0208030a0208200a0712057769647468")
    }
}
