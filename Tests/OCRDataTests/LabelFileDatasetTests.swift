import Foundation
import Imaging
import OCRCore
import XCTest
@testable import OCRData

final class LabelFileDatasetTests: XCTestCase {
    /// A label file with one of each problem; returns (fixture, label path).
    private func problemSet() throws -> (DataFixture, String) {
        let f = try DataFixture()
        try f.writeImage("a.png", seed: 1)
        try f.writeImage("b.png", seed: 2)
        try f.writeImage("c.png", seed: 3)
        try f.writeImage("d.png", seed: 4)
        try f.writeBytes("corrupt.png", [0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 4, 5, 6, 7, 8])
        let labels = try f.writeLabels("labels.txt", [
            "imgs/a.png\tabc",                               // 1 good
            "no tab on this line",                           // 2 missing-tab
            "imgs/missing.png\tabc",                         // 3 missing-image
            "imgs/corrupt.png\tabc",                         // 4 undecodable at load time
            "imgs/b.png\tab\u{E9}",                          // 5 outside-charset
            "imgs/c.png\t" + String(repeating: "x", count: 30),  // 6 text-too-long
            "",                                              // 7 blank: ignored, not an issue
            "imgs/d.png\tok",                                // 8 good
        ])
        return (f, labels)
    }

    private func options(_ f: DataFixture, _ files: [String], policy: LabelIssuePolicy = .skip) -> LabelFileDataset.Options {
        LabelFileDataset.Options(dataDir: f.dir, labelFiles: files, charset: digitsCharset, maxTextLength: 25, policy: policy)
    }

    func testEveryProblemIsReportedWithFileAndLine() throws {
        let (f, labels) = try problemSet()
        let ds = try LabelFileDataset(options(f, [labels]))
        XCTAssertEqual(ds.count, 3, "a, corrupt (found at load time) and d remain")
        XCTAssertEqual(ds.records.map(\.line), [1, 4, 8])
        let r = ds.report
        let expected: [(String, Int)] = [("missing-tab", 2), ("missing-image", 3), ("outside-charset", 5), ("text-too-long", 6)]
        for (category, line) in expected {
            XCTAssertEqual(r.count(category, file: labels), 1, category)
            let example = try XCTUnwrap(r.examples.first { $0.category == category }, category)
            XCTAssertEqual(example.location, "\(labels):\(line)", category)
        }
        XCTAssertEqual(r.count(DataIssue.Category.undecodableImage), 0, "not loaded yet")
        XCTAssertEqual(r.files[0].entries, 7, "8 lines, 1 blank")
        XCTAssertEqual(r.files[0].usable, 3)
        XCTAssertTrue(r.examples.first { $0.category == "missing-image" }!.description.contains("imgs/missing.png"))

        // Loading every sample meets the corrupt image once: reported by file:line, replaced.
        let seed: UInt64 = 7
        let samples = try (0..<ds.count).map { try ds.sample(at: $0, seed: seed) }
        let r2 = ds.report
        XCTAssertEqual(r2.count(DataIssue.Category.undecodableImage, file: labels), 1)
        XCTAssertEqual(r2.examples.first { $0.category == DataIssue.Category.undecodableImage }?.location, "\(labels):4")
        XCTAssertEqual(r2.substitutions, 1)
        let replaced = try XCTUnwrap(samples.first { $0.source.contains("[replacing \(labels):4]") })
        XCTAssertTrue(["abc", "ok"].contains(replaced.text), "a real sample with its own text")

        // Deterministic: the same replacement again; the bad record is counted once, the event twice.
        let again = try (0..<ds.count).map { try ds.sample(at: $0, seed: seed) }
        XCTAssertEqual(again.map(\.source), samples.map(\.source))
        XCTAssertEqual(again.map(\.image), samples.map(\.image))
        XCTAssertEqual(ds.report.count(DataIssue.Category.undecodableImage), 1)
        XCTAssertEqual(ds.report.substitutions, 2)
    }

    func testFailPolicyThrowsNamingFileAndLine() throws {
        let (f, labels) = try problemSet()
        XCTAssertThrowsError(try LabelFileDataset(options(f, [labels], policy: .fail))) { error in
            XCTAssertTrue("\(error)".contains("\(labels):2"), "\(error)")
        }
        // Only the missing image: thrown at build time with its line.
        let missing = try f.writeLabels("missing.txt", ["imgs/a.png\tabc", "imgs/nope.png\tabc"])
        XCTAssertThrowsError(try LabelFileDataset(options(f, [missing], policy: .fail))) { error in
            XCTAssertTrue("\(error)".contains("\(missing):2"), "\(error)")
            XCTAssertTrue("\(error)".contains("imgs/nope.png"), "\(error)")
        }
        // Only the corrupt image: found when loaded, thrown naming the line.
        let corrupt = try f.writeLabels("corrupt.txt", ["imgs/a.png\tabc", "imgs/corrupt.png\tabc"])
        let ds = try LabelFileDataset(options(f, [corrupt], policy: .fail))
        XCTAssertNoThrow(try ds.sample(at: 0, seed: 1))
        XCTAssertThrowsError(try ds.sample(at: 1, seed: 1)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(corrupt):2:"), "\(error)")
            XCTAssertEqual((error as? DataError)?.issue?.category, DataIssue.Category.undecodableImage)
        }
    }

    func testExcludePolicyLeavesBadSamplesOutAndListsEveryLine() throws {
        let (f, labels) = try problemSet()
        var o = options(f, [labels], policy: .exclude)
        o.exampleLimit = 1  // examples are capped; `excluded` is complete regardless
        let ds = try LabelFileDataset(o)
        XCTAssertEqual(ds.records.map(\.line), [1, 4, 8], "bad label lines and the missing image are left out up front")
        XCTAssertEqual(ds.report.excluded.map(\.location), [2, 3, 5, 6].map { "\(labels):\($0)" })

        // The corrupt image is not replaced: loading it throws SampleExcluded naming its line.
        XCTAssertEqual(try ds.sample(at: 0, seed: 7).text, "abc")
        for _ in 0..<2 {
            XCTAssertThrowsError(try ds.sample(at: 1, seed: 7)) { error in
                XCTAssertEqual((error as? SampleExcluded)?.issue.location, "\(labels):4", "\(error)")
                XCTAssertEqual((error as? SampleExcluded)?.issue.category, DataIssue.Category.undecodableImage)
            }
        }
        XCTAssertEqual(try ds.sample(at: 2, seed: 7).text, "ok")
        let r = ds.report
        XCTAssertEqual(r.substitutions, 0)
        XCTAssertEqual(r.count(DataIssue.Category.undecodableImage), 1, "met twice, recorded once")
        XCTAssertEqual(r.excluded.map(\.location), [2, 3, 4, 5, 6].map { "\(labels):\($0)" }, "in line order")
        XCTAssertEqual(r.excluded.map(\.category),
                       ["missing-tab", "missing-image", "undecodable-image", "outside-charset", "text-too-long"])
        XCTAssertTrue(r.excluded[2].description.contains("imgs/corrupt.png"), r.excluded[2].description)

        // skip and fail keep only the examples.
        XCTAssertEqual(try LabelFileDataset(options(f, [labels])).report.excluded.count, 0)
    }

    func testExcludedIssuesAreMergedPerRecordInFileOrder() {
        func issue(_ file: String, _ line: Int, _ category: String) -> DataIssue {
            DataIssue(file: file, line: line, category: category, message: "\(category) here")
        }
        // As worker threads may deliver them: out of order, two issues on b.txt:3.
        let merged = DataReportCollector.perRecord([
            (1, issue("b.txt", 3, "text-too-long")), (0, issue("a.txt", 9, "missing-image")),
            (1, issue("b.txt", 1, "missing-tab")), (1, issue("b.txt", 3, "outside-charset")),
        ])
        XCTAssertEqual(merged.map(\.location), ["a.txt:9", "b.txt:1", "b.txt:3"])
        XCTAssertEqual(merged[2].category, "outside-charset+text-too-long")
        XCTAssertEqual(merged[2].description, "b.txt:3: outside-charset here; text-too-long here")
    }

    func testDecodeCheckFindsCorruptImagesUpFront() throws {
        let (f, labels) = try problemSet()
        var o = options(f, [labels])
        o.imageCheck = .decode
        let ds = try LabelFileDataset(o)
        XCTAssertEqual(ds.count, 2)
        XCTAssertEqual(ds.report.count(DataIssue.Category.undecodableImage, file: labels), 1)
        XCTAssertEqual(ds.report.count(DataIssue.Category.missingImage, file: labels), 1)
    }

    func testImageDeletedAfterBuildIsReportedAsMissing() throws {
        let f = try DataFixture()
        let labels = try f.goodSet("g.txt", count: 3)
        let ds = try LabelFileDataset(options(f, [labels]))
        try FileManager.default.removeItem(atPath: f.dir + "/imgs/g.txt-1.png")
        let s = try ds.sample(at: 1, seed: 3)
        XCTAssertTrue(s.source.contains("[replacing \(labels):2]"), s.source)
        XCTAssertEqual(ds.report.count(DataIssue.Category.missingImage, file: labels), 1)
    }

    func testAllImagesBadUnderSkipStillThrows() throws {
        let f = try DataFixture()
        try f.writeBytes("x.png", [1, 2, 3])
        let labels = try f.writeLabels("bad.txt", ["imgs/x.png\tabc", "imgs/x.png\tabd"])
        let ds = try LabelFileDataset(options(f, [labels]))
        XCTAssertThrowsError(try ds.sample(at: 0, seed: 1)) { error in
            XCTAssertTrue("\(error)".contains("replacement samples failed"), "\(error)")
        }
    }

    func testRatioListDrawsADeterministicSubsetPerSeed() throws {
        let f = try DataFixture()
        let a = try f.goodSet("a.txt", count: 10, prefix: "a")
        let b = try f.goodSet("b.txt", count: 20, prefix: "b")
        var o = options(f, [a, b])
        o.ratios = [0.5, 1.0]
        o.imageCheck = .none
        let ds = try LabelFileDataset(o)
        XCTAssertEqual(ds.count, 25)
        XCTAssertEqual(ds.report.files.map(\.perEpoch), [5, 20])

        func picked(_ seed: UInt64) -> [String] { (0..<ds.count).map { ds.record(at: $0, seed: seed).text } }
        let s1 = picked(1), s1again = picked(1), s2 = picked(2)
        XCTAssertEqual(s1, s1again)
        XCTAssertEqual(Set(s1.prefix(5)).count, 5, "without replacement")
        XCTAssertTrue(s1.prefix(5).allSatisfy { $0.hasPrefix("a") })
        XCTAssertEqual(Array(s1.suffix(20)), (0..<20).map { "b\($0)" }, "ratio 1: every record, in order")
        XCTAssertNotEqual(Array(s1.prefix(5)), Array(s2.prefix(5)), "another epoch seed, another subset")
        // Over many seeds every record of a gets drawn (the subset is not stuck).
        let seen = Set((0..<40).flatMap { picked(UInt64($0)).prefix(5) })
        XCTAssertEqual(seen.count, 10)

        // Rounding is half-to-even (Python's round): 5 * 0.5 = 2.5 -> 2. Above 1 oversamples.
        let small = try f.goodSet("s.txt", count: 5, prefix: "s")
        var o2 = options(f, [small, a])
        o2.ratios = [0.5, 2.0]
        o2.imageCheck = .none
        let ds2 = try LabelFileDataset(o2)
        XCTAssertEqual(ds2.report.files.map(\.perEpoch), [2, 20])
        let texts = (0..<ds2.count).map { ds2.record(at: $0, seed: 9).text }.filter { $0.hasPrefix("a") }
        XCTAssertEqual(Dictionary(grouping: texts, by: { $0 }).values.map(\.count).sorted(), Array(repeating: 2, count: 10))

        var bad = options(f, [a, b])
        bad.ratios = [0.5, 0.5, 0.5]
        XCTAssertThrowsError(try LabelFileDataset(bad))
        bad.ratios = [0]
        XCTAssertThrowsError(try LabelFileDataset(bad))
    }

    func testGroupsAndSources() throws {
        let f = try DataFixture()
        try FileManager.default.createDirectory(atPath: f.dir + "/imgs/fontA", withIntermediateDirectories: true)
        try f.writeImage("fontA/1.png")
        try f.writeImage("top.png")
        let labels = try f.writeLabels("train.txt", ["fontA/1.png\tab", "./top.png\tcd"])
        var o = options(f, [labels])
        o.dataDir = f.dir + "/imgs"
        XCTAssertEqual(try LabelFileDataset(o).records.map(\.group), ["train.txt", "train.txt"])
        o.grouping = .firstFolder
        let ds = try LabelFileDataset(o)
        XCTAssertEqual(ds.records.map(\.group), ["fontA", "train.txt"], "top-level images fall back to the label file")
        let s = try ds.sample(at: 0, seed: 0)
        XCTAssertEqual(s.source, "\(labels):1 (fontA/1.png)")
        XCTAssertEqual(s.group, "fontA")
        XCTAssertEqual(s.image.colorOrder, .bgr)
        XCTAssertEqual(s.image, try DataFixture.lineImage(seed: 1), "PNG round trip is lossless")
        // Absolute image paths ignore data_dir, as os.path.join does.
        XCTAssertEqual(LabelFileDataset.resolve("/abs/x.png", in: "/data"), "/abs/x.png")
        XCTAssertEqual(LabelFileDataset.resolve("x.png", in: "/data/"), "/data/x.png")
    }

    func testMissingLabelFileNamesIt() throws {
        let f = try DataFixture()
        XCTAssertThrowsError(try LabelFileDataset(options(f, [f.dir + "/nope.txt"]))) { error in
            XCTAssertTrue("\(error)".contains("nope.txt"), "\(error)")
        }
    }
}
