import OCRCore

/// DB post-processing settings, decoded from a config's `PostProcess` section under PaddleOCR's
/// keys (`thresh`, `box_thresh`, `max_candidates`, `unclip_ratio`, `score_mode`, `box_type`,
/// `use_dilation`; plus `min_size`, fixed at 3 in PaddleOCR). Defaults are PP-OCRv4's det config.
/// Values that cannot work are errors naming the key. A `name` key, as PaddleOCR's section has,
/// is read and must be `DBPostProcess`, so the whole section decodes as this type.
public struct DBPostProcessOptions: Sendable, Decodable, Equatable {
    /// How a candidate's score is measured.
    public enum ScoreMode: String, Sendable, CaseIterable, Decodable {
        /// Mean probability inside the min-area box (PaddleOCR's default; cheap).
        case fast
        /// Mean probability inside the contour itself (tighter for curved text).
        case slow
    }

    /// The shape of each result.
    public enum BoxType: String, Sendable, CaseIterable, Decodable {
        /// Four points, the min-area rectangle of the unclipped region.
        case quad
        /// The unclipped polygon (curved text).
        case poly
    }

    /// Probability above which a pixel is text (binarisation).
    public var thresh = 0.3
    /// Minimum score a region needs to be kept.
    public var boxThresh = 0.6
    /// Contours looked at per map, in OpenCV's order (the rest are ignored).
    public var maxCandidates = 1000
    /// How far the shrunk text kernel is grown back: distance = area * ratio / perimeter.
    public var unclipRatio = 1.5
    public var scoreMode = ScoreMode.fast
    public var boxType = BoxType.quad
    /// Dilate the binary map with a 2x2 kernel first (joins broken strokes).
    public var useDilation = false
    /// Shortest side (map pixels) a candidate box needs; the unclipped box needs `minSize + 2`.
    public var minSize = 3.0

    public init(thresh: Double = 0.3, boxThresh: Double = 0.6, maxCandidates: Int = 1000, unclipRatio: Double = 1.5,
                scoreMode: ScoreMode = .fast, boxType: BoxType = .quad, useDilation: Bool = false, minSize: Double = 3) {
        self.thresh = thresh
        self.boxThresh = boxThresh
        self.maxCandidates = maxCandidates
        self.unclipRatio = unclipRatio
        self.scoreMode = scoreMode
        self.boxType = boxType
        self.useDilation = useDilation
        self.minSize = minSize
    }

    enum CodingKeys: String, CodingKey {
        case thresh, boxThresh = "box_thresh", maxCandidates = "max_candidates", unclipRatio = "unclip_ratio"
        case scoreMode = "score_mode", boxType = "box_type", useDilation = "use_dilation", minSize = "min_size"
        case name
    }

    /// The `PostProcess.name` this section belongs to.
    public static let name = "DBPostProcess"

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let prefix = decoder.codingPath.map(\.stringValue).map { $0 + "." }.joined()
        if let name = try c.decodeIfPresent(String.self, forKey: .name), name != Self.name {
            throw ConfigError(.invalidValue, path: prefix + "name", "\(prefix)name '\(name)' is not \(Self.name)")
        }
        func choice<T: RawRepresentable<String> & CaseIterable>(_ key: CodingKeys, _ fallback: T) throws -> T {
            guard let raw = try c.decodeIfPresent(String.self, forKey: key) else { return fallback }
            guard let v = T(rawValue: raw) else {
                throw ConfigError(.invalidValue, path: prefix + key.rawValue,
                                  "\(prefix + key.rawValue) '\(raw)' is not one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return v
        }
        self.init(thresh: try c.decodeIfPresent(Double.self, forKey: .thresh) ?? 0.3,
                  boxThresh: try c.decodeIfPresent(Double.self, forKey: .boxThresh) ?? 0.6,
                  maxCandidates: try c.decodeIfPresent(Int.self, forKey: .maxCandidates) ?? 1000,
                  unclipRatio: try c.decodeIfPresent(Double.self, forKey: .unclipRatio) ?? 1.5,
                  scoreMode: try choice(.scoreMode, ScoreMode.fast),
                  boxType: try choice(.boxType, BoxType.quad),
                  useDilation: try c.decodeIfPresent(Bool.self, forKey: .useDilation) ?? false,
                  minSize: try c.decodeIfPresent(Double.self, forKey: .minSize) ?? 3)
        if let (key, problem) = problem {
            throw ConfigError(.invalidValue, path: prefix + key, "\(prefix + key) \(problem)")
        }
    }

    /// The first setting that cannot work, as (key, what is wrong); nil when all can.
    public var problem: (key: String, message: String)? {
        if !(0...1).contains(thresh) { return ("thresh", "must be in [0, 1], got \(thresh)") }
        if !(0...1).contains(boxThresh) { return ("box_thresh", "must be in [0, 1], got \(boxThresh)") }
        if maxCandidates < 1 { return ("max_candidates", "must be at least 1, got \(maxCandidates)") }
        if !(unclipRatio > 0 && unclipRatio.isFinite) { return ("unclip_ratio", "must be > 0, got \(unclipRatio)") }
        if !(minSize >= 0 && minSize.isFinite) { return ("min_size", "must be >= 0, got \(minSize)") }
        return nil
    }
}
