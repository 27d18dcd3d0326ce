import Foundation
import HDF5
import Imaging
import OCRCore
import XCTest
@testable import OCRData

/// Packed detection pages: written from label files, read back identical; bad records named
/// `file.h5#record`.
final class DetectionPackTests: XCTestCase {
    func testPackThenReadBackGivesTheSamePagesAndRegions() throws {
        let f = try DataFixture()
        let good = try f.goodDetSet("train.txt", count: 4)
        let outside = try f.writeDetPage("o.png", width: 50, height: 40, boxes: [(10, 10, 60, 30)])
        let labels = try f.writeLabels("all.txt", (try String(contentsOfFile: good, encoding: .utf8))
            .split(separator: "\n").map(String.init) + [outside])
        let ds = try DetectionLabelDataset(.init(dataDir: f.dir, labelFiles: [labels]))
        let path = f.dir + "/pages.h5"
        let (pages, report) = try ds.pack(to: path)
        XCTAssertEqual(pages, 4)
        XCTAssertEqual(report.examples.first { $0.category == DataIssue.Category.pointOutsideImage }?.location, "\(labels):5")

        let packed = try PackedPageDataset(.init(files: [path]))
        XCTAssertEqual(packed.count, 4)
        for i in 0..<4 {
            let a = try XCTUnwrap(ds.sample(at: i, datasetSeed: 0)), b = try XCTUnwrap(packed.sample(at: i, datasetSeed: 0))
            XCTAssertEqual(a.image, b.image)
            XCTAssertEqual(a.regions, b.regions)
            XCTAssertEqual(b.source, "\(path)#\(i) (\(a.source))")
        }
        XCTAssertTrue(try XCTUnwrap(packed.sample(at: 0, datasetSeed: 0)).regions.contains { $0.isDontCare }, "### survives packing")
    }

    func testFailPolicyPacksNothing() throws {
        let f = try DataFixture()
        let labels = try f.writeLabels("bad.txt", [try f.writeDetPage("o.png", width: 50, height: 40, boxes: [(10, 10, 60, 30)])])
        let ds = try DetectionLabelDataset(.init(dataDir: f.dir, labelFiles: [labels], policy: .fail))
        XCTAssertThrowsError(try ds.pack(to: f.dir + "/p.h5")) { e in XCTAssertTrue("\(e)".contains("\(labels):1: region 0 point 1"), "\(e)") }
        XCTAssertFalse(FileManager.default.fileExists(atPath: f.dir + "/p.h5"))
    }

    /// A pack from another producer with a bad annotation and a corrupt page.
    func testPackedIssuesAreReportedByRecord() throws {
        let f = try DataFixture()
        let path = f.dir + "/foreign.h5"
        let page = [UInt8](try DataFixture.detPage(width: 80, height: 60, boxes: [(5, 5, 40, 20)]).encoded(as: .png))
        let region = TextRegion(transcription: "a", polygon: Polygon([(5, 5), (40, 5), (40, 20), (5, 20)]))
        let json = String(decoding: try JSONEncoder().encode([region]), as: UTF8.self)
        // Written by hand, as another producer would: record 1's annotation has a 1-point region.
        try H5File.writeAtomically(to: path) { file in
            let blobs = try H5BlobArray.create(in: file.root(), PackedPageLayout.images)
            try blobs.append(contentsOf: [page, page, [1, 2, 3], page])
            let notes = try file.createDataset(PackedPageLayout.annotations, dtype: .string, shape: [0], extendable: true)
            try notes.append(strings: [json, "[{\"transcription\": \"a\", \"points\": [[1, 2]]}]", json, json])
            let sources = try file.createDataset(PackedPageLayout.sources, dtype: .string, shape: [0], extendable: true)
            try sources.append(strings: (0..<4).map { "page \($0)" })
            try file.attributes.set(PackedLineLayout.kindAttribute, PackedPageLayout.kind)
            try file.attributes.set(PackedLineLayout.versionAttribute, 1)
        }
        let ds = try PackedPageDataset(.init(files: [path]))
        XCTAssertEqual(ds.count, 3)
        let bad = try XCTUnwrap(ds.report.examples.first { $0.category == "invalid-region" })
        XCTAssertEqual(bad.location, "\(path)#1")
        XCTAssertTrue(bad.message.contains("1 points; a region needs at least 3 (page 1)"), bad.message)
        let samples = try (0..<ds.count).map { try XCTUnwrap(ds.sample(at: $0, datasetSeed: 3)) }
        XCTAssertEqual(ds.report.examples.first { $0.category == DataIssue.Category.undecodableImage }?.location, "\(path)#2")
        XCTAssertEqual(samples.filter { $0.source.contains("[replacing \(path)#2]") }.count, 1)
        XCTAssertThrowsError(try PackedPageDataset(.init(files: [path], policy: .fail))) { e in
            XCTAssertTrue("\(e)".contains("\(path)#1: region 0: 1 points"), "\(e)")
        }
    }

    func testARecognitionPackIsRejectedByName() throws {
        let f = try DataFixture()
        let path = f.dir + "/lines.h5"
        try H5File.writeAtomically(to: path) { file in
            let w = try PackedLineWriter(file: file, createdBy: "test", groups: false, sources: false)
            try w.append(imageBytes: [1], label: "a")
            try w.finish()
        }
        XCTAssertThrowsError(try PackedPageDataset(.init(files: [path]))) { e in
            XCTAssertTrue("\(e)".contains("not an OCRKit detection pack"), "\(e)")
        }
    }

    func testPackedDataSetSection() throws {
        let f = try DataFixture()
        let ds = try DetectionLabelDataset(.init(dataDir: f.dir, labelFiles: [try f.goodDetSet("train.txt", count: 3)]))
        let path = f.dir + "/pages.h5"
        _ = try ds.pack(to: path)
        let yaml = """
            Eval:
              dataset:
                name: PackedDataSet
                files: [\(path)]
                transforms:
                  - DecodeImage: {img_mode: BGR}
                  - DetLabelEncode:
                  - DetResizeForTest: {image_shape: [64, 96]}
                  - NormalizeImage:
                  - ToCHWImage:
                  - KeepKeys: {keep_keys: ['image', 'shape', 'polys', 'ignore_tags']}
              loader: {shuffle: False, batch_size_per_card: 3, num_workers: 0}
            """
        let section = try ConfigTree(yaml: yaml).decode(DetDataSection.self, at: "Eval").evaluating
        let batch = try section.makeLoader(seed: 0).batch(epoch: 0, index: 0)
        XCTAssertEqual(batch.shape, [3, 3, 64, 96])
        XCTAssertEqual(batch.pages[2].source, "\(path)#2 (\(f.dir)/train.txt:3 (imgs/train.txt-2.png))")
    }
}
