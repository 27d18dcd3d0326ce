import Foundation
import Imaging
import OCRCore
@testable import OCRData

/// Detection pages for tests: a light page with dark filled boxes, and the label line for it.
extension DataFixture {
    /// A `width` x `height` page with the given boxes (x0, y0, x1, y1) filled dark.
    static func detPage(width: Int, height: Int, boxes: [(Int, Int, Int, Int)]) throws -> Image {
        var img = try Image(width: width, height: height, colorOrder: .bgr, repeating: 235)
        for (i, b) in boxes.enumerated() {
            try img.fillPoly([[Point2i(b.0, b.1), Point2i(b.2, b.1), Point2i(b.2, b.3), Point2i(b.0, b.3)]],
                             value: [Double(20 + 10 * i), 40, 60])
        }
        return img
    }

    /// Writes a page under `imgs/` and returns the label line for it (boxes as 4-point regions;
    /// transcriptions `t0`, `t1`, ... or `###` where `dontCare` says so).
    @discardableResult
    func writeDetPage(_ name: String, width: Int = 160, height: Int = 120, boxes: [(Int, Int, Int, Int)],
                      dontCare: Set<Int> = []) throws -> String {
        let rel = "imgs/\(name)"
        try Self.detPage(width: width, height: height, boxes: boxes).encoded(as: .png)
            .write(to: URL(fileURLWithPath: dir + "/" + rel))
        return rel + "\t" + Self.detJSON(boxes, dontCare: dontCare)
    }

    static func detJSON(_ boxes: [(Int, Int, Int, Int)], dontCare: Set<Int> = []) -> String {
        "[" + boxes.enumerated().map { i, b in
            "{\"transcription\": \"\(dontCare.contains(i) ? "###" : "t\(i)")\", \"points\": [[\(b.0), \(b.1)], [\(b.2), \(b.1)], [\(b.2), \(b.3)], [\(b.0), \(b.3)]]}"
        }.joined(separator: ", ") + "]"
    }

    /// `count` good pages in label file `name`, boxes varying with the index.
    @discardableResult
    func goodDetSet(_ name: String, count: Int) throws -> String {
        var lines = [String]()
        for i in 0..<count {
            let dx = (i * 13) % 40
            lines.append(try writeDetPage("\(name)-\(i).png", boxes: [(10 + dx, 10, 70 + dx, 30), (20, 60 + i % 20, 140, 90 + i % 20)],
                                          dontCare: i % 3 == 0 ? [1] : []))
        }
        return try writeLabels(name, lines)
    }
}
