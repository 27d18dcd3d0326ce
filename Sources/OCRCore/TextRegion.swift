/// One annotated text region of a detection label: a polygon and its transcription.
public struct TextRegion: Hashable, Sendable, Codable {
    /// The text; "###" (or "*") marks a don't-care region, as in PaddleOCR.
    public var transcription: String
    public var polygon: Polygon

    public init(transcription: String, polygon: Polygon) {
        self.transcription = transcription
        self.polygon = polygon
    }

    /// Transcriptions PaddleOCR's `DetLabelEncode` treats as "ignore": unreadable text that
    /// neither counts as a miss nor makes a detection on it a false positive.
    public static let dontCareTranscriptions: Set<String> = ["###", "*"]

    public var isDontCare: Bool { Self.dontCareTranscriptions.contains(transcription) }

    // Same keys as PaddleOCR's label JSON.
    enum CodingKeys: String, CodingKey { case transcription, polygon = "points" }
}
