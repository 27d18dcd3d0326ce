import Foundation
import Imaging
import OCRCore
import VenvPython
import XCTest
@testable import OCRInference

/// PageReader against RapidOCR on the same pages - rendered lines and OCRData's synthetic pages -
/// each side set to PaddleOCR's inference defaults: the same number of lines in the same order,
/// each of our boxes with IoU >= 0.95 with RapidOCR's, the same texts, and confidences within 1e-4
/// (batches are formed alike, and the venvs' OpenCV 4.12 crops byte for byte as Imaging's 4.6, so
/// they differ only by float rounding, and RapidOCR 3.x's rounding to 5 decimals). Two references,
/// one comparison:
/// - PP-OCRv4 det + v2.0 cls + v4 rec: RapidOCR 1.4.4 (Python/rapidocr_pages.py, test venv);
/// - PP-OCRv6 small det + rec with the same cls: RapidOCR 3.10.0 (Python/rapidocr3_pages.py, the
///   venv of `scripts/test-venv.sh --rapidocr3`).
/// A missing venv fails the test, never skips it.
final class PagePipelineRapidOCRTests: XCTestCase {
    struct Reference: Decodable {
        struct Line: Decodable {
            var box: [[Double]]
            var text: String
            var score: Double
        }
        var version: String
        var pages: [String: [Line]]
    }

    func testSameBoxesAndTextsAsRapidOCR() throws {
        try compare(models: .ppocrV4(in: TestPages.modelDirectory), script: "Tests/OCRInferenceTests/Python/rapidocr_pages.py",
                    venv: .tests, version: "rapidocr_onnxruntime 1.4.4")
    }

    func testPPOCRv6SameBoxesAndTextsAsRapidOCR3() throws {
        try compare(models: .ppocrV6Small(in: TestPages.modelDirectory), script: "Tests/OCRInferenceTests/Python/rapidocr3_pages.py",
                    venv: .rapidOCR3, version: "rapidocr 3.10.0")
    }

    /// The comparison fails, never skips, without its venv: the error names the command that makes it.
    func testMissingVenvFailsNamingItsSetup() throws {
        var venv = VenvPython.Venv.rapidOCR3
        venv.directory = ".deps/no-such-venv"
        XCTAssertThrowsError(try VenvPython.run("Tests/OCRInferenceTests/Python/rapidocr3_pages.py", [], venv: venv)) { error in
            XCTAssertTrue("\(error)".contains("run scripts/test-venv.sh --rapidocr3"), "\(error)")
        }
    }

    /// Reads the pages with `models` and with `script` (RapidOCR `version`, in `venv`) and compares
    /// line by line.
    func compare(models: PageModels, script: String, venv: VenvPython.Venv, version: String,
                 file: StaticString = #filePath, line: UInt = #line) throws {
        let dir = try Fixtures.scratchDirectory("rapidocr")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The rendered pages, and OCRData's synthetic pages (rotated blocks, perspective, paper, noise).
        let pages = try TestPages.standardPages().map { ($0.name, $0.image) } + TestPages.syntheticPages(count: 4)
        var paths = [String]()
        for page in pages {
            let path = "\(dir)/\(page.0).png"
            try page.1.encoded(as: .png).write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let data = try VenvPython.run(script, paths, venv: venv, hint: "is \(version) in \(venv.directory) (\(venv.setup))?")
        let reference = try JSONDecoder().decode(Reference.self, from: data)
        XCTAssertEqual(reference.version, version, "\(venv.directory)'s RapidOCR is not the pinned one: run \(venv.setup)", file: file, line: line)
        let reader = try TestPages.reader(models: models)
        // Crops are recognised in batches sorted by aspect ratio and padded to the widest in the
        // batch. Crops whose ratios tie may land in other batches than RapidOCR's (numpy's argsort
        // is not stable), and their padding - so their confidence - then differs slightly; their
        // texts must still be the same. Every other line's confidence matches within 1e-4.
        var worstIoU = 1.0, worstScore = 0.0, worstTied = 0.0, compared = 0
        for path in paths {
            let ours = try reader.read(file: path).result.get().lines
            let theirs = try XCTUnwrap(reference.pages[path], path, file: file, line: line)
            XCTAssertEqual(ours.map(\.text), theirs.map(\.text), "\(path): texts or their order differ", file: file, line: line)
            XCTAssertEqual(ours.count, theirs.count, path, file: file, line: line)
            let ratios = ours.map { line -> Double in
                let s = TextCrop.size(of: line.polygon.points)
                return Double(s.width) / Double(max(s.height, 1))
            }
            for (i, (a, b)) in zip(ours, theirs).enumerated() {
                let iou = a.polygon.iou(with: Polygon(b.box.map { Point($0[0], $0[1]) }))
                worstIoU = min(worstIoU, iou)
                let diff = abs(Double(a.confidence) - b.score)
                let tied = ratios.indices.contains { $0 != i && ratios[$0] == ratios[i] }
                if tied { worstTied = max(worstTied, diff) } else { worstScore = max(worstScore, diff) }
                XCTAssertLessThan(diff, tied ? 0.02 : 1e-4, "\(path): '\(a.text)' confidence \(a.confidence) vs RapidOCR's \(b.score)",
                                  file: file, line: line)
                XCTAssertGreaterThanOrEqual(iou, 0.95, "\(path): \(a.text) box \(a.textRegion) vs RapidOCR's \(b.box)", file: file, line: line)
                compared += 1
            }
        }
        print("PageReader (\((models.detector as NSString).lastPathComponent), \((models.recognizer as NSString).lastPathComponent)) "
              + "vs \(reference.version): \(compared) lines on \(paths.count) pages, min IoU \(worstIoU) (limit 0.95), "
              + "max |confidence diff| \(worstScore) (limit 1e-4; crops with tied aspect ratios: \(worstTied), limit 0.02)")
        XCTAssertGreaterThanOrEqual(compared, 60, "too few lines compared", file: file, line: line)
    }
}
