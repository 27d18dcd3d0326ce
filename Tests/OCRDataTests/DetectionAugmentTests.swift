import Imaging
import OCRCore
import XCTest
@testable import OCRData

/// Augmentation and crop: polygons move with the ink, and the crop never cuts cared-for text.
final class DetectionAugmentTests: XCTestCase {
    /// A white page with a red filled rectangle (BGR 0, 0, 255) - red, so the black of rotated
    /// corners and padding is never mistaken for ink.
    private func page(width: Int = 200, height: Int = 120, box: [Point2i]) throws -> Image {
        var img = try Image(width: width, height: height, colorOrder: .bgr, repeating: 255)
        try img.fillPoly([box], value: [0, 0, 255])
        return img
    }

    private func isInk(_ img: Image, _ x: Int, _ y: Int) -> Bool {
        img[x, y, 2] > 128 && img[x, y, 1] < 128
    }

    func testFlipRotateScaleAndCropKeepThePolygonOnTheInk() throws {
        let box = [Point2i(60, 40), Point2i(140, 40), Point2i(140, 80), Point2i(60, 80)]
        let img = try page(box: box)
        let region = TextRegion(transcription: "ink", polygon: Polygon(box.map { Point(Double($0.x), Double($0.y)) }))
        let transform = DetTrainTransform(augment: DetAugment(), crop: DetRandomCrop(width: 160, height: 160))
        var flips = 0
        for seed in 0..<24 as Range<UInt64> {
            var rng = SplitMix64(seed: seed)
            let (out, regions) = try transform(img, regions: [region], rng: &rng)
            XCTAssertEqual([out.width, out.height], [160, 160])
            XCTAssertEqual(regions.count, 1, "seed \(seed): the only region is never cropped away")
            let moved = try XCTUnwrap(regions.first).polygon
            if moved.points[0].x > moved.points[1].x { flips += 1 }
            let inner = try XCTUnwrap(moved.offset(by: -2, scale: 100).first)
            let outer = try XCTUnwrap(moved.offset(by: 2, scale: 100).first)
            var (inside, inkInside, inkOutside) = (0, 0, 0)
            let box = try XCTUnwrap(inner.boundingBox)
            for y in 0..<out.height {
                for x in 0..<out.width {
                    let p = Point(Double(x), Double(y))
                    let ink = isInk(out, x, y)
                    let near = Double(x) >= box.minX && Double(x) <= box.maxX && Double(y) >= box.minY && Double(y) <= box.maxY
                    if near, inner.contains(p) {
                        inside += 1
                        if ink { inkInside += 1 }
                    } else if ink, !outer.contains(p) {
                        inkOutside += 1
                    }
                }
            }
            XCTAssertGreaterThan(inside, 50, "seed \(seed)")
            XCTAssertEqual(inkInside, inside, "seed \(seed): every pixel well inside the polygon is ink")
            XCTAssertEqual(inkOutside, 0, "seed \(seed): no ink well outside the polygon")
        }
        XCTAssertTrue((4...20).contains(flips), "about half the pages are mirrored: \(flips) of 24")
    }

    func testFlipAloneMirrorsPixelsAndPolygonsTogether() throws {
        let box = [Point2i(10, 20), Point2i(50, 20), Point2i(50, 40), Point2i(10, 40)]
        let img = try page(width: 100, height: 60, box: box)
        let t = DetTrainTransform(augment: DetAugment(flipProbability: 1, rotate: nil, scale: nil),
                                  crop: DetRandomCrop(width: 100, height: 60, maxTries: 0))
        var rng = SplitMix64(seed: 1)
        let region = TextRegion(transcription: "a", polygon: Polygon([(10, 20), (50, 20), (50, 40), (10, 40)]))
        let (out, regions) = try t(img, regions: [region], rng: &rng)
        XCTAssertEqual(regions[0].polygon.points.map(\.x), [89, 49, 49, 89], "x -> 99 - x")
        XCTAssertTrue(isInk(out, 89, 30) && isInk(out, 49, 30) && !isInk(out, 48, 30) && !isInk(out, 90, 30))
        XCTAssertTrue(isInk(img, 10, 30) && !isInk(img, 9, 30))
    }

    /// Many random pages of boxes: every cared-for box is wholly inside or wholly outside the
    /// window; don't-care boxes do not constrain it.
    func testCropNeverCutsCaredForText() throws {
        let crop = DetRandomCrop(width: 640, height: 640, maxTries: 50)
        var cropped = 0
        for seed in 0..<200 as Range<UInt64> {
            var g = SplitMix64(seed: seed, 7)
            let (w, h) = (300 + g.nextInt(below: 400), 200 + g.nextInt(below: 400))
            var polys = [Polygon]()
            for _ in 0..<(1 + g.nextInt(below: 6)) {
                let x = g.nextDouble(in: 20, Double(w - 80)), y = g.nextDouble(in: 20, Double(h - 50))  // turned boxes stay on the page
                let bw = g.nextDouble(in: 8, 60), bh = g.nextDouble(in: 8, 30)
                let a = g.nextDouble(in: -0.3, 0.3)  // slightly turned quads
                let c = Point(x + bw / 2, y + bh / 2)
                polys.append(Polygon([(-bw / 2, -bh / 2), (bw / 2, -bh / 2), (bw / 2, bh / 2), (-bw / 2, bh / 2)].map { p in
                    Point(c.x + p.0 * cos(a) - p.1 * sin(a), c.y + p.0 * sin(a) + p.1 * cos(a))
                }))
            }
            var rng = SplitMix64(seed: seed)
            let win = crop.window(pageWidth: w, pageHeight: h, polygons: polys, rng: &rng)
            if win.width < w || win.height < h { cropped += 1 }
            XCTAssertTrue(win.x >= 0 && win.y >= 0 && win.x + win.width <= w && win.y + win.height <= h)
            let (x0, y0, x1, y1) = (Double(win.x), Double(win.y), Double(win.x + win.width), Double(win.y + win.height))
            var anyInside = false
            for p in polys {
                let b = try XCTUnwrap(p.boundingBox)
                let inside = b.minX >= x0 && b.maxX <= x1 && b.minY >= y0 && b.maxY <= y1
                XCTAssertTrue(inside || DetRandomCrop.isOutside(p, win), "seed \(seed): \(p) cut by \(win)")
                anyInside = anyInside || inside
            }
            XCTAssertTrue(anyInside, "seed \(seed): a window holds some text")
        }
        XCTAssertGreaterThan(cropped, 100, "most pages are actually cropped")
    }

    /// keep_ratio: the window is scaled to fit and the rest is zeros.
    func testKeepRatioPadsWithZeros() throws {
        let img = try Image(width: 200, height: 100, colorOrder: .bgr, repeating: 200)
        let t = DetTrainTransform(augment: nil, crop: DetRandomCrop(width: 64, height: 64, maxTries: 0))
        var rng = SplitMix64(seed: 3)
        let (out, _) = try t(img, regions: [], rng: &rng)
        XCTAssertEqual(out[10, 10], 200)
        XCTAssertEqual(out[63, 31], 200)
        XCTAssertEqual(out[10, 32], 0, "200x100 scaled to 64x32: rows 32... are padding")
        XCTAssertEqual(out[63, 63], 0)
    }
}

#if canImport(Glibc)
import Glibc
#endif
