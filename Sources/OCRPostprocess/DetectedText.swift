import OCRCore

/// One text region a detector found: its outline in source-image pixels and the mean
/// probability the model gave the pixels inside it (DB's box score).
public struct DetectedText: Sendable, Codable, Equatable {
    /// Four points TL, TR, BR, BL (`box_type` quad) or the unclipped outline (poly).
    public var polygon: Polygon
    /// Mean probability inside the region, 0...1.
    public var score: Double

    public init(polygon: Polygon, score: Double) {
        self.polygon = polygon
        self.score = score
    }

    // "points" as in PaddleOCR's det results and label files.
    enum CodingKeys: String, CodingKey { case polygon = "points", score }
}
