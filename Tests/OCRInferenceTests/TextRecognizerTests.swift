import Foundation
import Imaging
import OCRCore
import XCTest
@testable import OCRInference

/// TextRecognizer over the column-reading fixtures (Fixtures/make_fixtures.py): known images give
/// known texts and confidences, whatever the batching.
final class TextRecognizerTests: XCTestCase {
    let ocrkit = Fixtures.path("rec_ocrkit.onnx")
    let paddle = Fixtures.path("rec_paddle.onnx")

    // Classes: 1 a, 2 b, 3 c, 4 space; 0 blank.
    func testGreedyDecodingOfAKnownPattern() throws {
        let rec = try TextRecognizer(modelPath: ocrkit)
        // a b _ b a: the blank separates the two b's; a a (repeat) collapses; trailing padding is blank.
        let r = try rec.recognize(try ColumnCode.image([1, 2, 0, 2, 1, 1, 4, 3]))
        XCTAssertEqual(r.text, "abba c")
        // Every kept character's first column has the same top probability (byte offsets are equal).
        let expected = (1...4).map { ColumnCode.probability(ofClass: $0) }
        let mean = ([1, 2, 2, 1, 4, 3].map { expected[$0 - 1] }).reduce(0, +) / 6
        XCTAssertEqual(Double(r.confidence), mean, accuracy: 1e-5, "confidence \(r.confidence), expected \(mean)")
        XCTAssertEqual(try rec.recognize(try ColumnCode.image([0, 0, 0])), .init(text: "", confidence: 0))
    }

    func testPaddleModelReadsTheSameTextFromProbabilities() throws {
        let rec = try TextRecognizer(modelPath: paddle)
        let r = try rec.recognize(try ColumnCode.image([3, 0, 3, 4, 2]))
        XCTAssertEqual(r.text, "cc b")
        let mean = [3, 3, 4, 2].map { ColumnCode.probability(ofClass: $0) }.reduce(0, +) / 4
        XCTAssertEqual(Double(r.confidence), mean, accuracy: 1e-5)
    }

    func testBatchWidthFollowsTheModel() throws {
        let short = try ColumnCode.image([1, 2])
        let long = try ColumnCode.image(Array(repeating: [1, 0], count: 300).flatMap { $0 })  // 600 x 4: ratio 150
        // OCRKit: always the input width (16); PaddleOCR: max(320, Int(4 * 150)) as RapidOCR.
        let k = try TextRecognizer(modelPath: ocrkit)
        XCTAssertEqual(k.batchWidth(for: [short]), 16)
        XCTAssertEqual(try k.preprocess([short, short]).shape, [2, 3, 4, 16])
        let p = try TextRecognizer(modelPath: paddle)
        XCTAssertEqual(p.batchWidth(for: [short]), 320)
        XCTAssertEqual(p.batchWidth(for: [short, long]), 600)
        // Not squeezed: all 300 a's are read.
        XCTAssertEqual(try p.recognize([short, long])[1].text, String(repeating: "a", count: 300))
    }

    func testPreprocessingPadsWithZerosAfterNormalisation() throws {
        let rec = try TextRecognizer(modelPath: ocrkit)
        let x = try rec.preprocess([try ColumnCode.image([2])])
        // channel 0, row 0: the column, then 15 zeros of padding; channel 1 row 0: byte 0 -> -1.
        XCTAssertEqual(x.values[0], (Float(178) / 255 - 0.5) / 0.5)
        XCTAssertEqual(Array(x.values[1..<16]), Array(repeating: 0, count: 15))
        XCTAssertEqual(x.values[4 * 16], -1)
    }

    func testResultsComeBackInInputOrderWhateverTheBatching() throws {
        let texts: [[Int]] = [[1, 2, 3, 1, 2, 3, 1, 2, 3, 1], [2], [3, 0, 3], [1, 4, 2, 4, 3], [2, 2, 1],
                              [3, 1, 2, 3, 1, 2, 3], [1], [4, 1], [2, 3, 1, 2]]
        let images = try texts.map { try ColumnCode.image($0) }
        let one = try TextRecognizer(modelPath: ocrkit, batchSize: 1).recognize(images)
        XCTAssertEqual(one.map(\.text), ["abcabcabca", "b", "cc", "a b c", "ba", "cabcabc", "a", " a", "bcab"])
        for batchSize in [2, 3, 4, 16] {
            let batched = try TextRecognizer(modelPath: ocrkit, batchSize: batchSize).recognize(images)
            XCTAssertEqual(batched.map(\.text), one.map(\.text), "batch size \(batchSize)")
            XCTAssertLessThan(maxAbsDiff(batched.map(\.confidence), one.map(\.confidence)), 1e-6, "batch size \(batchSize)")
        }
        let paddleBatched = try TextRecognizer(modelPath: paddle, batchSize: 4).recognize(images)
        XCTAssertEqual(paddleBatched.map(\.text), one.map(\.text))
        XCTAssertEqual(try TextRecognizer(modelPath: ocrkit).recognize([]), [])
    }

    func testImagesAreConvertedToTheModelsChannelOrder() throws {
        let rec = try TextRecognizer(modelPath: ocrkit)
        XCTAssertEqual(try rec.recognize(try ColumnCode.image([1, 0, 1, 3], order: .rgb)).text, "aac")
        // A gray image has the same byte in every channel once converted to BGR.
        let gray = try Image(width: 2, height: 4, colorOrder: .gray, pixels: [ColumnCode.byte(forClass: 2), 0] + [UInt8](repeating: 0, count: 6))
        XCTAssertEqual(try rec.recognize(gray).text, "b")
    }

    func testBadBatchSizeIsRefused() {
        XCTAssertEqual(assertThrows(InferenceError.self) { try TextRecognizer(modelPath: ocrkit, batchSize: 0) }?.kind, .invalidInput)
    }
}
