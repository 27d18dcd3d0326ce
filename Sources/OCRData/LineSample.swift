import Imaging

/// One text-line image with its label, before model preprocessing. Every dataset (label files,
/// packed HDF5, synthetic lines) produces these; the loader turns them into batches.
public struct LineSample: Sendable {
    /// The line image, BGR uint8 as decoded (PaddleOCR's colour order).
    public var image: Image
    /// The ground-truth text.
    public var text: String
    /// Where it came from, for messages: `train.txt:12 (imgs/0001.png)` or `font DejaVuSans.ttf #345`.
    public var source: String
    /// The breakdown key for metrics: the label file or sub-folder, or the font's name.
    public var group: String

    public init(image: Image, text: String, source: String, group: String) {
        self.image = image
        self.text = text
        self.source = source
        self.group = group
    }
}

/// A source of line samples with random access, so a loader can shuffle and split work across
/// threads deterministically. Implementations must be safe to call from several threads at once.
public protocol LineDataset: Sendable {
    /// Number of samples in one epoch.
    var count: Int { get }
    /// The sample at `index` (0..<count). `seed` makes any randomness in producing it (synthetic
    /// rendering) a pure function of (seed, index). Throws an error naming the file/line on bad data.
    func sample(at index: Int, seed: UInt64) throws -> LineSample
    /// Sample `index`'s text length, known without loading it (`length_bucket_window`); nil when
    /// the dataset cannot tell cheaply (the default).
    func textLength(at index: Int, seed: UInt64) -> Int?
}

extension LineDataset {
    public func textLength(at index: Int, seed: UInt64) -> Int? { nil }
}
