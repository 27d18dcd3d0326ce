import Foundation
import Imaging
import OCRCore
import XCTest
@testable import OCRInference

/// The page pipeline on PP-OCRv4 (det + v2 cls + rec from .deps/models) reading pages of rendered
/// lines at known places; reading order, crops, page files and the result's JSON shape.
final class PagePipelineTests: XCTestCase {
    func testReadsRenderedPagesInReadingOrder() throws {
        let reader = try TestPages.reader()
        for (name, image, placed) in try TestPages.standardPages() where name != "turned" {
            let page = try reader.read(image)
            // Reading order: rows top to bottom (a row's tops within 10 px), left to right.
            let expected = TestPages.readingOrder(placed)
            XCTAssertEqual(page.lines.count, placed.count, "\(name): \(page.lines.map(\.text))")
            for (line, truth) in zip(page.lines, expected) {
                // PP-OCRv4 (a Chinese model) drops some spaces between Latin words; RapidOCR reads the same.
                XCTAssertEqual(TestPages.withoutSpaces(line.text), TestPages.withoutSpaces(truth.text), name)
                XCTAssertGreaterThan(line.confidence, 0.9, "\(name): \(line.text)")
                let box = line.polygon.boundingBox!
                let r = truth.rect
                XCTAssertTrue(box.minX >= Double(r.x0) - 2 && box.maxX <= Double(r.x1) + 2 && box.minY >= Double(r.y0) - 2
                              && box.maxY <= Double(r.y1) + 2, "\(name): \(line.text) box \(box) outside the rendered line \(r)")
                // The box holds the text: at least half the rendered line's height and most of its ink width.
                XCTAssertGreaterThan(box.maxY - box.minY, Double(r.y1 - r.y0) * 0.5, "\(name): \(line.text)")
            }
            XCTAssertEqual(page.detected, placed.count, name)
            XCTAssertGreaterThan(page.timings.total, 0)
            XCTAssertGreaterThanOrEqual(page.timings.total, page.timings.det + page.timings.cls + page.timings.rec)
        }
    }

    /// An upside-down line is read only after the classifier turns it; a vertical one is cropped
    /// and turned a quarter (get_rotate_crop_image's 1.5 rule).
    func testClassifierAndVerticalCrops() throws {
        let (_, image, placed) = try TestPages.standardPages().first { $0.name == "turned" }!
        let page = try TestPages.reader().read(image)
        XCTAssertEqual(page.lines.map { TestPages.withoutSpaces($0.text) },
                       TestPages.readingOrder(placed).map { TestPages.withoutSpaces($0.text) })
        let withoutCls = try TestPages.reader(classifier: false).read(image)
        XCTAssertFalse(withoutCls.lines.contains { TestPages.withoutSpaces($0.text) == "upsidedown" },
                       "without the classifier the turned line should not read: \(withoutCls.lines.map(\.text))")
    }

    /// drop_score: lines below it are left out, the others kept in order.
    func testDropScore() throws {
        let base = try TestPages.reader()
        let (_, image, _) = try TestPages.standardPages()[0]
        let all = try PageReader(detector: base.detector, classifier: base.classifier, recognizer: base.recognizer, dropScore: 0).read(image)
        XCTAssertEqual(all.lines.count, all.detected)
        let cut = all.lines.map(\.confidence).sorted()[all.lines.count / 2]
        let kept = try PageReader(detector: base.detector, classifier: base.classifier, recognizer: base.recognizer, dropScore: cut).read(image)
        XCTAssertEqual(kept.lines, all.lines.filter { $0.confidence >= cut })
        XCTAssertLessThan(kept.lines.count, all.lines.count)
        XCTAssertNotNil(assertThrows(InferenceError.self) {
            try PageReader(detector: base.detector, classifier: nil, recognizer: base.recognizer, dropScore: 1.5)
        })
    }

    func testEmptyPageGivesNoLines() throws {
        let white = try Image(width: 640, height: 480, colorOrder: .bgr, repeating: 255)
        let page = try TestPages.reader().read(white)
        XCTAssertEqual(page.lines, [])
        XCTAssertEqual(page.detected, 0)
        // A page smaller than the detector's 32 px is padded, not refused.
        XCTAssertEqual(try TestPages.reader().read(try Image(width: 5, height: 3, colorOrder: .gray, repeating: 255)).lines, [])
    }

    func testTimingLogForm() {
        let t = PageReader.Timings(det: 0.01234, cls: 0.001, rec: 0.5, total: 0.6)
        let lines = t.logLines(at: Date(timeIntervalSince1970: 1_796_320_800))  // 2026-12-03 18:00:00 UTC
        XCTAssertEqual(lines, ["[2026-12-03 18:00:00] det: 12.34ms", "[2026-12-03 18:00:00] cls: 1.00ms",
                               "[2026-12-03 18:00:00] rec: 500.00ms", "[2026-12-03 18:00:00] total: 600.00ms"])
    }

    /// PaddleOCR's serving result: {"text", "confidence", "text_region": [[x, y] x 4]}.
    func testLineJSONShape() throws {
        let line = PageReader.Line(text: "Total 42.00", confidence: 0.5, textRegion: [[419, 44], [574, 46], [574, 74], [419, 72]])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        XCTAssertEqual(String(decoding: try encoder.encode([line]), as: UTF8.self),
                       #"[{"confidence":0.5,"text":"Total 42.00","text_region":[[419,44],[574,46],[574,74],[419,72]]}]"#)
        XCTAssertEqual(try JSONDecoder().decode([PageReader.Line].self, from: encoder.encode([line])), [line])
    }

    // MARK: reading order

    func testSortedBoxesFollowsPaddleOCR() {
        func box(_ x: Double, _ y: Double) -> Polygon { Polygon([(x, y), (x + 50, y), (x + 50, y + 20), (x, y + 20)]) }
        // Tops 9 px apart count as one line (left to right); 10 px apart do not.
        XCTAssertEqual(ReadingOrder.sorted([box(300, 100), box(10, 109)]), [1, 0])
        XCTAssertEqual(ReadingOrder.sorted([box(300, 100), box(10, 110)]), [0, 1])
        // Three on a row with ragged tops, then a row below.
        let boxes = [box(10, 200), box(400, 95), box(200, 101), box(20, 104)]
        XCTAssertEqual(ReadingOrder.sorted(boxes), [3, 2, 1, 0])
        // Equal first points keep input order (Python's sort is stable).
        XCTAssertEqual(ReadingOrder.sorted([box(5, 5), box(5, 5)]), [0, 1])
        XCTAssertEqual(ReadingOrder.sorted([]), [])
        // PaddleOCR's pass moves a box back only past neighbours less than 10 px higher: tops 0, 8, 16
        // with x descending give [1, 0, 2] (the third stays, 16 px below the first), not a sort by x.
        XCTAssertEqual(ReadingOrder.sorted([box(300, 0), box(200, 8), box(100, 16)]), [1, 0, 2])
    }

    // MARK: crops

    /// A page whose pixel (x, y) has blue x, green y: a crop's pixels say where they came from.
    func coordinatePage(width: Int = 200, height: Int = 160) throws -> Image {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height { for x in 0..<width { pixels[(y * width + x) * 3] = UInt8(x); pixels[(y * width + x) * 3 + 1] = UInt8(y) } }
        return try Image(width: width, height: height, colorOrder: .bgr, pixels: pixels)
    }

    func testCropOfAnUprightBoxIsThePixelsInside() throws {
        let page = try coordinatePage()
        let crop = try TextCrop.crop(page, quad: Polygon([(20, 30), (120, 30), (120, 50), (20, 50)]))
        XCTAssertEqual([crop.width, crop.height], [100, 20])
        XCTAssertEqual(crop[0, 0, 0], 20); XCTAssertEqual(crop[0, 0, 1], 30)
        XCTAssertEqual(crop[99, 19, 0], 119); XCTAssertEqual(crop[99, 19, 1], 49)
    }

    /// Height / width >= 1.5 turns the crop a quarter counter-clockwise (np.rot90); 1.475 does not.
    func testCropRotationRule() throws {
        let page = try coordinatePage()
        let notTurned = try TextCrop.crop(page, quad: Polygon([(10, 10), (50, 10), (50, 69), (10, 69)]))
        XCTAssertEqual([notTurned.width, notTurned.height], [40, 59])
        let turned = try TextCrop.crop(page, quad: Polygon([(10, 10), (50, 10), (50, 70), (10, 70)]))
        XCTAssertEqual([turned.width, turned.height], [60, 40])
        // np.rot90: the crop's top-right corner (source x 49, y 10) becomes the top-left.
        XCTAssertEqual(turned[0, 0, 0], 49); XCTAssertEqual(turned[0, 0, 1], 10)
        // ... and the source's bottom-left (10, 69) the bottom-right.
        XCTAssertEqual(turned[59, 39, 0], 10); XCTAssertEqual(turned[59, 39, 1], 69)
        XCTAssertTrue(TextCrop.isVertical(width: 40, height: 60))
        XCTAssertFalse(TextCrop.isVertical(width: 40, height: 59))
        // Size from the longer opposite edges, truncated: a quad with a slanted right edge.
        XCTAssertEqual(TextCrop.size(of: [Point(0, 0), Point(30, 0), Point(33, 10.5), Point(0, 10)]).width, 33)
    }

    func testCropRefusesDegenerateQuads() throws {
        let page = try coordinatePage()
        XCTAssertNotNil(assertThrows(InferenceError.self) { try TextCrop.crop(page, quad: Polygon([(5, 5), (5, 5), (5, 5), (5, 5)])) })
        XCTAssertNotNil(assertThrows(InferenceError.self) { try TextCrop.crop(page, quad: Polygon([(5, 5), (9, 5), (9, 9)])) })
    }
}
