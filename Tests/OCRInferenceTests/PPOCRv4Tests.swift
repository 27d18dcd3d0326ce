import Foundation
import Imaging
import OCRData
import XCTest
@testable import OCRInference

/// PaddleOCR's PP-OCRv4 recogniser (from RapidOCR's wheel, placed by scripts/setup.sh) reading
/// lines rendered by OCRData's synthetic renderer. Fails - never skips - when the model is missing.
final class PPOCRv4Tests: XCTestCase {
    static let model = Fixtures.packageRoot + "/.deps/models/ch_PP-OCRv4_rec_infer.onnx"
    static let fonts = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                        "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"]
    static let texts = ["hello", "OCRKit", "The quick brown fox", "Invoice 2026-11-26", "recognition"]

    func recognizer(batchSize: Int) throws -> TextRecognizer {
        guard FileManager.default.fileExists(atPath: Self.model) else {
            // A thrown error fails the test (never a skip).
            throw InferenceError(.fileNotFound, "\(Self.model) is missing: run scripts/setup.sh (it takes the model from the rapidocr-onnxruntime wheel)")
        }
        return try TextRecognizer(modelPath: Self.model, options: .init(intraOpThreads: 2, interOpThreads: 1), batchSize: batchSize)
    }

    /// Black on white, 32 px: PP-OCRv4 should read every line exactly.
    func renderLines() throws -> [RenderedLine] {
        let renderer = try LineRenderer(options: .clean)
        let fonts = try Self.fonts.map { try FontFile(path: $0) }
        return try fonts.flatMap { font in try Self.texts.enumerated().map { i, t in try renderer.render(t, font: font, seed: 7, index: i) } }
    }

    func testMetadataIsReadAsPaddleOCRs() throws {
        let info = try recognizer(batchSize: 1).info
        XCTAssertEqual(info.origin, .paddleOCR)
        XCTAssertEqual(info.charset.classCount, 6625, "blank + 6623 characters + space")
        XCTAssertEqual(info.resize.imageShape, [3, 48, 320])
        XCTAssertEqual(info.scores, .probabilities)
        XCTAssertEqual(info.batchWidth, .widestLine)
    }

    func testReadsRenderedLines() throws {
        let lines = try renderLines()
        let one = try recognizer(batchSize: 1).recognize(lines.map(\.image))
        for (line, r) in zip(lines, one) {
            // PP-OCRv4 reads the left margin of some renders as a space; RapidOCR's own pipeline
            // reads the same (same texts and confidences to 5 decimals on 16 rendered lines).
            XCTAssertEqual(r.text.trimmingCharacters(in: .whitespaces), line.text, "\(line.font)")
            XCTAssertGreaterThan(r.confidence, 0.9, "\(line.font): \(line.text)")
        }
        // Batched (sorted by width, padded to the widest line): the same texts, in input order.
        let batched = try recognizer(batchSize: 8).recognize(lines.map(\.image))
        XCTAssertEqual(batched.map(\.text), one.map(\.text))
        let diff = maxAbsDiff(batched.map(\.confidence), one.map(\.confidence))
        print("PP-OCRv4: confidence batch 8 vs batch 1: max |diff| = \(diff) (padding differs; limit 0.02)")
        XCTAssertLessThan(diff, 0.02)
    }
}
