import Imaging
import OCRCore
import XCTest
@testable import OCRData

final class RecAugmentTests: XCTestCase {
    private let image = try! DataFixture.lineImage(width: 160, height: 32, seed: 5)

    private func only(_ set: (inout RecAugment) -> Void) -> RecAugment {
        var a = RecAugment.none
        set(&a)
        return a
    }

    private func differingBytes(_ a: Image, _ b: Image) -> Int {
        guard a.width == b.width, a.height == b.height else { return Int.max }
        return zip(a.pixels, b.pixels).filter { $0 != $1 }.count
    }

    func testSameGeneratorStateGivesTheSameImage() throws {
        var all = RecAugment()
        (all.tiaProb, all.cropProb, all.blurProb, all.hsvAugProb, all.jitterProb, all.noiseProb, all.reverseProb) = (1, 1, 1, 1, 1, 1, 0.5)
        var r1 = SplitMix64(seed: 42, 3, 17), r2 = SplitMix64(seed: 42, 3, 17), r3 = SplitMix64(seed: 43, 3, 17)
        let a = try all(image, rng: &r1)
        let b = try all(image, rng: &r2)
        let c = try all(image, rng: &r3)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a.pixels, c.pixels)
        XCTAssertEqual(r1.next(), r2.next(), "the same number of draws")
        XCTAssertEqual(a.width, image.width)
    }

    func testNoneLeavesTheImageAlone() throws {
        var rng = SplitMix64(seed: 1)
        XCTAssertEqual(try RecAugment.none(image, rng: &rng), image)
    }

    func testEachOperationChangesPixels() throws {
        let ops: [(String, RecAugment)] = [
            ("tia", only { $0.tiaProb = 1 }), ("blur", only { $0.blurProb = 1 }), ("hsv", only { $0.hsvAugProb = 1 }),
            ("jitter", only { $0.jitterProb = 1 }), ("noise", only { $0.noiseProb = 1; $0.noiseSigma = 20 }),
            ("reverse", only { $0.reverseProb = 1 }),
        ]
        for (name, aug) in ops {
            // A few seeds, since an operation may draw a near-identity (zero noise sigma, ...).
            let changed = try (0..<4).map { s -> Int in
                var rng = SplitMix64(seed: UInt64(s))
                let out = try aug(image, rng: &rng)
                XCTAssertEqual(out.width, image.width, name)
                XCTAssertEqual(out.height, image.height, name)
                return differingBytes(out, image)
            }.max()!
            XCTAssertGreaterThan(changed, image.pixels.count / 50, "\(name) changed only \(changed) bytes")
        }
        var rng = SplitMix64(seed: 0)
        let reversed = try only { $0.reverseProb = 1 }(image, rng: &rng)
        XCTAssertEqual(reversed[3, 4, 1], 255 - image[3, 4, 1])
    }

    func testCropRemovesOneToEightRowsAtTopOrBottom() throws {
        let crop = only { $0.cropProb = 1 }
        var tops = 0, bottoms = 0
        for s in 0..<40 {
            var rng = SplitMix64(seed: UInt64(s))
            let out = try crop(image, rng: &rng)
            let cut = image.height - out.height
            XCTAssertTrue((1...8).contains(cut), "cut \(cut)")
            let rowBytes = image.width * 3
            if Array(out.pixels) == Array(image.pixels[(cut * rowBytes)...]) { tops += 1 }
            else if Array(out.pixels) == Array(image.pixels[..<(out.height * rowBytes)]) { bottoms += 1 }
            else { XCTFail("seed \(s): neither a top nor a bottom crop") }
        }
        XCTAssertGreaterThan(tops, 5)
        XCTAssertGreaterThan(bottoms, 5)
        // Images under 20 pixels high are not cropped (PaddleOCR's guard).
        var rng = SplitMix64(seed: 1)
        let small = try DataFixture.lineImage(width: 100, height: 16)
        XCTAssertEqual(try crop(small, rng: &rng).height, 16)
    }

    func testPiecewiseWarpWithUnmovedControlPointsIsTheIdentity() throws {
        let (w, h) = (Float(image.width), Float(image.height))
        let columns = [0.0, 40, 80, 120, 160]
        let top = columns.map { Point2f(Float($0), 0) }
        let bottom = columns.map { Point2f(Float($0), h) }
        XCTAssertEqual(w, 160)
        let out = try RecAugment().piecewiseWarp(image, columns: columns, top: top, bottom: bottom)
        XCTAssertEqual(out, image)
    }

    func testStretchMovesColumnsButKeepsRowsAndEdges() throws {
        var rng = SplitMix64(seed: 9)
        let out = try RecAugment().tiaStretch(image, segments: 4, rng: &rng)
        XCTAssertGreaterThan(differingBytes(out, image), 100)
        // Columns 0 and W stay put: the first and last pixel columns are unchanged.
        for y in 0..<image.height {
            XCTAssertEqual(out[0, y, 0], image[0, y, 0])
        }
    }

    func testSmallImagesSurvive() throws {
        var all = RecAugment()
        (all.tiaProb, all.cropProb, all.blurProb, all.hsvAugProb, all.jitterProb, all.noiseProb) = (1, 1, 1, 1, 1, 1)
        for (w, h) in [(1, 1), (3, 2), (19, 19), (20, 20), (400, 8)] {
            var rng = SplitMix64(seed: 3)
            let img = try Image(width: w, height: h, colorOrder: .bgr, repeating: 128)
            let out = try all(img, rng: &rng)
            XCTAssertEqual(out.width, w)
            XCTAssertGreaterThan(out.height, 0)
        }
    }

    /// Regression: a strip homography solved in image coordinates has h33 = 0 when the image
    /// origin lies on its vanishing line (56 x 24, seed 522 hit it); every size must warp.
    func testTIAWarpsEveryLineSize() throws {
        var tia = RecAugment.none
        tia.tiaProb = 1
        var sizes = SplitMix64(seed: 77)
        for s in 0..<400 {
            let (w, h) = (20 + sizes.nextInt(below: 400), 20 + sizes.nextInt(below: 60))
            let img = try Image(width: w, height: h, colorOrder: .bgr, repeating: 90)
            var rng = SplitMix64(seed: UInt64(s))
            let out = try tia(img, rng: &rng)
            XCTAssertEqual(out.width, w)
        }
        var rng = SplitMix64(seed: 522)
        XCTAssertNoThrow(try tia(try Image(width: 56, height: 24, colorOrder: .bgr, repeating: 100), rng: &rng))
    }

    func testOptionsDecodeFromConfigWithPaddleOCRKeys() throws {
        let tree = try ConfigTree(yaml: """
            A: {tia_prob: 0.2, reverse_prob: 0.4, noise_sigma: 4, tia_segments: [2, 4]}
            B: {tia_prob: 0.2, revrse_prob: 0.4}
            C: {blur_prob: 1.5}
            """)
        let a = try tree.decode(RecAugment.self, at: "A")
        XCTAssertEqual(a.tiaProb, 0.2)
        XCTAssertEqual(a.reverseProb, 0.4)
        XCTAssertEqual(a.noiseSigma, 4)
        XCTAssertEqual(a.tiaSegments, [2, 4])
        XCTAssertEqual(a.cropProb, 0.4, "defaults as PaddleOCR")
        XCTAssertThrowsError(try tree.decode(RecAugment.self, at: "B")) { error in
            XCTAssertTrue("\(error)".contains("revrse_prob"), "\(error)")
        }
        XCTAssertThrowsError(try tree.decode(RecAugment.self, at: "C")) { error in
            XCTAssertTrue("\(error)".contains("blur_prob"), "\(error)")
        }
    }
}
