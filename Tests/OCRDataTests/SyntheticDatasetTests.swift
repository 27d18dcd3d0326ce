import Foundation
import HDF5
import Imaging
import OCRCore
import XCTest
@testable import OCRData

/// CorpusSampler, SyntheticLineDataset and renderDataset.
final class SyntheticDatasetTests: XCTestCase {
    // MARK: Corpus

    func testCorpusFilterReportsCharactersOutsideTheCharset() throws {
        let charset = try Charset(characters: "abc", useSpaceChar: true)
        let corpus = try CorpusSampler(texts: ["abc", "  ab\tc  ", "abd", "xyz ab", "", "a é"], mode: .lines(),
                                       charset: charset)
        XCTAssertEqual(corpus.units, ["abc", "ab c"])  // whitespace runs collapse, ends trimmed
        let r = corpus.report
        XCTAssertEqual(r.linesRead, 6)
        XCTAssertEqual(r.emptyLines, 1)
        XCTAssertEqual(r.leftOutForCharset, 3)
        XCTAssertEqual(r.leftOutExamples, ["abd", "xyz ab", "a é"])
        XCTAssertEqual(r.outOfCharset.map(\.character).sorted(), ["d", "x", "y", "z", "é"].sorted())
        XCTAssertTrue(r.outOfCharset.allSatisfy { $0.count == 1 })
        XCTAssertTrue(r.summary.contains("'é' (U+00E9)"), r.summary)

        let counted = try CorpusSampler(texts: ["abd dd", "d", "ab"], mode: .lines(), charset: try Charset(characters: "ab "))
        XCTAssertEqual(counted.report.outOfCharset, [CharacterCount(character: "d", count: 4)])
        XCTAssertThrowsError(try CorpusSampler(texts: ["xyz"], mode: .lines(), charset: charset)) { error in
            XCTAssertTrue("\(error)".contains("no text left"), "\(error)")
        }
    }

    func testCorpusFileLinesAndSplitting() throws {
        let dir = try SynthFixtures.scratchDirectory("corpus")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/c.txt"
        try Data("\u{FEFF}one two three four\r\nfive\n\u{FF}bad\nsix seven\n".utf8.map { $0 }).write(to: URL(fileURLWithPath: path))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        // Make line 3 invalid UTF-8 (0xFF), which must be counted, not decoded as U+FFFD.
        if let i = bytes.firstIndex(of: 0xC3) { bytes[i] = 0xFF; bytes.remove(at: i + 1) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let corpus = try CorpusSampler(contentsOf: path, mode: .lines(maxLength: 9))
        XCTAssertEqual(corpus.units, ["one two", "three", "four", "five", "six seven"])
        XCTAssertEqual(corpus.report.invalidUTF8Lines, 1)
        XCTAssertEqual(corpus.text(at: 6, seed: 0), "three")  // lines mode: i mod n
        XCTAssertThrowsError(try CorpusSampler(contentsOf: dir + "/missing.txt", mode: .lines())) { error in
            XCTAssertTrue("\(error)".contains("missing.txt"))
        }
    }

    func testWordsModeBuildsTextsOfCorpusWords() throws {
        let words = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda"
        let corpus = try CorpusSampler(texts: [words, "beta gamma"], mode: .words(minLength: 8, maxLength: 20))
        let vocabulary = Set(words.split(separator: " ").map(String.init))
        var lengths: [Int] = []
        for i in 0..<200 {
            let text = corpus.text(at: i, seed: 4)
            XCTAssertEqual(text, corpus.text(at: i, seed: 4))
            XCTAssertLessThanOrEqual(text.count, 20)
            XCTAssertTrue(text.split(separator: " ").allSatisfy { vocabulary.contains(String($0)) }, text)
            lengths.append(text.count)
        }
        XCTAssertGreaterThan(Double(lengths.filter { $0 >= 8 }.count) / 200, 0.9)
        XCTAssertGreaterThan(Set((0..<50).map { corpus.text(at: $0, seed: 4) }).count, 40)
        XCTAssertThrowsError(try CorpusSampler(texts: ["a b"], mode: .words(minLength: 1, maxLength: 5),
                                               charset: try Charset(characters: "ab"))) { error in
            XCTAssertTrue("\(error)".contains("has no space"), "\(error)")
        }
    }

    /// Words are never cut when the corpus has words that fit: a cut word is a misspelling in the
    /// training labels. Only a corpus of nothing but long words gets cut words.
    func testWordsModeKeepsWordsWholeWhenShorterOnesExist() throws {
        let long = ["chronometer", "engravings", "internationally"]
        let corpus = try CorpusSampler(texts: [long.joined(separator: " ") + " cat dog emu"],
                                       mode: .words(minLength: 3, maxLength: 9))
        for i in 0..<300 {
            let text = corpus.text(at: i, seed: 9)
            XCTAssertTrue(text.split(separator: " ").allSatisfy { ["cat", "dog", "emu"].contains(String($0)) }, text)
        }
        let onlyLong = try CorpusSampler(texts: ["internationally"], mode: .words(minLength: 3, maxLength: 9))
        XCTAssertEqual(onlyLong.text(at: 0, seed: 1), "internati")
    }

    // MARK: Dataset

    /// The core rule: a text is drawn only by fonts that have every glyph of it; texts no font
    /// draws are reported, never drawn.
    func testTextsAreOnlyRenderedWithFontsThatCoverThem() throws {
        let fonts = try [SynthFixtures.dejaVuSans, SynthFixtures.dkgHandwriting, SynthFixtures.humorSans]
            .map { try FontFile(path: $0) }
        let greek = "Ωμέγα 3 → 4"
        // The test means something only if some font lacks a character the others have.
        XCTAssertTrue(fonts[0].covers(greek))
        XCTAssertFalse(fonts[1].covers(greek))
        XCTAssertFalse(fonts[2].covers("plain text"))  // caps-only: no lowercase
        let texts = ["plain text", greek, "UPPER CASE 42", "中文 mixed"]
        let corpus = try CorpusSampler(texts: texts, mode: .lines())
        let dataset = try SyntheticLineDataset(fonts: fonts, corpus: corpus, options: .clean, count: 60)
        XCTAssertEqual(dataset.coverage.uncovered, 1)
        XCTAssertEqual(dataset.coverage.uncoveredExamples, ["中文 mixed"])
        XCTAssertEqual(dataset.coverage.charactersNoFontDraws.map(\.character), ["中", "文"])
        XCTAssertEqual(dataset.coverage.textsPerFont.map(\.texts), [3, 2, 1])
        XCTAssertTrue(dataset.coverage.summary.contains("1 skipped"), dataset.coverage.summary)

        var fontsUsed: [String: Set<String>] = [:]
        for i in 0..<dataset.count {
            let sample = try dataset.sample(at: i, seed: 11)
            XCTAssertNotEqual(sample.text, "中文 mixed")
            let font = try XCTUnwrap(fonts.first { $0.name == sample.group })
            XCTAssertEqual(font.missingCharacters(in: sample.text), [], "\(sample.text) drawn with \(font.name)")
            XCTAssertEqual(sample.source, "font \(font.name) #\(i)")
            fontsUsed[sample.text, default: []].insert(font.name)
        }
        XCTAssertEqual(fontsUsed[greek], ["DejaVuSans.ttf"])
        XCTAssertEqual(fontsUsed["plain text"], ["DejaVuSans.ttf", "dkg.ttf"])
        XCTAssertEqual(fontsUsed["UPPER CASE 42"], ["DejaVuSans.ttf", "dkg.ttf", "Humor-Sans.ttf"])
    }

    func testWordsModeDrawsOnlyWordsTheChosenFontCovers() throws {
        let fonts = try [SynthFixtures.dejaVuSans, SynthFixtures.humorSans].map { try FontFile(path: $0) }
        let corpus = try CorpusSampler(texts: ["lower words here", "SHOUT LOUD", "Ωμέγα ΑΒΓ"],
                                       mode: .words(minLength: 4, maxLength: 16))
        let dataset = try SyntheticLineDataset(fonts: fonts, corpus: corpus, options: .clean, count: 80)
        var perFont: [String: Int] = [:]
        for i in 0..<dataset.count {
            let s = try dataset.sample(at: i, seed: 2)
            let font = try XCTUnwrap(fonts.first { $0.name == s.group })
            XCTAssertEqual(font.missingCharacters(in: s.text), [], "\(s.text) with \(font.name)")
            perFont[s.group, default: 0] += 1
        }
        // Fonts are drawn first, equally often.
        XCTAssertGreaterThan(perFont["Humor-Sans.ttf"] ?? 0, 20)
        XCTAssertGreaterThan(perFont["DejaVuSans.ttf"] ?? 0, 20)
    }

    func testSamplesAreDeterministicAndThreadSafe() throws {
        let fonts = try [SynthFixtures.dejaVuSans, SynthFixtures.dancingScript, SynthFixtures.liberationSans]
            .map { try FontFile(path: $0) }
        let corpus = try CorpusSampler(texts: ["first line", "second line 2", "third, line"], mode: .lines())
        let dataset = try SyntheticLineDataset(fonts: fonts, corpus: corpus, count: 24)
        let a = try dataset.sample(at: 7, seed: 1), b = try dataset.sample(at: 7, seed: 1)
        XCTAssertEqual(a.image, b.image)
        XCTAssertEqual(a.text, "second line 2")
        XCTAssertNotEqual(try dataset.sample(at: 7, seed: 2).image, a.image)
        XCTAssertNotEqual(try dataset.sample(at: 10, seed: 1).image, a.image)  // same text, other draws

        let sequential = try (0..<24).map { try dataset.sample(at: $0, seed: 5).image }
        let parallel = ParallelImages(count: 24)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for i in stride(from: worker, to: 24, by: 4) { parallel.set(i, try? dataset.sample(at: i, seed: 5).image) }
        }
        XCTAssertEqual(parallel.images, sequential)
        XCTAssertThrowsError(try dataset.sample(at: 24, seed: 0))
    }

    func testNoDrawableTextIsAnError() throws {
        let fonts = [try FontFile(path: SynthFixtures.dkgHandwriting)]
        let corpus = try CorpusSampler(texts: ["中文", "日本語"], mode: .lines())
        XCTAssertThrowsError(try SyntheticLineDataset(fonts: fonts, corpus: corpus)) { error in
            XCTAssertTrue("\(error)".contains("none of the fonts draws any text") && "\(error)".contains("U+4E2D"), "\(error)")
        }
    }

    // MARK: renderDataset

    func testRenderDatasetWritesImagesAndLabelFile() throws {
        let dir = try SynthFixtures.scratchDirectory("render")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let corpusPath = dir + "/corpus.txt"
        try "Hello world\nSecond line, 2024\nÜber naïve café\n中文 only\n".write(toFile: corpusPath, atomically: true, encoding: .utf8)
        var progress: [SyntheticRenderProgress] = []
        let out = dir + "/out"
        let summary = try renderDataset(fonts: [SynthFixtures.dejaVuSans, SynthFixtures.dkgHandwriting], corpus: corpusPath,
                                        count: 9, output: out, seed: 3, threads: 2, progress: { progress.append($0) })
        XCTAssertEqual(summary.rendered, 9)
        XCTAssertEqual(summary.perFont.reduce(0) { $0 + $1.lines }, 9)
        XCTAssertEqual(summary.coverage.uncovered, 1)
        XCTAssertEqual(progress.last, SyntheticRenderProgress(done: 9, total: 9))
        XCTAssertTrue(summary.description.contains("1 skipped"), summary.description)

        let labels = try String(contentsOfFile: out + "/labels.txt", encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(labels.count, 9)
        let texts = ["Hello world", "Second line, 2024", "Über naïve café"]
        for (i, line) in labels.enumerated() {
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            XCTAssertEqual(parts.count, 2)
            XCTAssertEqual(String(parts[1]), texts[i % 3])
            let image = try Image(contentsOf: out + "/" + parts[0])
            XCTAssertGreaterThan(image.width, image.height)
        }
        XCTAssertEqual(labels[4].prefix(22), "images/000/0000004.png")
        // A second render into the same directory would mix two datasets: refused.
        XCTAssertThrowsError(try renderDataset(fonts: [SynthFixtures.dejaVuSans], corpus: corpusPath, count: 1,
                                               output: out)) { error in
            XCTAssertTrue("\(error)".contains("already holds labels.txt"), "\(error)")
        }
        // The same seed gives the same images whatever the thread count.
        let out1 = dir + "/out1"
        _ = try renderDataset(fonts: [SynthFixtures.dejaVuSans, SynthFixtures.dkgHandwriting], corpus: corpusPath,
                              count: 9, output: out1, seed: 3, threads: 1)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out1 + "/images/000/0000008.png")),
                       try Data(contentsOf: URL(fileURLWithPath: out + "/images/000/0000008.png")))
    }

    func testRenderDatasetWritesReadableHDF5() throws {
        let dir = try SynthFixtures.scratchDirectory("render-h5")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fonts = try [SynthFixtures.dejaVuSans, SynthFixtures.liberationSans].map { try FontFile(path: $0) }
        let corpus = try CorpusSampler(texts: ["alpha beta", "gamma delta 42"], mode: .lines())
        let dataset = try SyntheticLineDataset(fonts: fonts, corpus: corpus, count: 5)
        let path = dir + "/lines.h5"
        let summary = try renderDataset(dataset, to: path, seed: 8)
        XCTAssertEqual(summary.rendered, 5)

        let file = try H5File.open(path)
        XCTAssertEqual(try file.attributes.string("ocrkit.kind"), "rec-lines")
        XCTAssertEqual(try file.attributes.int("ocrkit.version"), 1)
        XCTAssertEqual(try file.attributes.int("count"), 5)
        XCTAssertEqual(try file.attributes.strings("synthetic.fonts"), fonts.map(\.path))
        let options = try JSONDecoder().decode(RenderOptions.self,
                                               from: Data(try file.attributes.string("synthetic.options").utf8))
        XCTAssertEqual(options, dataset.renderer.options)
        let blobs = try H5BlobArray.open(in: file.root(), "images")
        XCTAssertEqual(blobs.count, 5)
        let labels = try file.readStrings("labels"), groups = try file.readStrings("groups")
        XCTAssertEqual(labels, (0..<5).map { ["alpha beta", "gamma delta 42"][$0 % 2] })
        XCTAssertEqual(try file.readStrings("sources")[3], "font \(groups[3]) #3")
        for i in 0..<5 {
            let stored = try Image(decoding: try blobs.blob(at: i))
            let expected = try dataset.sample(at: i, seed: 8)
            XCTAssertEqual(stored, expected.image)  // PNG is lossless: the very same pixels
            XCTAssertEqual(groups[i], expected.group)
        }
    }

    func testBenchmarkReportsLinesPerSecond() throws {
        let fonts = try [SynthFixtures.dejaVuSans, SynthFixtures.dkgHandwriting].map { try FontFile(path: $0) }
        var options = RenderOptions()
        options.fontSize = RenderOptions.Interval(32, 40)
        let rate = try benchmarkLineRendering(fonts: fonts, texts: ["The quick brown fox jumps over 13 lazy dogs."],
                                              renderer: try LineRenderer(options: options), lines: 40)
        print("synthetic rendering: \(String(format: "%.1f", rate)) lines/s on 1 thread (default options, 32-40 px)")
        XCTAssertGreaterThan(rate, 1)
    }
}

/// Results of concurrent samples, by index.
private final class ParallelImages: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Image?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ image: Image?) {
        lock.lock()
        slots[i] = image
        lock.unlock()
    }

    var images: [Image] { slots.compactMap { $0 } }
}
