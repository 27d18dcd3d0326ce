import Imaging

/// Angle-classifier samples made from any line dataset (label files, packed lines, synthetic
/// lines): a fraction of the samples is turned by 180 degrees and labelled "180", the others keep
/// their orientation and are labelled "0" (PaddleOCR's cls `label_list` ['0', '180']). The base
/// samples are taken to be upright text lines; their text is replaced by the label, their
/// `source` and `group` are kept (per-font or per-file accuracy still works).
///
/// Whether sample i is turned is a pure function of (seed, i), drawn from its own stream so it
/// is independent of the base dataset's choices for the same (seed, i) (a synthetic line's font
/// and text); a new seed per epoch turns other samples.
public struct RotatedLineDataset: LineDataset {
    public let base: any LineDataset
    /// The fraction of samples turned (`rotate_180` in a config), 0...1.
    public let rotatedFraction: Double
    /// The labels of upright and turned samples.
    public let uprightLabel: String, rotatedLabel: String

    public init(base: any LineDataset, rotatedFraction: Double = 0.5, uprightLabel: String = "0",
                rotatedLabel: String = "180") throws {
        guard (0...1).contains(rotatedFraction) else {
            throw DataError("rotate_180: the fraction of turned lines must be in 0...1, got \(rotatedFraction)")
        }
        guard uprightLabel != rotatedLabel else { throw DataError("rotate_180: the two labels must differ, got '\(uprightLabel)' twice") }
        self.base = base
        self.rotatedFraction = rotatedFraction
        self.uprightLabel = uprightLabel
        self.rotatedLabel = rotatedLabel
    }

    public var count: Int { base.count }

    /// Whether sample `index` of the epoch with `seed` is turned by 180 degrees.
    public func isRotated(index: Int, seed: UInt64) -> Bool {
        // The extra part (0x180) separates this stream from the base's SplitMix64(seed: seed, index).
        var rng = SplitMix64(seed: seed, UInt64(index), 0x180)
        return Double(rng.next() >> 11) * 0x1p-53 < rotatedFraction       // uniform in [0, 1), 53 bits
    }

    public func sample(at index: Int, seed: UInt64) throws -> LineSample {
        var s = try base.sample(at: index, seed: seed)
        let turned = isRotated(index: index, seed: seed)
        if turned { s.image = s.image.rotated180() }
        s.text = turned ? rotatedLabel : uprightLabel
        return s
    }
}

extension RotatedLineDataset: DataReporting {
    /// The base dataset's report (what it left out); empty when it keeps none.
    public var report: DataReport { (base as? any DataReporting)?.report ?? DataReport() }
}
