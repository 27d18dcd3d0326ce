import Imaging
import OCRCore

/// One detection sample before augmentation: a page and its annotated regions (don't-care ones,
/// transcription `###`, included; see `TextRegion.isDontCare`).
public struct DetectionSample: Sendable {
    /// The page, 8-bit BGR (`ColorOrder.bgr`), as decoded or rendered.
    public var image: Image
    public var regions: [TextRegion]
    /// Where it came from, for messages and reports: `file:line` of a label, or `synthetic page N`.
    public var source: String
    /// What evaluation breaks its figures down by: the layout of a rendered page (document,
    /// receipt, ...), the label file of a labelled one; nil when the source has no groups.
    public var group: String?

    public init(image: Image, regions: [TextRegion], source: String, group: String? = nil) {
        self.image = image
        self.regions = regions
        self.source = source
        self.group = group
    }
}

/// Where detection samples come from: PaddleOCR det label files, packed `.h5`, or pages
/// rendered from font files (`SyntheticPages`). The detection loader's assembler reads any of
/// them; augmentation and label making (shrink and threshold maps) come after.
public protocol DetectionSource: Sendable {
    /// Samples in one epoch.
    var count: Int { get }
    /// Sample `index`. `datasetSeed` makes rendered sources a pure function of (seed, index).
    /// Returns nil when the source leaves the sample out (policy `exclude`); throws a
    /// `SampleFailure` naming the sample when it cannot be read.
    func sample(at index: Int, datasetSeed: UInt64) throws -> DetectionSample?
}
