import Foundation
import OCREval
import OCRRun
import XCTest
@testable import OCRImport

/// Zero-shot equality: the checkpoint `ocr-train import` writes, scored by ocr-eval's checkpoint
/// path (LibTorch), gives the same line accuracy as the original .onnx scored by ocr-eval's ONNX
/// path (onnxruntime, PaddleOCR's preprocessing) on the same rendered lines.
final class ZeroShotEvalTests: XCTestCase {
    static let words = ["alpha", "Bravo", "charlie", "Delta 42", "echo", "FOXTROT", "golf", "Hotel 7",
                        "india", "Juliet", "kilo 2026", "Lima", "mike", "November", "oscar", "Papa 13",
                        "quebec", "Romeo", "sierra", "Tango 8", "uniform", "Victor", "whiskey", "X-ray 99",
                        "yankee", "Zulu", "price 12.50", "total: 3", "item #5", "ref A-17", "qty 250", "OK"]

    func testImportedCheckpointAndOnnxReadTheSameLines() throws {
        try ImportFixtures.assertZeroShotEquality(model: ImportFixtures.recModel, config: ImportFixtures.recConfig,
                                                  texts: Self.words, name: "PP-OCRv4")
    }
}
