import Foundation
import Imaging
import OCRCore
import XCTest
@testable import OCRData

/// Small generated line images and label files in a temporary folder.
final class DataFixture {
    let dir: String

    init(_ name: String = #function) throws {
        dir = NSTemporaryDirectory() + "ocrdata-\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir + "/imgs", withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    /// A text-line-like image: light background, a few dark "glyph" quads whose shapes depend on
    /// `seed`, a coloured stripe so channels differ.
    static func lineImage(width: Int = 120, height: Int = 32, seed: UInt64 = 1) throws -> Image {
        var img = try Image(width: width, height: height, colorOrder: .bgr, repeating: 230)
        var rng = SplitMix64(seed: seed)
        var x = 2
        while x < width - 8 {
            let w = 3 + rng.nextInt(below: 6)
            let top = 2 + rng.nextInt(below: max(1, height / 4))
            let bottom = height - 2 - rng.nextInt(below: max(1, height / 4))
            let slant = rng.nextInt(below: 5) - 2
            try img.fillPoly([[Point2i(x + slant, top), Point2i(x + w + slant, top), Point2i(x + w, bottom), Point2i(x, bottom)]],
                             value: [Double(20 + rng.nextInt(below: 60)), 30, Double(40 + rng.nextInt(below: 80))])
            x += w + 2 + rng.nextInt(below: 4)
        }
        try img.fillPoly([[Point2i(0, height - 3), Point2i(width - 1, height - 3), Point2i(width - 1, height - 1),
                           Point2i(0, height - 1)]], value: [200, 120, 40])
        return img
    }

    /// Writes a PNG under `imgs/` and returns its relative path.
    @discardableResult
    func writeImage(_ name: String, width: Int = 120, height: Int = 32, seed: UInt64 = 1) throws -> String {
        let rel = "imgs/\(name)"
        let data = try Self.lineImage(width: width, height: height, seed: seed).encoded(as: .png)
        try data.write(to: URL(fileURLWithPath: dir + "/" + rel))
        return rel
    }

    /// Writes raw bytes as an "image" (for corrupt-image cases).
    @discardableResult
    func writeBytes(_ name: String, _ bytes: [UInt8]) throws -> String {
        let rel = "imgs/\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + rel))
        return rel
    }

    /// Writes a label file and returns its path.
    @discardableResult
    func writeLabels(_ name: String, _ lines: [String]) throws -> String {
        let path = dir + "/" + name
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `count` good images with texts "w0", "w1", ... in label file `name`.
    @discardableResult
    func goodSet(_ name: String, count: Int, prefix: String = "w", width: Int = 120, seedBase: UInt64 = 0) throws -> String {
        var lines = [String]()
        for i in 0..<count {
            let rel = try writeImage("\(name)-\(i).png", width: width + (i * 7) % 60, seed: seedBase + UInt64(i))
            lines.append("\(rel)\t\(prefix)\(i)")
        }
        return try writeLabels(name, lines)
    }
}

let digitsCharset = try! Charset(characters: "abcdefghijklmnopqrstuvwxyz0123456789")
