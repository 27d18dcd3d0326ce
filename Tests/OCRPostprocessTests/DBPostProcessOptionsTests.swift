import OCRCore
import OCRPostprocess
import XCTest

/// The PostProcess section as PaddleOCR writes it decodes; values that cannot work are errors
/// naming the key.
final class DBPostProcessOptionsTests: XCTestCase {
    func decode(_ yaml: String) throws -> DBPostProcessOptions {
        try ConfigTree(yaml: yaml, source: "det.yml").decode(DBPostProcessOptions.self, at: "PostProcess")
    }

    func testPaddleOCRKeysAndDefaults() throws {
        let o = try decode("""
        PostProcess:
          name: DBPostProcess
          thresh: 0.2
          box_thresh: 0.5
          max_candidates: 500
          unclip_ratio: 2.0
          score_mode: slow
          box_type: poly
          use_dilation: true
        """)
        XCTAssertEqual(o, DBPostProcessOptions(thresh: 0.2, boxThresh: 0.5, maxCandidates: 500, unclipRatio: 2,
                                               scoreMode: .slow, boxType: .poly, useDilation: true))
        XCTAssertEqual(try decode("PostProcess: {}"), DBPostProcessOptions())
        XCTAssertEqual(DBPostProcessOptions().boxThresh, 0.6)
        XCTAssertEqual(DBPostProcessOptions().unclipRatio, 1.5)
    }

    func testBadValuesNameTheKey() throws {
        XCTAssertThrowsError(try decode("PostProcess:\n  score_mode: quick\n")) {
            XCTAssertTrue("\($0)".contains("PostProcess.score_mode 'quick' is not one of fast, slow"), "\($0)")
        }
        XCTAssertThrowsError(try decode("PostProcess:\n  box_thresh: 1.5\n")) {
            XCTAssertTrue("\($0)".contains("PostProcess.box_thresh must be in [0, 1]"), "\($0)")
        }
        XCTAssertThrowsError(try decode("PostProcess:\n  max_candidates: 0\n")) {
            XCTAssertTrue("\($0)".contains("max_candidates"), "\($0)")
        }
        XCTAssertThrowsError(try decode("PostProcess:\n  name: CTCLabelDecode\n")) {
            XCTAssertTrue("\($0)".contains("PostProcess.name 'CTCLabelDecode' is not DBPostProcess"), "\($0)")
        }
        XCTAssertThrowsError(try decode("PostProcess:\n  unclip_ration: 2\n")) {
            XCTAssertTrue("\($0)".contains("unknown key 'PostProcess.unclip_ration'"), "\($0)")
        }
    }
}
