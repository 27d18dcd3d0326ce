/// Detection precision / recall / hmean, following PaddleOCR's `DetMetric`
/// (`DetectionIoUEvaluator`, ICDAR 2015 protocol):
///
/// - Invalid polygons (see `Polygon.isValid`) are dropped from both sides first.
/// - A prediction whose area lies mostly (> `dontCareAreaThreshold`) inside a don't-care ground
///   truth region is itself don't-care.
/// - Matching is greedy, ground truth in order then prediction in order: the first unmatched
///   pair with IoU strictly above `iouThreshold` is matched (PaddleOCR uses `>` 0.5, not >=).
///   Don't-care regions never match.
/// - Totals are summed over images before dividing (micro average), as `combine_results` does.
public struct DetectionMetrics: Sendable {
    /// IoU a match must exceed.
    public let iouThreshold: Double
    /// Share of a prediction's area inside a don't-care region above which it is ignored.
    public let dontCareAreaThreshold: Double

    /// Counts for one image.
    public struct ImageResult: Sendable, Equatable, Codable {
        /// Ground-truth regions that count (valid and not don't-care).
        public var groundTruthCare = 0
        /// Predictions that count (valid and not inside a don't-care region).
        public var detectionCare = 0
        /// One-to-one matches.
        public var matched = 0
        /// (ground truth index, prediction index) of each match, indices into the inputs.
        public var pairs: [Pair] = []
        /// Ground truth that counts but matched nothing (indices into the input): the misses.
        public var missedGroundTruth: [Int] = []
        /// Predictions that count but matched nothing (indices into the input): the false detections.
        public var falseDetections: [Int] = []

        public struct Pair: Sendable, Equatable, Codable {
            public var groundTruth: Int
            public var prediction: Int
            public var iou: Double
        }

        /// PaddleOCR's per-image convention: with no ground truth, recall is 1 and precision is
        /// 1 only if nothing was detected.
        public var precision: Double {
            groundTruthCare == 0 ? (detectionCare > 0 ? 0 : 1) : (detectionCare == 0 ? 0 : Double(matched) / Double(detectionCare))
        }
        public var recall: Double { groundTruthCare == 0 ? 1 : Double(matched) / Double(groundTruthCare) }
        public var hmean: Double { harmonic(precision, recall) }
    }

    public private(set) var groundTruthCare = 0
    public private(set) var detectionCare = 0
    public private(set) var matched = 0
    public private(set) var images = 0

    public init(iouThreshold: Double = 0.5, dontCareAreaThreshold: Double = 0.5) {
        self.iouThreshold = iouThreshold
        self.dontCareAreaThreshold = dontCareAreaThreshold
    }

    /// matched / care predictions over all images; 0 when there are none.
    public var precision: Double { detectionCare == 0 ? 0 : Double(matched) / Double(detectionCare) }
    /// matched / care ground truth over all images; 0 when there is none.
    public var recall: Double { groundTruthCare == 0 ? 0 : Double(matched) / Double(groundTruthCare) }
    /// Harmonic mean of precision and recall (PaddleOCR's main detection indicator).
    public var hmean: Double { harmonic(precision, recall) }

    /// Scores one image and adds it to the totals.
    @discardableResult
    public mutating func add(predictions: [Polygon], groundTruth: [TextRegion]) -> ImageResult {
        let r = evaluate(predictions: predictions, groundTruth: groundTruth)
        merge(r)
        return r
    }

    /// Adds one image's counts (scored by `evaluate`) to the totals: a breakdown per group
    /// reuses the image's one scoring.
    public mutating func merge(_ r: ImageResult) {
        groundTruthCare += r.groundTruthCare
        detectionCare += r.detectionCare
        matched += r.matched
        images += 1
    }

    /// Adds another accumulator's totals (e.g. from another worker).
    public mutating func merge(_ other: DetectionMetrics) {
        groundTruthCare += other.groundTruthCare
        detectionCare += other.detectionCare
        matched += other.matched
        images += other.images
    }

    /// Scores one image without changing the totals.
    public func evaluate(predictions: [Polygon], groundTruth: [TextRegion]) -> ImageResult {
        let gts = groundTruth.enumerated().filter { $0.element.polygon.isValid }
        let dets = predictions.enumerated().filter { $0.element.isValid }
        let gtDontCare = gts.map { $0.element.isDontCare }
        let dontCarePolygons = gts.filter { $0.element.isDontCare }.map { $0.element.polygon }
        let detDontCare = dets.map { isDontCare($0.element, dontCareRegions: dontCarePolygons) }

        var result = ImageResult()
        var gtUsed = [Bool](repeating: false, count: gts.count)
        var detUsed = [Bool](repeating: false, count: dets.count)
        for g in gts.indices where !gtDontCare[g] {
            for d in dets.indices where !gtUsed[g] && !detUsed[d] && !detDontCare[d] {
                let iou = dets[d].element.iou(with: gts[g].element.polygon)
                if iou > iouThreshold {
                    gtUsed[g] = true
                    detUsed[d] = true
                    result.matched += 1
                    result.pairs.append(.init(groundTruth: gts[g].offset, prediction: dets[d].offset, iou: iou))
                }
            }
        }
        result.groundTruthCare = gtDontCare.filter { !$0 }.count
        result.detectionCare = detDontCare.filter { !$0 }.count
        result.missedGroundTruth = gts.indices.filter { !gtDontCare[$0] && !gtUsed[$0] }.map { gts[$0].offset }
        result.falseDetections = dets.indices.filter { !detDontCare[$0] && !detUsed[$0] }.map { dets[$0].offset }
        return result
    }
}

extension DetectionMetrics {
    /// Whether `prediction` lies mostly (> `dontCareAreaThreshold` of its area) inside one of
    /// `dontCareRegions`: such a prediction is neither matched nor false. Page evaluation leaves
    /// such lines out of the page text by the same rule.
    public func isDontCare(_ prediction: Polygon, dontCareRegions: [Polygon]) -> Bool {
        let a = prediction.area
        return dontCareRegions.contains { a > 0 && $0.intersectionArea(with: prediction) / a > dontCareAreaThreshold }
    }
}

private func harmonic(_ p: Double, _ r: Double) -> Double { p + r == 0 ? 0 : 2 * p * r / (p + r) }
