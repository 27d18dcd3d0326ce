import Foundation
import Imaging
import OCRCore
import XCTest
@testable import OCRData

/// LineRenderer: ink where the text is, determinism, handwriting mode, options from YAML.
final class SyntheticRenderTests: XCTestCase {
    func testCleanLineHasInkInTheMiddleAndBlankMargins() throws {
        let font = try FontFile(path: SynthFixtures.dejaVuSans)
        let renderer = try LineRenderer(options: .clean)
        let image = try renderer.render("Hello World 2024", font: font, seed: 1).image
        XCTAssertEqual(image.colorOrder, .bgr)
        // 32 px em: line box ~0.99 em (DejaVu's "d" to "p") + 2 x 0.1 em margins.
        XCTAssertEqual(Double(image.height), 32 * (0.76 + 0.24 + 0.2), accuracy: 3)
        let margin = 8  // 0.25 em
        var dark = 0, darkLeft = 0, darkRight = 0
        for y in 0..<image.height {
            for x in 0..<image.width {
                let g = SynthFixtures.gray(image, x, y)
                let inMargin = x < margin - 1 || x >= image.width - margin + 1 || y < 2 || y >= image.height - 2
                if inMargin { XCTAssertEqual(g, 255, accuracy: 0.5, "margin pixel (\(x), \(y)) is not background") }
                if g < 100 {
                    dark += 1
                    if x < image.width / 3 { darkLeft += 1 }
                    if x > 2 * image.width / 3 { darkRight += 1 }
                }
            }
        }
        // Ink along the whole line, not one blob: "Hello" on the left, "2024" on the right.
        XCTAssertGreaterThan(dark, 600)
        XCTAssertGreaterThan(darkLeft, 150)
        XCTAssertGreaterThan(darkRight, 150)
        // The middle band (x-height) holds ink in most columns of text.
        let mid = image.height / 2
        let inkColumns = (margin..<(image.width - margin)).filter { x in
            (mid - 4...mid + 4).contains { SynthFixtures.gray(image, x, $0) < 128 }
        }
        XCTAssertGreaterThan(Double(inkColumns.count) / Double(image.width - 2 * margin), 0.4)
    }

    func testRenderingIsDeterministicPerSeedAndIndex() throws {
        let font = try FontFile(path: SynthFixtures.liberationSans)
        let renderer = try LineRenderer()
        let a = try renderer.render("Invoice 2024-117", font: font, seed: 9, index: 3).image
        let b = try renderer.render("Invoice 2024-117", font: font, seed: 9, index: 3).image
        XCTAssertEqual(a, b)
        // Across indices and seeds the draws differ (size, colours, effects).
        let others = try (4..<8).map { try renderer.render("Invoice 2024-117", font: font, seed: 9, index: $0).image }
            + [try renderer.render("Invoice 2024-117", font: font, seed: 10, index: 3).image]
        for other in others { XCTAssertNotEqual(a, other) }
    }

    func testHandwritingModeDiffersFromPlainAndKeepsInk() throws {
        let font = try FontFile(path: SynthFixtures.dkgHandwriting)
        var hand = RenderOptions.clean
        hand.handwritingProb = 1
        let plain = try LineRenderer(options: .clean).render("quick brown fox", font: font, seed: 5)
        let written = try LineRenderer(options: hand).render("quick brown fox", font: font, seed: 5)
        XCTAssertFalse(plain.handwriting)
        XCTAssertTrue(written.handwriting)
        XCTAssertNotEqual(plain.image, written.image)
        let dark = (0..<written.image.height).reduce(0) { n, y in
            n + (0..<written.image.width).filter { SynthFixtures.gray(written.image, $0, y) < 128 }.count
        }
        XCTAssertGreaterThan(dark, 300)
        // handwriting_fonts limits the mode to matching file names.
        hand.handwritingFonts = ["Dancing"]
        let limited = try LineRenderer(options: hand)
        XCTAssertFalse(limited.handwritingApplies(to: font))
        XCTAssertTrue(limited.handwritingApplies(to: try FontFile(path: SynthFixtures.dancingScript)))
        XCTAssertEqual(try limited.render("quick brown fox", font: font, seed: 5).image, plain.image)
    }

    func testUncoveredTextIsRefusedNotDrawnAsTofu() throws {
        let font = try FontFile(path: SynthFixtures.dejaVuSans)
        XCTAssertThrowsError(try LineRenderer(options: .clean).render("abc 中文", font: font, seed: 1)) { error in
            XCTAssertEqual((error as? FontError)?.kind, .notCovered)
            XCTAssertTrue("\(error)".contains("U+4E2D") && "\(error)".contains(SynthFixtures.dejaVuSans), "\(error)")
        }
        XCTAssertThrowsError(try LineRenderer(options: .clean).render("   ", font: font, seed: 1)) { error in
            XCTAssertEqual((error as? FontError)?.kind, .invalidArgument)
        }
    }

    func testEveryEffectRunsAndKeepsTheImageSane() throws {
        var o = RenderOptions()
        for key in [\RenderOptions.letterSpacingProb, \.strokeWidthProb, \.obliqueProb, \.underlineProb, \.tightCropProb,
                    \.colorTextProb, \.rotateProb, \.perspectiveProb, \.blurProb, \.downscaleProb, \.noiseProb,
                    \.saltPepperProb, \.jpegProb, \.handwritingProb] {
            o[keyPath: key] = 1
        }
        let renderer = try LineRenderer(options: o)
        for (i, path) in [SynthFixtures.dejaVuSans, SynthFixtures.dancingScript, SynthFixtures.nimbusSansType1].enumerated() {
            let line = try renderer.render("Effects: all on, 42!", font: try FontFile(path: path), seed: 3, index: i)
            XCTAssertTrue((20...140).contains(line.image.height), "\(path): height \(line.image.height)")
            XCTAssertGreaterThan(line.image.width, line.image.height * 3, path)
        }
    }

    func testOptionsDecodeFromYAMLWithDefaultsAndValidation() throws {
        let tree = try ConfigTree(yaml: """
            render:
              font_size: [28, 40]
              rotate_degrees: 2
              blur_prob: 0.2
              jpeg_quality: 50
              text_color: [0, 0, 128]
              backgrounds: {paper: 1, solid: 0}
            """)
        let o = try tree.decode(RenderOptions.self, at: "render")
        XCTAssertEqual(o.fontSize, RenderOptions.Interval(28, 40))
        XCTAssertEqual(o.rotateDegrees, 2)
        XCTAssertEqual(o.blurProb, 0.2)
        XCTAssertEqual(o.jpegQuality, RenderOptions.Interval(50, 50))
        XCTAssertEqual(o.textColor, [0, 0, 128])
        XCTAssertEqual(o.backgrounds.paper, 1)
        XCTAssertEqual(o.backgrounds.gradient, RenderOptions.BackgroundWeights().gradient)
        XCTAssertEqual(o.noiseProb, RenderOptions().noiseProb)  // left out: default

        XCTAssertThrowsError(try ConfigTree(yaml: "r: {blur_prob: 1.5}").decode(RenderOptions.self, at: "r")) { error in
            XCTAssertTrue("\(error)".contains("blur_prob: 1.5 is not a probability"), "\(error)")
        }
        XCTAssertThrowsError(try ConfigTree(yaml: "r: {blur_prb: 0.5}").decode(RenderOptions.self, at: "r")) { error in
            XCTAssertTrue("\(error)".contains("did you mean 'blur_prob'"), "\(error)")
        }
        // Round trip through JSON keeps every field.
        var custom = RenderOptions.handwriting
        custom.handwritingFonts = ["dkg"]
        let back = try JSONDecoder().decode(RenderOptions.self, from: JSONEncoder().encode(custom))
        XCTAssertEqual(back, custom)
    }

    func testSyntheticLinesConfigDecodes() throws {
        let tree = try ConfigTree(yaml: """
            dataset:
              name: SyntheticLines
              fonts: [/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf]
              corpus: corpus.txt
              count: 1000
              text_mode: words
              text_length: [3, 12]
              render: {handwriting_prob: 1}
            """)
        let c = try tree.decode(SyntheticLinesConfig.self, at: "dataset")
        XCTAssertEqual(c.corpusMode, .words(minLength: 3, maxLength: 12))
        XCTAssertEqual(c.count, 1000)
        XCTAssertEqual(c.render.handwritingProb, 1)
    }
}
