import Foundation
import HDF5
import Imaging
import OCRCore
import XCTest
@testable import OCRData

final class PackedDatasetTests: XCTestCase {
    func testPackThenReadBackGivesIdenticalImagesAndLabels() throws {
        let f = try DataFixture()
        let a = try f.goodSet("a.txt", count: 12, prefix: "a")
        try f.writeBytes("corrupt.png", [0x89, 0x50, 0x4E, 0x47, 9, 9, 9])
        let b = try f.writeLabels("b.txt", [
            "imgs/a.txt-0.png\tb0",
            "imgs/corrupt.png\tb1",        // 2: undecodable, left out
            "imgs/gone.png\tb2",           // 3: missing, left out
            "imgs/a.txt-3.png\tb\u{E9}",   // 4: outside charset, left out
            "imgs/a.txt-4.png\tb4",
        ])
        let out = f.dir + "/packed.h5"
        var progress = [PackProgress]()
        let summary = try packDataset(labelFiles: [a, b], dataDir: f.dir, charset: digitsCharset, out: out,
                                      options: PackOptions(maxTextLength: 25)) { progress.append($0) }
        XCTAssertEqual(summary.records, 14)
        XCTAssertEqual(summary.groups, ["a.txt": 12, "b.txt": 2])
        XCTAssertEqual(summary.report.count(DataIssue.Category.undecodableImage, file: b), 1)
        XCTAssertEqual(summary.report.count(DataIssue.Category.missingImage, file: b), 1)
        XCTAssertEqual(summary.report.count("outside-charset", file: b), 1)
        XCTAssertEqual(Set(summary.report.examples.map(\.location)), ["\(b):2", "\(b):3", "\(b):4"])
        XCTAssertEqual(summary.report.files.map(\.usable), [12, 2])
        XCTAssertEqual(progress.last?.done, 16, "every record that passed the label checks is handled")
        XCTAssertGreaterThan(summary.fileBytes, summary.imageBytes)

        let ds = try PackedDataset(PackedDataset.Options(files: [out], charset: digitsCharset))
        XCTAssertEqual(ds.count, 14)
        let labelDs = try LabelFileDataset(.init(dataDir: f.dir, labelFiles: [a, b], charset: digitsCharset))
        var expected = [(LabelFileDataset.Record)]()
        for r in labelDs.records where !r.imagePath.contains("corrupt") { expected.append(r) }
        XCTAssertEqual(expected.count, 14)
        for (i, r) in expected.enumerated() {
            let stored = try ds.storedRecord(file: 0, index: i)
            let original = try Data(contentsOf: URL(fileURLWithPath: r.resolvedPath))
            XCTAssertEqual(stored.bytes, [UInt8](original), "record \(i): the file's bytes, unchanged")
            XCTAssertEqual(stored.label, r.text)
            XCTAssertEqual(stored.group, r.group)
            let s = try ds.sample(at: i, seed: 0)
            XCTAssertEqual(s.image, try Image(contentsOf: r.resolvedPath))
            XCTAssertEqual(s.text, r.text)
            XCTAssertEqual(s.group, r.group)
            XCTAssertEqual(s.source, "\(out)#\(i) (\(r.source))")
        }
        // The file says what it is.
        let file = try H5File.open(out)
        XCTAssertEqual(try file.attributes.string(PackedLineLayout.kindAttribute), PackedLineLayout.kind)
        XCTAssertEqual(try file.attributes.int(PackedLineLayout.countAttribute), 14)
        XCTAssertEqual(try PackedLineLayout.validate(file), 14)
    }

    func testPackUnderFailPolicyWritesNothingAndNamesTheLine() throws {
        let f = try DataFixture()
        try f.writeImage("ok.png")
        try f.writeBytes("corrupt.png", [1, 2, 3, 4])
        let labels = try f.writeLabels("l.txt", ["imgs/ok.png\tabc", "imgs/corrupt.png\tabc"])
        let out = f.dir + "/p.h5"
        XCTAssertThrowsError(try packDataset(labelFiles: [labels], dataDir: f.dir, charset: nil, out: out,
                                             options: PackOptions(policy: .fail))) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(labels):2:"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: f.dir).filter { $0.contains(".tmp") }, [])
    }

    /// A pack written by another producer (the synthetic renderer) with one corrupt blob and a
    /// label outside the charset.
    private func writePack(_ path: String, corruptAt: Int?, labels: [String], groups: Bool = true) throws {
        try H5File.writeAtomically(to: path) { file in
            let w = try PackedLineWriter(file: file, createdBy: "test", groups: groups, sources: false, flushBytes: 1000)
            for (i, text) in labels.enumerated() {
                let bytes = i == corruptAt ? [UInt8](repeating: 7, count: 40)
                    : [UInt8](try DataFixture.lineImage(width: 60 + i, seed: UInt64(i)).encoded(as: .png))
                try w.append(imageBytes: bytes, label: text, group: groups ? "font\(i % 2)" : nil)
            }
            try w.finish()
        }
    }

    func testPackedIssuesAreReportedByRecord() throws {
        let f = try DataFixture()
        let path = f.dir + "/synth.h5"
        try writePack(path, corruptAt: 3, labels: ["ab", "cd", "E", "ef", "gh", "ij"])
        let ds = try PackedDataset(.init(files: [path], charset: digitsCharset))
        XCTAssertEqual(ds.count, 5)
        XCTAssertEqual(ds.report.examples.first { $0.category == "outside-charset" }?.location, "\(path)#2")
        let samples = try (0..<ds.count).map { try ds.sample(at: $0, seed: 5) }
        XCTAssertEqual(ds.report.examples.first { $0.category == DataIssue.Category.undecodableImage }?.location, "\(path)#3")
        XCTAssertEqual(ds.report.substitutions, 1)
        XCTAssertEqual(samples.filter { $0.source.contains("[replacing \(path)#3]") }.count, 1)
        XCTAssertEqual(samples[0].group, "font0")
        XCTAssertEqual(samples[1].group, "font1")

        XCTAssertThrowsError(try PackedDataset(.init(files: [path], charset: digitsCharset, policy: .fail))) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path)#2:"), "\(error)")
        }
        let lenient = try PackedDataset(.init(files: [path], policy: .fail))
        XCTAssertThrowsError(try lenient.sample(at: 3, seed: 0)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path)#3:"), "\(error)")
        }
        // Without a groups dataset the file's name is the group.
        let plain = f.dir + "/plain.h5"
        try writePack(plain, corruptAt: nil, labels: ["ab", "cd"], groups: false)
        XCTAssertEqual(try PackedDataset(.init(files: [plain])).sample(at: 1, seed: 0).group, "plain.h5")
    }

    func testPackedRatioListAndMixing() throws {
        let f = try DataFixture()
        let (p1, p2) = (f.dir + "/one.h5", f.dir + "/two.h5")
        try writePack(p1, corruptAt: nil, labels: (0..<8).map { "a\($0)" })
        try writePack(p2, corruptAt: nil, labels: (0..<4).map { "b\($0)" })
        let ds = try PackedDataset(.init(files: [p1, p2], ratios: [0.5, 1]))
        XCTAssertEqual(ds.count, 8)
        let texts = try (0..<8).map { try ds.sample(at: $0, seed: 11).text }
        XCTAssertEqual(Set(texts.prefix(4)).count, 4)
        XCTAssertTrue(texts.prefix(4).allSatisfy { $0.hasPrefix("a") })
        XCTAssertEqual(Array(texts.suffix(4)), ["b0", "b1", "b2", "b3"])
    }

    func testNotAPackIsRejectedWithAReason() throws {
        let f = try DataFixture()
        let path = f.dir + "/other.h5"
        try H5File.writeAtomically(to: path) { file in try file.write([Float(1)], shape: [1], to: "x") }
        XCTAssertThrowsError(try PackedDataset(.init(files: [path]))) { error in
            XCTAssertTrue("\(error)".contains("not an OCRKit recognition pack"), "\(error)")
        }
        XCTAssertThrowsError(try PackedDataset(.init(files: [f.dir + "/missing.h5"]))) { error in
            XCTAssertTrue("\(error)".contains("missing.h5"), "\(error)")
        }
    }
}
