import Foundation
import Imaging
import OCRCore
import XCTest
@testable import OCRData

/// PaddleOCR cls label files (`path<TAB>0` / `path<TAB>180`), the cls Train/Eval sections and
/// `ClsResizeImg`.
final class ClsLabelFileTests: XCTestCase {
    func testLabelFileDatasetReadsClsLabelFiles() throws {
        let f = try DataFixture()
        let a = try f.writeImage("a.png", seed: 1), b = try f.writeImage("b.png", seed: 2)
        let file = try f.writeLabels("cls.txt", ["\(a)\t0", "\(b)\t180", "\(a)\t180"])
        let data = try LabelFileDataset(.init(dataDir: f.dir, labelFiles: [file]))
        XCTAssertEqual(data.records.map(\.text), ["0", "180", "180"])
        XCTAssertNoThrow(try ClassLabels.angles.validate(data))
        XCTAssertEqual(try (0..<3).map { try ClassLabels.angles.encode(data.sample(at: $0, seed: 0)) }, [0, 1, 1])
    }

    func testALabelOutsideLabelListNamesItsLine() throws {
        let f = try DataFixture()
        let a = try f.writeImage("a.png")
        let file = try f.writeLabels("cls.txt", ["\(a)\t0", "\(a)\t180", "\(a)\t90", "\(a)\t270"])
        let data = try LabelFileDataset(.init(dataDir: f.dir, labelFiles: [file]))
        XCTAssertThrowsError(try ClassLabels.angles.validate(data)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("\(file):3: label '90' is not in label_list [\"0\", \"180\"]"), text)
            XCTAssertTrue(text.contains("2 lines with labels outside label_list"), text)
        }
        let sample = LineSample(image: try Image(width: 1, height: 1), text: "90", source: "x.txt:7", group: "")
        XCTAssertThrowsError(try ClassLabels.angles.encode(sample)) { XCTAssertTrue("\($0)".hasPrefix("x.txt:7:"), "\($0)") }
        XCTAssertThrowsError(try ClassLabels(["0", "0"]))
        XCTAssertThrowsError(try ClassLabels(["0"]))
    }

    private func section(_ dataset: String, transforms: String = "[{ClsResizeImg: {image_shape: [3, 48, 192]}}]") -> String {
        """
        Train:
          dataset:
        \(dataset)
            transforms: \(transforms)
          loader: {shuffle: true, batch_size_per_card: 2, drop_last: false, num_workers: 0}
        """
    }

    /// A SimpleDataSet of cls label files builds a loader whose batches carry the labels as
    /// texts; with rotate_180 the same files' lines are turned and labelled by the loader.
    func testSimpleDataSetSection() throws {
        let f = try DataFixture()
        let a = try f.writeImage("a.png", width: 60, height: 30), b = try f.writeImage("b.png", width: 300, height: 20)
        let file = try f.writeLabels("cls.txt", ["\(a)\t0", "\(b)\t180"])
        let yaml = section("    name: SimpleDataSet\n    data_dir: \(f.dir)\n    label_file_list: [\(file)]")
        let s = try ConfigTree(yaml: yaml).decode(ClsDataSection.self, at: "Train")
        XCTAssertNil(s.dataset.rotate180)
        XCTAssertEqual(s.dataset.transforms.resize, .clsResizeImg())
        let batch = try s.makeLoader(seed: 1).batch(epoch: 0, index: 0)
        XCTAssertEqual(batch.shape, [2, 3, 48, 192])
        XCTAssertEqual(Set(batch.texts), ["0", "180"])
        XCTAssertEqual(Set(batch.validWidths), [96, 192])    // ceil(48 * 60 / 30) = 96; ceil(48 * 15) = 720 -> 192
        // ClsResizeImg pads with 0 after normalising: every row of the narrow image ends in 96 zeros.
        let narrow = try XCTUnwrap(batch.validWidths.firstIndex(of: 96))
        let image = batch.pixels[(narrow * 3 * 48 * 192)..<((narrow + 1) * 3 * 48 * 192)]
        let rows = stride(from: image.startIndex, to: image.endIndex, by: 192).map { image[$0..<($0 + 192)] }
        XCTAssertTrue(rows.allSatisfy { row in row.suffix(96).allSatisfy { $0 == 0 } && row.prefix(96).allSatisfy { abs($0) <= 1 } })
        XCTAssertTrue(rows.contains { row in row.prefix(96).contains { $0 != 0 } })

        let rotated = try ConfigTree(yaml: yaml.replacingOccurrences(of: "label_file_list:", with: "rotate_180: 1\n    label_file_list:"))
            .decode(ClsDataSection.self, at: "Train")
        XCTAssertEqual(Set(try (0..<2).map { try rotated.dataset.makeDataset().sample(at: $0, seed: 0).text }), ["180"])

        let bad = try f.writeLabels("bad.txt", ["\(a)\t0", "\(a)\tupside down"])
        let badSection = try ConfigTree(yaml: yaml.replacingOccurrences(of: file, with: bad)).decode(ClsDataSection.self, at: "Train")
        XCTAssertThrowsError(try badSection.dataset.makeDataset()) { XCTAssertTrue("\($0)".hasPrefix("\(bad):2:"), "\($0)") }
    }

    func testSectionErrors() throws {
        func message(_ yaml: String) -> String {
            do { _ = try ConfigTree(yaml: yaml).decode(ClsDataSection.self, at: "Train"); return "decoded" } catch { return "\(error)" }
        }
        let synthetic = "    name: SyntheticLines\n    fonts: [a.ttf]\n    corpus: c.txt"
        XCTAssertTrue(message(section(synthetic)).contains("set rotate_180"), message(section(synthetic)))
        XCTAssertEqual(message(section(synthetic + "\n    rotate_180: 0.5")), "decoded")
        XCTAssertTrue(message(section(synthetic + "\n    rotate_180: 2")).contains("0...1"))
        XCTAssertTrue(message(section(synthetic + "\n    rotate_180: 0.5\n    data_dir: x")).contains("data_dir"))
        let simple = "    name: SimpleDataSet\n    label_file_list: [x.txt]"
        let aug = message(section(simple, transforms: "[{RandAugment: }, {ClsResizeImg: {image_shape: [3, 48, 192]}}]"))
        XCTAssertTrue(aug.contains("RandAugment is not implemented; use RecAug"), aug)
        XCTAssertTrue(message(section(simple, transforms: "[{DecodeImage: }]")).contains("need ClsResizeImg"))
        XCTAssertTrue(message(section(simple, transforms: "[{RecResizeImg: {image_shape: [3, 48, 192]}}]")).contains("not supported for cls"))
        XCTAssertTrue(message(section("    name: LMDBDataSet")).contains("not one of SimpleDataSet, SyntheticLines"))
    }

    /// configs/cls/cls_mv3.yml's Train and Eval decode strictly (every key known).
    func testShippedConfigSections() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let tree = try ConfigTree(contentsOf: root + "/configs/cls/cls_mv3.yml")
        let train = try tree.decode(ClsDataSection.self, at: "Train"), eval = try tree.decode(ClsDataSection.self, at: "Eval")
        for s in [train, eval] {
            XCTAssertEqual(s.dataset.rotate180, 0.5)
            XCTAssertEqual(s.dataset.transforms.resize, .clsResizeImg(imageShape: [3, 48, 192]))
        }
        // trained on the general pool, evaluated on seven faces it never sees
        XCTAssertEqual(train.dataset.synthetic?.fonts.count, 49)
        XCTAssertEqual(eval.dataset.synthetic?.fonts.count, 7)
        XCTAssertTrue(Set(train.dataset.synthetic?.fonts ?? []).isDisjoint(with: eval.dataset.synthetic?.fonts ?? []))
        XCTAssertNotNil(train.dataset.transforms.augment)
        XCTAssertNil(eval.dataset.transforms.augment)
        XCTAssertEqual(try tree.strings("Global.label_list"), ["0", "180"])
    }
}
