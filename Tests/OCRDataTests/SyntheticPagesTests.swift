import Foundation
import Imaging
import OCRCore
import XCTest
@testable import OCRData

/// `SyntheticPages`: labels against the ink they claim, determinism, granularity, the config's
/// errors and the det_gt.txt writer. Pages are 640x640 here to keep debug builds quick.
final class SyntheticPagesTests: XCTestCase {
    static let corpusText = """
        The quick brown fox jumps over the lazy dog while invoices, receipts and forms pile up on the desk.
        Total amount due on delivery; please sign here and return the copy to the sender before Friday.
        Shipping address: North Street, Building seven, second floor, room twelve, Springfield.
        Every detector has to find text of all sizes: headings, captions, footnotes and tiny print.
        """

    static func corpus() throws -> String {
        let dir = try SynthFixtures.scratchDirectory("pages-corpus")
        let path = dir + "/corpus.txt"
        try corpusText.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Only `layout` (a `LayoutWeights` key path), clean degradation off or on.
    static func pages(_ layout: WritableKeyPath<SyntheticPagesConfig.LayoutWeights, Double>? = nil,
                      granularity: SyntheticPagesConfig.Granularity = .line, handwriting: Bool = false,
                      fonts: [String] = [SynthFixtures.dejaVuSans, SynthFixtures.liberationSans],
                      configure: (inout SyntheticPagesConfig) -> Void = { _ in }) throws -> SyntheticPages {
        var config = SyntheticPagesConfig(fonts: fonts, corpus: try corpus())
        config.pageSize = [640, 640]
        config.count = 100
        config.granularity = granularity
        if let layout {
            var w = SyntheticPagesConfig.LayoutWeights()
            w.document = 0; w.receipt = 0; w.form = 0; w.shippingLabel = 0; w.idCard = 0; w.scene = 0
            w[keyPath: layout] = 1
            config.layouts = w
        }
        if handwriting { config.render.handwritingProb = 1 }
        configure(&config)
        return try SyntheticPages(config: config)
    }

    static var layouts: [(String, WritableKeyPath<SyntheticPagesConfig.LayoutWeights, Double>)] { [
        ("document", \.document), ("receipt", \.receipt), ("form", \.form), ("shipping_label", \.shippingLabel),
        ("id_card", \.idCard), ("scene", \.scene),
    ] }

    /// Ink (clean text coverage) outside every label polygon, and in all.
    func inkOutside(_ page: RenderedPage, width: Int, height: Int) throws -> (outside: Double, total: Double) {
        let ink = try XCTUnwrap(page.inkLayer)
        var labelled = try Image(width: width, height: height, colorOrder: .gray, repeating: 0)
        for r in page.regions {  // one call per polygon: overlapping polygons must not cancel out
            try labelled.fillPoly([r.polygon.points.map { Point2i(Int($0.x.rounded()), Int($0.y.rounded())) }], value: [255])
        }
        var outside = 0.0, total = 0.0
        for i in 0..<(width * height) where ink[i] > 0 {
            total += Double(ink[i])
            if labelled.pixels[i] == 0 { outside += Double(ink[i]) }
        }
        return (outside, total)
    }

    /// Ink inside one polygon's box and polygon (a label over blank paper would be a lie too).
    func inkInside(_ region: TextRegion, _ ink: [UInt8], width: Int, height: Int) throws -> Double {
        var mask = try Image(width: width, height: height, colorOrder: .gray, repeating: 0)
        try mask.fillPoly([region.polygon.points.map { Point2i(Int($0.x.rounded()), Int($0.y.rounded())) }], value: [255])
        let box = try XCTUnwrap(region.polygon.boundingBox)
        var sum = 0.0
        for y in max(0, Int(box.minY))...min(height - 1, Int(box.maxY.rounded(.up))) {
            for x in max(0, Int(box.minX))...min(width - 1, Int(box.maxX.rounded(.up))) where mask.pixels[y * width + x] != 0 {
                sum += Double(ink[y * width + x])
            }
        }
        return sum
    }

    func testInkOutsideWordPolygonsIsUnderHalfAPercentForEveryLayout() throws {
        for (name, layout) in Self.layouts {
            let pages = try Self.pages(layout, granularity: .word)
            var outside = 0.0, total = 0.0, regions = 0
            for index in 0..<3 {
                let page = try pages.render(index: index, seed: 7, inkLayer: true)
                XCTAssertEqual(page.layout, name)
                let (o, t) = try inkOutside(page, width: 640, height: 640)
                outside += o
                total += t
                regions += page.regions.count
                for r in page.regions {
                    XCTAssertGreaterThan(try inkInside(r, page.inkLayer!, width: 640, height: 640), 0,
                                         "\(name) page \(index): polygon of '\(r.transcription)' covers no ink")
                }
            }
            let share = outside / max(total, 1)
            print("\(name): \(regions) word polygons; ink outside them \(String(format: "%.4f%%", share * 100)) (limit 0.5%)")
            XCTAssertGreaterThan(regions, 3, name)
            XCTAssertLessThan(share, 0.005, name)
        }
    }

    func testInkOutsideLinePolygonsInHandwritingModeIsUnderHalfAPercent() throws {
        let pages = try Self.pages(granularity: .line, handwriting: true,
                                   fonts: [SynthFixtures.dejaVuSans, SynthFixtures.dkgHandwriting])
        var outside = 0.0, total = 0.0
        for index in 0..<6 {
            let page = try pages.render(index: index, seed: 3, inkLayer: true)
            let (o, t) = try inkOutside(page, width: 640, height: 640)
            outside += o
            total += t
        }
        print("handwriting lines: ink outside polygons \(String(format: "%.4f%%", outside / total * 100)) (limit 0.5%)")
        XCTAssertGreaterThan(total, 0)
        XCTAssertLessThan(outside / total, 0.005)
    }

    func testInkOutsidePolygonsWithEveryGeometricEffectOnIsUnderHalfAPercent() throws {
        for (name, layout) in Self.layouts {
            let pages = try Self.pages(layout, granularity: .word) { c in
                c.pageRotateProb = 1
                c.pageRotateDegrees = 20
                c.perspectiveProb = 1
                c.perspective = 0.1
                c.blockRotateProb = 1
                c.curveProb = 1
                c.curveAmplitude = 1
            }
            var outside = 0.0, total = 0.0
            for index in 0..<2 {
                let (o, t) = try inkOutside(try pages.render(index: index, seed: 13, inkLayer: true), width: 640, height: 640)
                outside += o
                total += t
            }
            print("\(name), rotated, warped and curved: ink outside word polygons \(String(format: "%.4f%%", outside / total * 100))")
            XCTAssertGreaterThan(total, 0, name)
            XCTAssertLessThan(outside / total, 0.005, name)
        }
    }

    func testPolygonsLieInsideThePage() throws {
        let pages = try Self.pages(granularity: .word)
        for index in 0..<8 {
            let page = try pages.render(index: index, seed: 11)
            XCTAssertEqual(page.image.width, 640)
            XCTAssertEqual(page.image.height, 640)
            XCTAssertEqual(page.image.colorOrder, .bgr)
            for r in page.regions {
                XCTAssertGreaterThanOrEqual(r.polygon.points.count, 4)
                XCTAssertTrue(r.polygon.isValid, "page \(index) '\(r.transcription)': \(r.polygon)")
                for p in r.polygon.points {
                    XCTAssertTrue(p.x >= 0 && p.y >= 0 && p.x <= 639 && p.y <= 639, "page \(index) '\(r.transcription)': \(p)")
                }
            }
        }
    }

    func testSameSeedAndIndexGiveTheSamePageOnAnyThread() throws {
        let pages = try Self.pages()
        let first = try pages.render(index: 3, seed: 5)
        let again = try pages.render(index: 3, seed: 5)
        XCTAssertEqual(first.image, again.image)
        XCTAssertEqual(first.regions, again.regions)
        XCTAssertFalse(first.regions.isEmpty)
        XCTAssertNotEqual(try pages.render(index: 4, seed: 5).image, first.image)
        XCTAssertNotEqual(try pages.render(index: 3, seed: 6).image, first.image)
        // 5 ^ (3 + g) == 0 ^ (8 + g) for SplitMix64's golden increment g: still two pages.
        XCTAssertFalse(try pages.render(index: 8, seed: 0).regions == first.regions, "seed 0 page 8 repeats seed 5 page 3")

        // Four threads at once (fonts lend each its own face) draw what one thread does.
        let sequential = try (0..<8).map { try pages.render(index: $0, seed: 9) }
        let results = PageResults(count: 8)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for i in stride(from: worker, to: 8, by: 4) { results.set(i, try? pages.render(index: i, seed: 9)) }
        }
        for i in 0..<8 {
            XCTAssertEqual(results.get(i)?.image, sequential[i].image, "page \(i)")
            XCTAssertEqual(results.get(i)?.regions, sequential[i].regions, "page \(i)")
        }

        // The contract the detection loader reads.
        let sample = try XCTUnwrap(try pages.sample(at: 3, datasetSeed: 5))
        XCTAssertEqual(sample.image, first.image)
        XCTAssertEqual(sample.regions, first.regions)
        XCTAssertEqual(sample.source, "synthetic page 3")
        XCTAssertThrowsError(try pages.sample(at: 100, datasetSeed: 0))
    }

    func testWordGranularitySplitsTheSameLinesIntoWords() throws {
        let lines = try Self.pages(granularity: .line), words = try Self.pages(granularity: .word)
        var lineCount = 0, wordCount = 0
        for index in 0..<6 {
            let l = try lines.render(index: index, seed: 2), w = try words.render(index: index, seed: 2)
            XCTAssertEqual(l.image, w.image, "granularity changes labels, not pixels")
            let lineWords = l.regions.flatMap { $0.transcription.split(separator: " ").map(String.init) }
            XCTAssertEqual(w.regions.map(\.transcription), lineWords, "page \(index)")
            XCTAssertFalse(w.regions.contains { $0.transcription.contains(" ") }, "page \(index)")
            lineCount += l.regions.count
            wordCount += w.regions.count
        }
        print("6 pages: \(lineCount) line polygons, \(wordCount) word polygons")
        XCTAssertGreaterThan(wordCount, lineCount)
    }

    func testConfigErrorsNameTheKey() throws {
        func decode(_ extra: String) throws -> SyntheticPagesConfig {
            let yaml = """
                dataset:
                  name: SyntheticPages
                  fonts: [\(SynthFixtures.dejaVuSans)]
                  corpus: corpus.txt
                \(extra.isEmpty ? "" : "  " + extra)
                """
            return try ConfigTree(yaml: yaml, source: "pages.yml").decode(SyntheticPagesConfig.self, at: "dataset")
        }
        let ok = try decode("granularity: word")
        XCTAssertEqual(ok.granularity, .word)
        XCTAssertEqual(ok.pageSize, [960, 960])
        XCTAssertEqual(ok.count, 10_000)
        XCTAssertGreaterThan(ok.layouts.receipt, 0, "no layouts key: every layout")
        let sceneOnly = try decode("layouts: {scene: 2}").layouts
        XCTAssertEqual(sceneOnly.all, [0, 0, 0, 0, 0, 2], "layouts left out of the key are not drawn")
        for (line, key) in [("granularity: char", "granularity"), ("page_size: [100]", "page_size"),
                            ("curve_prob: 1.5", "curve_prob"), ("layouts: {scene: -1}", "scene"),
                            ("text_size: [50, 10]", "text_size"), ("count: 0", "count"),
                            ("perspective: 0.9", "perspective"), ("render: {blur_prob: 2}", "blur_prob"),
                            ("layouts: {document: 0, receipt: 0, form: 0, shipping_label: 0, id_card: 0, scene: 0}", "layouts"),
                            ("curve_probb: 0.1", "curve_probb")] {
            XCTAssertThrowsError(try decode(line), line) { error in
                XCTAssertTrue("\(error)".contains(key), "\(line): \(error)")
            }
        }
        XCTAssertThrowsError(try ConfigTree(yaml: "d: {name: SyntheticLines, fonts: [a], corpus: b}")
            .decode(SyntheticPagesConfig.self, at: "d")) { XCTAssertTrue("\($0)".contains("name"), "\($0)") }
    }

    func testRenderPagesWritesImagesAndAPaddleOCRDetLabelFile() throws {
        let pages = try Self.pages(granularity: .word)
        let dir = try SynthFixtures.scratchDirectory("pages-out")
        let summary = try renderPages(pages, to: dir, count: 3, seed: 1, threads: 2, format: .jpeg(quality: 80))
        XCTAssertEqual(summary.pages, 3)
        let labels = try DetectionLabelReader(policy: .fail).read(file: dir + "/det_gt.txt")
        XCTAssertEqual(labels.records.map(\.imagePath), ["images/0000000.jpg", "images/0000001.jpg", "images/0000002.jpg"])
        for (i, record) in labels.records.enumerated() {
            let image = try Image(contentsOf: dir + "/" + record.imagePath)
            XCTAssertEqual(image.width, 640)
            let page = try pages.render(index: i, seed: 1)
            XCTAssertEqual(record.regions.map(\.transcription), page.regions.map(\.transcription))
            for (a, b) in zip(record.regions, page.regions) {
                for (p, q) in zip(a.polygon.points, b.polygon.points) {
                    XCTAssertEqual(p.x, q.x, accuracy: 0.051)
                    XCTAssertEqual(p.y, q.y, accuracy: 0.051)
                }
            }
        }
        XCTAssertEqual(labels.records.reduce(0) { $0 + $1.regions.count }, summary.regions)
        XCTAssertThrowsError(try renderPages(pages, to: dir, count: 1)) { XCTAssertTrue("\($0)".contains("det_gt.txt"), "\($0)") }
        // The same files every time, whatever the thread count (JSON keys in PaddleOCR's order).
        let again = try SynthFixtures.scratchDirectory("pages-out-again")
        _ = try renderPages(pages, to: again, count: 3, seed: 1, threads: 1, format: .jpeg(quality: 80))
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: again + "/det_gt.txt")),
                       try Data(contentsOf: URL(fileURLWithPath: dir + "/det_gt.txt")))
        XCTAssertTrue(try String(contentsOfFile: dir + "/det_gt.txt", encoding: .utf8).contains("\t[{\"transcription\":"))
    }
}

/// Pages rendered by concurrent workers, each writing its own index.
private final class PageResults: @unchecked Sendable {
    private let lock = NSLock()
    private var pages: [RenderedPage?]

    init(count: Int) { pages = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ page: RenderedPage?) {
        lock.lock()
        pages[i] = page
        lock.unlock()
    }

    func get(_ i: Int) -> RenderedPage? {
        lock.lock()
        defer { lock.unlock() }
        return pages[i]
    }
}
