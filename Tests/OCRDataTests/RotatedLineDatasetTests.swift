import Foundation
import Imaging
import XCTest
@testable import OCRData

/// Angle-classifier samples from line datasets: a deterministic fraction turned by 180 degrees
/// and labelled "180", the rest "0".
final class RotatedLineDatasetTests: XCTestCase {
    /// `count` small BGR images whose pixels encode the index, texts "line i".
    struct Lines: LineDataset {
        var count: Int
        func sample(at index: Int, seed: UInt64) throws -> LineSample {
            let pixels = (0..<(5 * 3 * 3)).map { UInt8(truncatingIfNeeded: $0 * 7 + index) }
            return LineSample(image: try Image(width: 5, height: 3, colorOrder: .bgr, pixels: pixels), text: "line \(index)",
                              source: "lines #\(index)", group: "g\(index % 3)")
        }
    }

    /// Pixel (x, y) lands at (w-1-x, h-1-y) with its channels in order, as OpenCV's exact
    /// warp by the point reflection (nearest neighbour) puts it; twice is the identity.
    func testRotated180MovesEveryPixel() throws {
        for order in [ColorOrder.bgr, .gray, .bgra] {
            let (w, h, c) = (7, 4, order.channels)
            let image = try Image(width: w, height: h, colorOrder: order, pixels: (0..<(w * h * c)).map { UInt8($0 % 251) })
            let turned = image.rotated180()
            XCTAssertEqual([turned.width, turned.height], [w, h])
            XCTAssertEqual(turned.colorOrder, order)
            for y in 0..<h { for x in 0..<w { for k in 0..<c { XCTAssertEqual(turned[x, y, k], image[w - 1 - x, h - 1 - y, k]) } } }
            let warped = try image.warpedAffine(matrix: [-1, 0, Double(w - 1), 0, -1, Double(h - 1)], interpolation: .nearest)
            XCTAssertEqual(turned, warped, "\(order)")
            XCTAssertEqual(turned.rotated180(), image)
        }
    }

    /// About half of 2000 samples are turned; the choice is a pure function of (seed, index),
    /// changes with the seed, and each sample's image and label agree with it.
    func testTurnsAFractionDeterministically() throws {
        let base = Lines(count: 2000)
        let data = try RotatedLineDataset(base: base)
        let turned = (0..<base.count).filter { data.isRotated(index: $0, seed: 5) }
        print("rotate_180 0.5: \(turned.count) of \(base.count) samples turned")
        XCTAssertEqual(Double(turned.count), 1000, accuracy: 100)     // binomial sd 22
        XCTAssertEqual((0..<base.count).filter { data.isRotated(index: $0, seed: 5) }, turned)
        let otherSeed = (0..<base.count).filter { data.isRotated(index: $0, seed: 6) != data.isRotated(index: $0, seed: 5) }
        XCTAssertEqual(Double(otherSeed.count), 1000, accuracy: 100, "another epoch's seed turns other samples")
        for i in 0..<20 {
            let s = try data.sample(at: i, seed: 5), original = try base.sample(at: i, seed: 5)
            let rotated = data.isRotated(index: i, seed: 5)
            XCTAssertEqual(s.text, rotated ? "180" : "0")
            XCTAssertEqual(s.image, rotated ? original.image.rotated180() : original.image)
            XCTAssertEqual(s.source, original.source)
            XCTAssertEqual(s.group, original.group)
        }
        XCTAssertEqual(try data.sample(at: 3, seed: 5).image, try data.sample(at: 3, seed: 5).image)
    }

    /// The turn is drawn from a stream of its own: it agrees with the first draw of the base's
    /// `SplitMix64(seed:, index)` (what a synthetic dataset picks its text and font from) only by chance.
    func testChoiceIsIndependentOfTheBaseStream() throws {
        let data = try RotatedLineDataset(base: Lines(count: 2000))
        let agree = (0..<2000).filter { i in
            var base = SplitMix64(seed: 9, UInt64(i))
            return (base.next() >> 63 == 1) == data.isRotated(index: i, seed: 9)
        }
        XCTAssertEqual(Double(agree.count), 1000, accuracy: 100)
    }

    func testFractionsAndLabels() throws {
        let none = try RotatedLineDataset(base: Lines(count: 50), rotatedFraction: 0)
        let all = try RotatedLineDataset(base: Lines(count: 50), rotatedFraction: 1, uprightLabel: "up", rotatedLabel: "down")
        XCTAssertEqual(Set(try (0..<50).map { try none.sample(at: $0, seed: 1).text }), ["0"])
        XCTAssertEqual(Set(try (0..<50).map { try all.sample(at: $0, seed: 1).text }), ["down"])
        XCTAssertThrowsError(try RotatedLineDataset(base: Lines(count: 1), rotatedFraction: 1.5)) {
            XCTAssertTrue("\($0)".contains("0...1"), "\($0)")
        }
        XCTAssertThrowsError(try RotatedLineDataset(base: Lines(count: 1), uprightLabel: "0", rotatedLabel: "0"))
    }

    /// Recognition label files become cls data: texts replaced by labels, sources still name the line.
    func testWrapsALabelFileDataset() throws {
        let f = try DataFixture()
        let file = try f.goodSet("train.txt", count: 6)
        let lines = try LabelFileDataset(.init(dataDir: f.dir, labelFiles: [file]))
        let data = try RotatedLineDataset(base: lines)
        for i in 0..<6 {
            let s = try data.sample(at: i, seed: 2)
            XCTAssertEqual(s.text, data.isRotated(index: i, seed: 2) ? "180" : "0")
            XCTAssertTrue(s.source.hasPrefix(file + ":"), s.source)
        }
        XCTAssertEqual(data.report.files.map(\.usable), [6])
    }
}
