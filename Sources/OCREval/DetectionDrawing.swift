import Imaging
import OCRCore
import OCRPostprocess

/// A worst page drawn for the report: ground truth and detections in two colour families, the
/// errors in strong colours and thicker lines, so a glance shows what the detector missed and
/// what it invented.
public enum DetectionDrawing {
    /// BGR colours, named in `legend`.
    static let matchedTruth: [Double] = [0, 170, 0]           // green
    static let missedTruth: [Double] = [0, 0, 255]            // red
    static let ignored: [Double] = [150, 150, 150]            // gray: don't care, invalid
    static let matchedDetection: [Double] = [255, 140, 0]     // blue
    static let falseDetection: [Double] = [255, 0, 255]       // magenta

    public static let legend = "ground truth green (matched), red (missed), gray (don't care); "
        + "detections blue (matched), magenta (false)"

    /// The page's image (scaled down to at most `maxWidth` pixels wide) with its regions drawn;
    /// nil when the page kept no image.
    public static func draw(_ page: DetectionEvaluation.WorstPage, maxWidth: Int = 800) throws -> ReportImage? {
        try draw(page.image, groundTruth: page.groundTruth, predictions: page.predictions, result: page.page.result, maxWidth: maxWidth)
    }

    /// `image` with `groundTruth` and `predictions` drawn as `result` (the detection metric's
    /// verdict on them) matched them; nil without an image. The page pipeline's evaluation draws
    /// its worst pages with it too.
    public static func draw(_ image: ReportImage?, groundTruth: [TextRegion], predictions: [DetectedText],
                            result r: DetectionMetrics.ImageResult, maxWidth: Int = 800) throws -> ReportImage? {
        guard let source = image else { return nil }
        var image = try Image(width: source.width, height: source.height, colorOrder: source.colorOrder, pixels: source.pixels)
        if image.colorOrder != .bgr { image = try image.converted(to: .bgr) }
        let scale = min(1, Double(maxWidth) / Double(image.width))
        if scale < 1 {
            image = try image.resized(width: maxWidth, height: max(1, Int((Double(image.height) * scale).rounded())), interpolation: .area)
        }
        let matchedTruth = Set(r.pairs.map(\.groundTruth)), matchedDetections = Set(r.pairs.map(\.prediction))
        let missed = Set(r.missedGroundTruth), invented = Set(r.falseDetections)
        func pixels(_ p: Polygon) -> [Point2i] {
            p.points.map { Point2i(x: Int(($0.x * scale).rounded()), y: Int(($0.y * scale).rounded())) }
        }
        // Ground truth first, detections over it; errors last so nothing hides them.
        let thin = 1, thick = max(2, image.width / 300)
        for (i, g) in groundTruth.enumerated() where !missed.contains(i) && g.polygon.points.count >= 2 {
            try image.polylines([pixels(g.polygon)], value: matchedTruth.contains(i) ? Self.matchedTruth : ignored, thickness: thin)
        }
        for (i, d) in predictions.enumerated() where !invented.contains(i) && d.polygon.points.count >= 2 {
            try image.polylines([pixels(d.polygon)], value: matchedDetections.contains(i) ? matchedDetection : ignored, thickness: thin)
        }
        for i in missed.sorted() where groundTruth[i].polygon.points.count >= 2 {
            try image.polylines([pixels(groundTruth[i].polygon)], value: missedTruth, thickness: thick)
        }
        for i in invented.sorted() where predictions[i].polygon.points.count >= 2 {
            try image.polylines([pixels(predictions[i].polygon)], value: falseDetection, thickness: thick)
        }
        return ReportImage(width: image.width, height: image.height, bgr: image.pixels)
    }
}
