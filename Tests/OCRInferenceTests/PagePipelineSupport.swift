import Foundation
import Imaging
import OCRCore
import OCRData
@testable import OCRInference

/// Pages made of lines rendered by OCRData's synthetic line renderer (black on white, 32 px),
/// pasted onto a white page at known places, for the page pipeline's tests.
enum TestPages {
    static let modelDirectory = Fixtures.packageRoot + "/.deps/models"
    static let font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

    /// One line placed on a page: its text, the rectangle its rendered image covers, and how it was
    /// turned (0, 90 clockwise, 180).
    struct Placed {
        var text: String
        var x: Int, y: Int
        var turn = 0
        var rect = (x0: 0, y0: 0, x1: 0, y1: 0)
    }

    /// PaddleOCR's pipeline on PP-OCRv4 (or `models`); fails (never skips) when setup.sh has not placed the models.
    static func reader(classifier: Bool = true, models: PageModels = .ppocrV4(in: modelDirectory)) throws -> PageReader {
        var models = models
        guard FileManager.default.fileExists(atPath: models.detector) else {
            throw InferenceError(.fileNotFound, "\(models.detector) is missing: run scripts/setup.sh")
        }
        if !classifier { models.classifier = nil }
        return try PageReader(models: models, options: .init(intraOpThreads: 2, interOpThreads: 1))
    }

    /// A `width` x `height` white BGR page with `lines` rendered at their (x, y); their rectangles filled in.
    static func page(width: Int, height: Int, lines: [Placed]) throws -> (Image, [Placed]) {
        let renderer = try LineRenderer(options: .clean)
        let face = try FontFile(path: font)
        var pixels = [UInt8](repeating: 255, count: width * height * 3)
        var placed = lines
        for (i, line) in lines.enumerated() {
            var image = try renderer.render(line.text, font: face, seed: 11, index: i).image
            switch line.turn {
            case 180: image = image.rotated180()
            case 90: image = try TextCrop.rotatedCounterClockwise(image.rotated180())  // = a quarter turn clockwise
            default: break
            }
            precondition(line.x + image.width <= width && line.y + image.height <= height, "\(line.text) does not fit the page")
            for y in 0..<image.height {
                for x in 0..<image.width {
                    for k in 0..<3 {
                        pixels[((line.y + y) * width + line.x + x) * 3 + k] = image.pixels[(y * image.width + x) * 3 + k]
                    }
                }
            }
            placed[i].rect = (line.x, line.y, line.x + image.width, line.y + image.height)
        }
        return (try Image(width: width, height: height, colorOrder: .bgr, pixels: pixels), placed)
    }

    /// The pages the pipeline tests and the RapidOCR comparison read (at most 960 px a side, so
    /// RapidOCR's size-dependent `limit_side_len` is PaddleOCR's 960 too).
    static func standardPages() throws -> [(name: String, image: Image, lines: [Placed])] {
        let layouts: [(String, Int, Int, [Placed])] = [
            ("invoice", 800, 600, [
                Placed(text: "Invoice 2026-11-26", x: 40, y: 40),
                Placed(text: "Total 42.00", x: 480, y: 46),          // same line, 6 px lower: still read after
                Placed(text: "The quick brown fox", x: 40, y: 160),
                Placed(text: "recognition", x: 300, y: 300),
                Placed(text: "OCRKit reads pages", x: 60, y: 450),
            ]),
            ("turned", 640, 480, [
                Placed(text: "upright line", x: 30, y: 30),
                Placed(text: "upside down", x: 30, y: 200, turn: 180),
                Placed(text: "VERTICAL", x: 520, y: 120, turn: 90),
            ]),
            ("columns", 900, 500, [
                Placed(text: "left column", x: 40, y: 60),
                Placed(text: "right column", x: 500, y: 64),
                Placed(text: "second row", x: 40, y: 200),
                Placed(text: "2026", x: 500, y: 196),
            ]),
        ]
        return try layouts.map { name, w, h, lines in
            let (image, placed) = try page(width: w, height: h, lines: lines)
            return (name, image, placed)
        }
    }

    /// The placed lines as a reader should list them: rows top to bottom (tops within 10 px are one
    /// row), left to right.
    static func readingOrder(_ lines: [Placed]) -> [Placed] {
        lines.sorted { abs($0.y - $1.y) < 10 ? $0.x < $1.x : $0.y < $1.y }
    }

    /// Pages from OCRData's `SyntheticPages` (rotated blocks, perspective, paper, blur and noise as
    /// its defaults draw them), `count` of them, 960 x 960 (within RapidOCR's 960 limit too).
    static func syntheticPages(count: Int, seed: UInt64 = 5) throws -> [(name: String, image: Image)] {
        let dir = try Fixtures.scratchDirectory("synth-corpus")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let corpus = dir + "/corpus.txt"
        try """
            The quick brown fox jumps over the lazy dog while invoices, receipts and forms pile up on the desk.
            Total amount due on delivery; please sign here and return the copy to the sender before Friday.
            Shipping address: North Street, Building seven, second floor, room twelve, Springfield.
            Invoice 2026-11-26 order 4711 quantity 12 price 42.00 EUR
            """.write(toFile: corpus, atomically: true, encoding: .utf8)
        var config = SyntheticPagesConfig(fonts: [font, "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"], corpus: corpus)
        config.count = count
        config.seed = seed
        let pages = try SyntheticPages(config: config)
        return try (0..<count).map { ("synthetic-\($0)", try pages.render(index: $0, seed: seed).image) }
    }

    static func withoutSpaces(_ s: String) -> String { s.filter { !$0.isWhitespace } }
}
