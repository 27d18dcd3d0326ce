import Foundation
import Imaging
import OCRCore
import XCTest
@testable import OCRData

/// The checked-in `datasets/` samples (made by scripts/make-datasets.sh) read as the loaders read
/// them: every label line parses, every image is there and decodes, cls labels are classes and
/// det polygons lie on their page.
final class SyntheticPagesDatasetsTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("datasets").path

    func testRecognitionSampleReads() throws {
        let labels = try RecognitionLabelReader(policy: .fail).read(file: Self.root + "/rec/rec_gt.txt")
        XCTAssertGreaterThanOrEqual(labels.records.count, 4)
        for r in labels.records {
            XCTAssertFalse(r.text.isEmpty)
            XCTAssertGreaterThan(try Image(contentsOf: Self.root + "/rec/" + r.imagePath).width, 0, r.imagePath)
        }
    }

    func testClassifierSampleHasBothAngles() throws {
        let labels = try RecognitionLabelReader(policy: .fail).read(file: Self.root + "/cls/cls_gt.txt")
        let classes = labels.records.map { ClassLabels.angles.index(of: $0.text) }
        XCTAssertFalse(classes.contains(nil), "\(labels.records.map(\.text))")
        XCTAssertEqual(Set(classes.compactMap { $0 }), [0, 1])
        for r in labels.records {
            XCTAssertGreaterThan(try Image(contentsOf: Self.root + "/cls/" + r.imagePath).width, 0, r.imagePath)
        }
    }

    func testDetectionSampleReads() throws {
        let labels = try DetectionLabelReader(policy: .fail).read(file: Self.root + "/det/det_gt.txt")
        XCTAssertGreaterThanOrEqual(labels.records.count, 4)
        for r in labels.records {
            let image = try Image(contentsOf: Self.root + "/det/" + r.imagePath)
            XCTAssertFalse(r.regions.isEmpty, r.imagePath)
            for region in r.regions {
                XCTAssertTrue(region.polygon.isValid, "\(r.imagePath) '\(region.transcription)'")
                for p in region.polygon.points {
                    XCTAssertTrue(p.x >= 0 && p.y >= 0 && p.x < Double(image.width) && p.y < Double(image.height),
                                  "\(r.imagePath) '\(region.transcription)': \(p)")
                }
            }
        }
    }
}
