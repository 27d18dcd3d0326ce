import Foundation
import Imaging
import OCRCore
import XCTest
@testable import OCRData

final class RecDataConfigTests: XCTestCase {
    private func yaml(dataDir: String, labels: String, transforms: String, extra: String = "") -> String {
        """
        Train:
          dataset:
            name: SimpleDataSet
            data_dir: \(dataDir)
            label_file_list: [\(labels)]
            ratio_list: 1.0
            \(extra)
            transforms:
        \(transforms)
          loader:
            shuffle: True
            batch_size_per_card: 3
            drop_last: True
            num_workers: 2
            use_shared_memory: False
        """
    }

    private let paddleTransforms = """
              - DecodeImage: {img_mode: BGR, channel_first: False}
              - RecAug:
              - CTCLabelEncode:
              - RecResizeImg: {image_shape: [3, 48, 320]}
              - KeepKeys: {keep_keys: ['image', 'label', 'length']}
        """

    func testPaddleOCRSectionBuildsALoader() throws {
        let f = try DataFixture()
        let labels = try f.goodSet("train.txt", count: 7)
        let tree = try ConfigTree(yaml: yaml(dataDir: f.dir, labels: labels, transforms: paddleTransforms))
        let section = try tree.decode(RecDataSection.self, at: "Train")
        XCTAssertEqual(section.loader.batchSize, 3)
        XCTAssertTrue(section.loader.dropLast)
        XCTAssertEqual(section.loader.workers, 2)
        XCTAssertEqual(section.dataset.ratioList, [1.0])
        XCTAssertEqual(section.dataset.transforms.ops, ["DecodeImage", "RecAug", "CTCLabelEncode", "RecResizeImg", "KeepKeys"])
        XCTAssertEqual(section.dataset.transforms.augment, RecAugment())
        XCTAssertEqual(section.dataset.transforms.resize, RecResize(imageShape: [3, 48, 320]))
        let loader = try section.makeLoader(charset: digitsCharset, maxTextLength: 25, seed: 1)
        XCTAssertEqual(loader.batchesPerEpoch, 2)
        let epoch = loader.epoch(0)
        let batch = try XCTUnwrap(try epoch.next())
        XCTAssertEqual(batch.shape, [3, 3, 48, 320])
    }

    func testSVTRResizeAndOCRKitOptions() throws {
        let f = try DataFixture()
        let labels = try f.goodSet("train.txt", count: 3)
        let transforms = """
                  - DecodeImage: {img_mode: BGR}
                  - MultiLabelEncode: {gtc_encode: NRTRLabelEncode}
                  - SVTRRecResizeImg: {image_shape: [3, 64, 256], padding: False}
            """
        let tree = try ConfigTree(yaml: yaml(dataDir: f.dir, labels: labels, transforms: transforms,
                                             extra: "label_issue_policy: fail\n    image_check: decode\n    group_by: first_folder"))
        let section = try tree.decode(RecDataSection.self, at: "Train")
        XCTAssertNil(section.dataset.transforms.augment)
        XCTAssertEqual(section.dataset.transforms.resize, RecResize(imageShape: [3, 64, 256], padding: false))
        XCTAssertEqual(section.dataset.labelIssuePolicy, .fail)
        XCTAssertEqual(section.dataset.imageCheck, .decode)
        XCTAssertEqual(section.dataset.groupBy, .firstFolder)
    }

    func testUnsupportedOrMistypedEntriesAreErrors() throws {
        func decodeError(_ transforms: String, extra: String = "") -> String {
            do {
                let tree = try ConfigTree(yaml: yaml(dataDir: "/d", labels: "/d/l.txt", transforms: transforms, extra: extra))
                _ = try tree.decode(RecDataSection.self, at: "Train")
                return "no error"
            } catch { return "\(error)" }
        }
        XCTAssertTrue(decodeError("          - RecConAug: {prob: 0.5}").contains("'RecConAug' is not supported"))
        XCTAssertTrue(decodeError("          - RecAug: {tia_prb: 0.5}").contains("tia_prb"))
        XCTAssertTrue(decodeError("          - RecResizeImg: {image_shape: [3, 48]}").contains("image_shape"))
        XCTAssertTrue(decodeError("          - RecResizeImg: {image_shape: [3, 48, 320], eval_mode: True}").contains("eval_mode"))
        XCTAssertTrue(decodeError("          - RecResizeImg: {image_shape: [3, 48, 320]}", extra: "label_issue_policy: maybe")
            .contains("label_issue_policy"))
        XCTAssertTrue(decodeError("          - RecResizeImg: {image_shape: [3, 48, 320]}", extra: "data_dri: x").contains("data_dri"))
        XCTAssertTrue(decodeError("          - RecResizeImg: {image_shape: [3, 48, 320]}", extra: "label_issue_policy: exclude")
            .contains("evaluation always excludes"))
        // No resize op: the pipeline cannot be built.
        let tree = try ConfigTree(yaml: yaml(dataDir: "/d", labels: "/d/l.txt", transforms: "          - RecAug:"))
        let section = try tree.decode(RecDataSection.self, at: "Train")
        XCTAssertThrowsError(try section.dataset.transforms.pipeline(charset: nil))
    }

    func testGlobalIssuePolicyIsTheDefaultAndTheSectionsOwnWins() throws {
        let f = try DataFixture()
        try f.writeImage("a.png")
        let labels = try f.writeLabels("train.txt", ["imgs/a.png\tab", "no tab here", "imgs/a.png\tcd"])
        func section(_ extra: String) throws -> RecDataSection {
            try ConfigTree(yaml: yaml(dataDir: f.dir, labels: labels, transforms: paddleTransforms, extra: extra))
                .decode(RecDataSection.self, at: "Train")
        }
        // No label_issue_policy: Global.data_issue_policy decides.
        let plain = try section("")
        XCTAssertNil(plain.dataset.labelIssuePolicy)
        XCTAssertThrowsError(try plain.makeLoader(charset: digitsCharset, maxTextLength: nil, seed: 0, issuePolicy: .fail)) { error in
            XCTAssertTrue("\(error)".contains("\(labels):2"), "\(error)")
        }
        let skipped = try plain.makeLoader(charset: digitsCharset, maxTextLength: nil, seed: 0, issuePolicy: .skip)
        XCTAssertEqual(skipped.dataset.count, 2)
        XCTAssertEqual((skipped.dataset as? DataReporting)?.report.count("missing-tab"), 1)
        XCTAssertEqual(try plain.makeLoader(charset: digitsCharset, maxTextLength: nil, seed: 0).dataset.count, 2,
                       "without a Global policy: skip")
        // The section's own policy overrides the global one, either way.
        XCTAssertEqual(try section("label_issue_policy: skip").dataset
            .makeDataset(charset: digitsCharset, maxTextLength: nil, issuePolicy: .fail).count, 2)
        XCTAssertThrowsError(try section("label_issue_policy: fail").dataset
            .makeDataset(charset: digitsCharset, maxTextLength: nil, issuePolicy: .skip))
    }

    func testPackedDataSetSection() throws {
        let f = try DataFixture()
        let labels = try f.goodSet("train.txt", count: 4)
        let out = f.dir + "/train.h5"
        _ = try packDataset(labelFiles: [labels], dataDir: f.dir, charset: digitsCharset, out: out)
        let tree = try ConfigTree(yaml: """
            Eval:
              dataset:
                name: PackedDataSet
                files: [\(out)]
                transforms:
                  - RecResizeImg: {image_shape: [3, 32, 128], dynamic_width: True}
              loader: {shuffle: False, batch_size_per_card: 4, num_workers: 1}
            """)
        let loader = try tree.decode(RecDataSection.self, at: "Eval").makeLoader(charset: digitsCharset, maxTextLength: nil, seed: 0)
        let batch = try XCTUnwrap(try loader.epoch(0).next())
        XCTAssertEqual(batch.texts, ["w0", "w1", "w2", "w3"], "no shuffle: file order")
        XCTAssertEqual(batch.width, (batch.validWidths.max()! + 3) / 4 * 4)
    }
}
