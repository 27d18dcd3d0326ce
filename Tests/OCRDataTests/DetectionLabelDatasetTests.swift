import Foundation
import Imaging
import OCRCore
import XCTest
@testable import OCRData

/// Malformed det labels: every bad line is named by `file:line` and counted, under each policy.
final class DetectionLabelDatasetTests: XCTestCase {
    /// Lines 1 and 7 good; 2 bad JSON; 3 a region of 2 points; 4 a point outside the 160x120
    /// image; 5 a missing image; 6 corrupt image bytes; 8 a point that is not two numbers.
    private func malformed(_ f: DataFixture) throws -> String {
        let good1 = try f.writeDetPage("good1.png", boxes: [(10, 10, 60, 40)])
        let outside = try f.writeDetPage("outside.png", boxes: [(10, 10, 60, 40)]).split(separator: "\t")[0]
        let corrupt = try f.writeBytes("corrupt.png", [0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 4, 5])
        let good2 = try f.writeDetPage("good2.png", boxes: [(20, 20, 90, 50)])
        return try f.writeLabels("det.txt", [
            good1,
            "imgs/good1.png\t[{\"transcription\": \"a\", \"points\": [[1, 2], [3, 4]",
            "imgs/good1.png\t[{\"transcription\": \"a\", \"points\": [[1, 2], [30, 4]]}]",
            "\(outside)\t[{\"transcription\": \"a\", \"points\": [[10, 10], [200, 10], [200, 40], [10, 40]]}]",
            "imgs/missing.png\t" + DataFixture.detJSON([(10, 10, 60, 40)]),
            "\(corrupt)\t" + DataFixture.detJSON([(10, 10, 60, 40)]),
            good2,
            "imgs/good2.png\t[{\"transcription\": \"a\", \"points\": [[1, 2], [30, \"4\"], [30, 40]]}]",
        ])
    }

    func testSkipCountsEveryBadLineAndReplacesPagesThatFailToLoad() throws {
        let f = try DataFixture()
        let labels = try malformed(f)
        let ds = try DetectionLabelDataset(.init(dataDir: f.dir, labelFiles: [labels]))
        XCTAssertEqual(ds.count, 4, "lines 2, 3, 5 and 8 are left out up front")
        var r = ds.report
        XCTAssertEqual(r.count("invalid-json"), 1)
        XCTAssertEqual(r.count("invalid-region"), 2)
        XCTAssertEqual(r.count(DataIssue.Category.missingImage), 1)
        XCTAssertEqual(r.files[0].entries, 8)
        XCTAssertEqual(r.files[0].usable, 4)
        let locations = r.examples.map(\.location)
        XCTAssertEqual(Set(locations), ["\(labels):2", "\(labels):3", "\(labels):5", "\(labels):8"])
        XCTAssertTrue(r.examples.first { $0.line == 3 }!.message.contains("2 points"))
        XCTAssertTrue(r.examples.first { $0.line == 8 }!.message.contains("point 1 is not [x, y] with two finite numbers"))

        var sources = [String]()
        for i in 0..<ds.count { sources.append(try XCTUnwrap(ds.sample(at: i, datasetSeed: 9)).source) }
        r = ds.report
        XCTAssertEqual(r.count(DataIssue.Category.pointOutsideImage), 1)
        XCTAssertEqual(r.count(DataIssue.Category.undecodableImage), 1)
        XCTAssertEqual(r.substitutions, 2)
        let outsideIssue = try XCTUnwrap(r.examples.first { $0.category == DataIssue.Category.pointOutsideImage })
        XCTAssertEqual(outsideIssue.location, "\(labels):4")
        XCTAssertTrue(outsideIssue.description.contains("(200.0, 10.0) is outside the 160x120 image"), outsideIssue.description)
        XCTAssertEqual(r.examples.first { $0.category == DataIssue.Category.undecodableImage }?.location, "\(labels):6")
        XCTAssertTrue(sources[1].contains("[replacing \(labels):4]"), sources[1])
        XCTAssertTrue(sources[2].contains("[replacing \(labels):6]"), sources[2])
        XCTAssertEqual(sources[0], "\(labels):1 (imgs/good1.png)")
    }

    func testFailStopsAtTheFirstBadLineNamingIt() throws {
        let f = try DataFixture()
        let labels = try malformed(f)
        XCTAssertThrowsError(try DetectionLabelDataset(.init(dataDir: f.dir, labelFiles: [labels], policy: .fail))) { e in
            XCTAssertTrue("\(e)".contains("\(labels):2: annotation is not valid JSON"), "\(e)")
        }
        // A missing image is caught up front, a point outside the image when the page loads.
        let missing = try f.writeLabels("missing.txt", ["imgs/nope.png\t" + DataFixture.detJSON([(1, 1, 20, 20)])])
        XCTAssertThrowsError(try DetectionLabelDataset(.init(dataDir: f.dir, labelFiles: [missing], policy: .fail))) { e in
            XCTAssertTrue("\(e)".contains("\(missing):1: image 'imgs/nope.png'"), "\(e)")
            XCTAssertTrue("\(e)".contains("file not found"), "\(e)")
        }
        let outsideLine = try f.writeDetPage("o.png", width: 50, height: 40, boxes: [(10, 10, 60, 30)])
        let outside = try f.writeLabels("outside.txt", [outsideLine])
        let ds = try DetectionLabelDataset(.init(dataDir: f.dir, labelFiles: [outside], policy: .fail))
        XCTAssertThrowsError(try ds.sample(at: 0, datasetSeed: 1)) { e in
            let failure = e as? SampleFailure
            XCTAssertEqual(failure?.source, "\(outside):1")
            XCTAssertTrue("\(failure?.underlying ?? e)".contains("region 0 point 1 (60.0, 10.0) is outside the 50x40 image"), "\(e)")
        }
        var o = DetectionLabelDataset.Options(dataDir: f.dir, labelFiles: [outside], policy: .fail)
        o.pointTolerance = 10
        XCTAssertNotNil(try DetectionLabelDataset(o).sample(at: 0, datasetSeed: 1), "within point_tolerance")
    }

    func testExcludeLeavesPagesOutAndListsEveryLine() throws {
        let f = try DataFixture()
        let labels = try malformed(f)
        let ds = try DetectionLabelDataset(.init(dataDir: f.dir, labelFiles: [labels], policy: .exclude))
        let loaded = try (0..<ds.count).map { try ds.sample(at: $0, datasetSeed: 0) }
        XCTAssertEqual(loaded.map { $0?.source }, ["\(labels):1 (imgs/good1.png)", nil, nil, "\(labels):7 (imgs/good2.png)"])
        let r = ds.report
        XCTAssertEqual(r.substitutions, 0)
        XCTAssertEqual(r.excluded.map(\.line), [2, 3, 4, 5, 6, 8])
        XCTAssertEqual(r.excluded.map(\.category), ["invalid-json", "invalid-region", "point-outside-image", "missing-image",
                                                    "undecodable-image", "invalid-region"])
    }

    /// `image_check: decode` finds undecodable images and outside points before training starts.
    func testDecodeCheckFindsLoadProblemsUpFront() throws {
        let f = try DataFixture()
        var o = DetectionLabelDataset.Options(dataDir: f.dir, labelFiles: [try malformed(f)])
        o.imageCheck = .decode
        let ds = try DetectionLabelDataset(o)
        XCTAssertEqual(ds.count, 2)
        XCTAssertEqual(ds.report.count(DataIssue.Category.pointOutsideImage), 1)
        XCTAssertEqual(ds.report.count(DataIssue.Category.undecodableImage), 1)
        XCTAssertEqual(ds.report.count(DataIssue.Category.missingImage), 1)
    }

    /// ratio_list mixes files as for recognition: 0.5 of an 8-line file and all of a 3-line one.
    func testRatioListMixesFiles() throws {
        let f = try DataFixture()
        let a = try f.goodDetSet("a.txt", count: 8), b = try f.goodDetSet("b.txt", count: 3)
        let ds = try DetectionLabelDataset(.init(dataDir: f.dir, labelFiles: [a, b], ratios: [0.5, 1]))
        XCTAssertEqual(ds.count, 7)
        XCTAssertEqual(ds.report.files.map(\.perEpoch), [4, 3])
        let fromA = (0..<ds.count).filter { ds.record(at: $0, seed: 5).label.file == a }.count
        XCTAssertEqual(fromA, 4)
    }
}
