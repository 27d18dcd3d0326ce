/// A batch ready for a recogniser: images resized to the model height, padded to a common width,
/// normalised as PaddleOCR does ((x / 255 - 0.5) / 0.5), laid out B x 3 x H x W in the images'
/// BGR channel order (as PaddleOCR feeds its models), plus the encoded labels.
public struct LineBatch: Sendable {
    /// B x C x H x W, row-major.
    public var pixels: [Float]
    public var batch: Int, channels: Int, height: Int, width: Int
    /// Charset classes of each text (no blanks), for CTC targets.
    public var labels: [[Int]]
    public var texts: [String]
    public var sources: [String]
    public var groups: [String]
    /// Each image's width after resizing, before padding (what PaddleOCR calls valid_ratio * W).
    public var validWidths: [Int]

    public init(pixels: [Float], batch: Int, channels: Int, height: Int, width: Int, labels: [[Int]], texts: [String],
                sources: [String], groups: [String], validWidths: [Int]) {
        self.pixels = pixels
        self.batch = batch
        self.channels = channels
        self.height = height
        self.width = width
        self.labels = labels
        self.texts = texts
        self.sources = sources
        self.groups = groups
        self.validWidths = validWidths
    }

    public var shape: [Int] { [batch, channels, height, width] }
}
