import Foundation
import Imaging
import OCRCore
import OCRInference

/// Pages with known texts that a model set must read before it serves (at start-up and before a
/// reload switches to it): a PaddleOCR detection label file, read with OCRCore's
/// `DetectionLabelReader`, its image paths relative to the file. A line counts as read when some
/// line of the page has exactly its text, spaces ignored (PP-OCRv4, a Chinese model, drops some
/// spaces between Latin words).
public struct HealthSample: Sendable {
    public struct Page: Sendable {
        public var path: String
        public var image: Image
        /// The transcriptions, don't-care regions left out.
        public var expected: [String]
    }

    /// What a model set read of the sample.
    public struct Report: Sendable, Codable, Equatable {
        public var passed: Bool
        /// Expected lines read exactly / expected lines.
        public var accuracy: Double
        public var required: Double
        public var lines: Int
        public var read: Int
        /// Up to 5 expected texts that were not read.
        public var missing: [String]
        public var seconds: Double
    }

    public let file: String
    public let pages: [Page]
    public let minAccuracy: Double

    /// Reads the label file and decodes its images; any problem is an error naming file:line or the image.
    public init(file: String, minAccuracy: Double) throws {
        let labels = try DetectionLabelReader(policy: .fail).read(file: file)
        let folder = (file as NSString).deletingLastPathComponent
        pages = try labels.records.map { label in
            let path = label.imagePath.hasPrefix("/") ? label.imagePath : (folder as NSString).appendingPathComponent(label.imagePath)
            let expected = label.regions.filter { !$0.isDontCare }.map(\.transcription)
            return Page(path: path, image: try PageImage.read(path), expected: expected)
        }
        guard pages.contains(where: { !$0.expected.isEmpty }) else {
            throw InferenceError(.invalidInput, "\(file): the health sample has no lines to read")
        }
        self.file = file
        self.minAccuracy = minAccuracy
    }

    /// Reads every page with `reader` and scores it.
    public func check(_ reader: PageReader) throws -> Report {
        let start = Date()
        var lines = 0, read = 0
        var missing = [String]()
        for page in pages {
            let got = Set(try reader.read(page.image).lines.map { Self.withoutSpaces($0.text) })
            for text in page.expected {
                lines += 1
                if got.contains(Self.withoutSpaces(text)) { read += 1 } else if missing.count < 5 { missing.append(text) }
            }
        }
        let accuracy = Double(read) / Double(max(lines, 1))
        return Report(passed: accuracy >= minAccuracy, accuracy: accuracy, required: minAccuracy, lines: lines, read: read,
                      missing: missing, seconds: Date().timeIntervalSince(start))
    }

    static func withoutSpaces(_ s: String) -> String { s.filter { !$0.isWhitespace } }
}
