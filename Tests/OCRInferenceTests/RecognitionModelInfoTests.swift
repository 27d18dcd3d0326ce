import Imaging
import OCRCore
import OCRData
import XCTest
@testable import OCRInference

/// Reading recogniser metadata: OCRKit's contract (docs/DECISIONS.md) and PaddleOCR's `character`.
final class RecognitionModelInfoTests: XCTestCase {
    func testOCRKitMetadata() throws {
        let path = Fixtures.path("rec_ocrkit.onnx")
        let info = try RecognitionModelInfo(session: InferenceSession(path: path))
        XCTAssertEqual(info.origin, .ocrkit)
        XCTAssertEqual(info.algorithm, "CRNN")
        XCTAssertEqual(info.charset, try Charset(characters: "abc", useSpaceChar: true))
        XCTAssertEqual(info.charset.classCount, 5)
        XCTAssertEqual(info.inputName, "x")
        XCTAssertEqual(info.outputName, "logits")
        XCTAssertEqual(info.resize.imageShape, [3, 4, 16])
        XCTAssertTrue(info.resize.padding)
        XCTAssertEqual(info.resize.mean, [0.5, 0.5, 0.5])
        XCTAssertEqual(info.resize.std, [0.5, 0.5, 0.5])
        XCTAssertFalse(info.fixedWidth)
        XCTAssertEqual(info.batchWidth, .inputWidth)
        XCTAssertEqual(info.colorOrder, .bgr)
        XCTAssertEqual(info.scores, .logits)
        XCTAssertEqual(info.precision, "fp32")
        XCTAssertEqual(info.sourceCheckpoint, "runs/fixture/best.h5")
        XCTAssertEqual(info.configSHA256, String(repeating: "0", count: 64))
    }

    func testPaddleOCRMetadata() throws {
        let info = try RecognitionModelInfo(session: InferenceSession(path: Fixtures.path("rec_paddle.onnx")))
        XCTAssertEqual(info.origin, .paddleOCR)
        XCTAssertNil(info.algorithm)
        XCTAssertEqual(info.charset, try Charset(characters: "abc", useSpaceChar: true))
        XCTAssertEqual(info.outputName, "softmax_out")
        XCTAssertEqual(info.resize.imageShape, [3, 4, 320], "height from the graph, PaddleOCR's width 320")
        XCTAssertEqual(info.batchWidth, .widestLine)
        XCTAssertEqual(info.scores, .probabilities)
        XCTAssertEqual(info.colorOrder, .bgr)
    }

    func testModelWithoutMetadataIsNamed() throws {
        let path = Fixtures.path("rec_nometa.onnx")
        let e = assertThrows(InferenceError.self) { try RecognitionModelInfo(session: InferenceSession(path: path)) }
        XCTAssertEqual(e?.kind, .metadata)
        XCTAssertTrue(e?.message.hasPrefix("\(path): no recogniser metadata: neither OCRKit's") == true, e?.message ?? "")
    }

    func testClassCountMustMatchTheCharset() throws {
        let path = Fixtures.path("rec_badcount.onnx")
        let e = assertThrows(InferenceError.self) { try TextRecognizer(modelPath: path) }
        XCTAssertEqual(e?.message, "\(path): the output logits: float [B, W, 5] has 5 classes but the charset has 6 "
                       + "(blank + 4 characters + space); wrong character list or use_space_char?")
    }

    /// Each broken key is reported with the file and the key.
    func testBadOCRKitValuesAreNamed() throws {
        let session = try InferenceSession(path: Fixtures.path("rec_ocrkit.onnx"))
        let good = session.metadata.custom
        func message(_ change: (inout [String: String]) -> Void) -> String {
            var m = good
            change(&m)
            return assertThrows(InferenceError.self) {
                try RecognitionModelInfo(path: "m.onnx", metadata: m, inputs: session.inputs, outputs: session.outputs)
            }?.message ?? "(no error)"
        }
        XCTAssertEqual(message { $0["ocrkit.kind"] = "det" }, "m.onnx: ocrkit.kind is 'det', not 'rec': this model is not a text recogniser")
        XCTAssertEqual(message { $0["ocrkit.format_version"] = "2" },
                       "m.onnx: ocrkit.format_version is 2; this OCRKit reads version 1 (a newer OCRKit wrote it?)")
        XCTAssertEqual(message { $0["ocrkit.input_height"] = nil },
                       "m.onnx: metadata 'ocrkit.input_height' is missing (OCRKit recognisers carry every ocrkit.* key)")
        XCTAssertEqual(message { $0["ocrkit.use_space_char"] = "yes" }, "m.onnx: metadata ocrkit.use_space_char = 'yes' is not true or false")
        XCTAssertEqual(message { $0["ocrkit.mean"] = "0.5,x,0.5" }, "m.onnx: metadata ocrkit.mean = '0.5,x,0.5' is not a comma-separated list of numbers")
        XCTAssertEqual(message { $0["ocrkit.color_order"] = "GRAY" },
                       "m.onnx: ocrkit.color_order 'GRAY' does not fit 3 input channels (BGR or RGB for 3, GRAY for 1)")
        XCTAssertEqual(message { $0["ocrkit.decoder"] = "ctc_beam" }, "m.onnx: ocrkit.decoder 'ctc_beam' is not supported (ctc_greedy)")
        XCTAssertEqual(message { $0["ocrkit.blank_index"] = "96" },
                       "m.onnx: ocrkit.blank_index is '96'; OCRKit's CTC decoding has the blank at class 0")
        XCTAssertEqual(message { $0["ocrkit.input_height"] = "32" },
                       "m.onnx: the metadata says input height 32, the graph's input is x: float [B, 3, 4, W]")
        XCTAssertEqual(message { $0["character"] = "a\n\nb" },
                       "charset m.onnx (metadata 'character'): line 2 is empty (a dictionary line holds one character; write a single space for space, or set use_space_char)")
        XCTAssertTrue(message { $0["ocrkit.std"] = "0.5,0.5" }.hasPrefix("m.onnx: RecResize: std needs 1 or 3 finite values"))
    }

    /// PP-OCRv4's dictionary lists U+90CE and U+F92C, equal to Swift (canonical equivalence) but two
    /// classes of the model: both are kept, so the class count still matches.
    func testRepeatedCharactersInAModelsDictionaryStayClasses() throws {
        let session = try InferenceSession(path: Fixtures.path("rec_ocrkit.onnx"))
        var m = session.metadata.custom
        m["character"] = "\u{90CE}\nb\n\u{F92C}"
        let info = try RecognitionModelInfo(path: "m.onnx", metadata: m, inputs: session.inputs, outputs: session.outputs)
        XCTAssertEqual(info.charset.classCount, 5)
        XCTAssertEqual(try info.charset.decode([3, 1]).unicodeScalars.map(\.value), [0xF92C, 0x90CE])
    }

    func testMeanAndStdReachTheNormalisation() throws {
        let session = try InferenceSession(path: Fixtures.path("rec_ocrkit.onnx"))
        var m = session.metadata.custom
        m["ocrkit.mean"] = "0.25,0.5,0.75"
        m["ocrkit.std"] = "0.5,0.25,0.125"
        let info = try RecognitionModelInfo(path: "m.onnx", metadata: m, inputs: session.inputs, outputs: session.outputs)
        let image = try Image(width: 1, height: 4, colorOrder: .bgr, pixels: [UInt8](repeating: 255, count: 12))
        let line = try info.resize(image)
        // (255 / 255 - mean) / std per channel, 4 rows each
        XCTAssertEqual(line.pixels, [1.5, 1.5, 1.5, 1.5, 2, 2, 2, 2, 2, 2, 2, 2])
    }
}
