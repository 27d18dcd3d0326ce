import Imaging
import OCRCore

/// DB (Differentiable Binarization) box extraction, following PaddleOCR's `DBPostProcess`: the
/// model's text probability map is binarised at `thresh`; each contour of the binary map
/// (OpenCV's list order, at most `max_candidates`) becomes a candidate whose score is the mean
/// probability inside it; candidates scoring at least `box_thresh` are grown back by Clipper's
/// offset (the model predicts text shrunk by the DB ratio) and mapped to the source image.
///
/// Contours are all of them (RETR_LIST), not only outer ones, because PaddleOCR does so and the
/// parity fixture holds it to that: a ring's hole is a candidate too (its box scores low, being
/// mostly hole). Tests/OCRPostprocessTests/Fixtures has the reference script and its boxes.
///
/// Plain Swift on arrays plus OpenCV's contour and rectangle functions: training's evaluation
/// and inference call the same code, and nothing here needs LibTorch.
public struct DBPostProcess: Sendable {
    public let options: DBPostProcessOptions

    public init(_ options: DBPostProcessOptions = DBPostProcessOptions()) {
        self.options = options
    }

    /// The text regions in one probability map (`width` x `height`, row-major, values 0...1),
    /// in the pixels of the `sourceWidth` x `sourceHeight` image the map was computed from
    /// (rounded and clipped to [0, size], as PaddleOCR). Order: OpenCV's contour order.
    public func boxes(probability: [Float], width: Int, height: Int, sourceWidth: Int, sourceHeight: Int) throws -> [DetectedText] {
        guard width > 0, height > 0, probability.count == width * height else {
            throw PostprocessError("DB post-processing: a \(width)x\(height) map needs \(max(width, 0) * max(height, 0)) "
                                   + "probabilities, got \(probability.count)")
        }
        guard sourceWidth > 0, sourceHeight > 0 else {
            throw PostprocessError("DB post-processing: source image size \(sourceWidth)x\(sourceHeight) must be positive")
        }
        if let (key, message) = options.problem { throw PostprocessError("DB post-processing: \(key) \(message)") }

        let map = ProbabilityMap(values: probability, width: width, height: height)
        let contours = try map.binarised(above: Float(options.thresh), dilate: options.useDilation).findContours(retrieval: .list)
        let scale = Scale(mapWidth: width, mapHeight: height, sourceWidth: sourceWidth, sourceHeight: sourceHeight)
        var found = [DetectedText]()
        for contour in contours.prefix(options.maxCandidates) {
            let candidate = switch options.boxType {
            case .quad: try quad(contour, map)
            case .poly: try poly(contour, map)
            }
            if let (points, score) = candidate {
                found.append(DetectedText(polygon: Polygon(points.map(scale.callAsFunction)), score: score))
            }
        }
        return found
    }

    /// PaddleOCR's `boxes_from_bitmap` for one contour: min-area box, score, unclip, min-area
    /// box again; nil when a size or score check drops it.
    func quad(_ contour: [Point2i], _ map: ProbabilityMap) throws -> ([Point2f], Double)? {
        let box = try MiniBox(around: contour.map(Point2f.init))
        guard Double(box.shortSide) >= options.minSize else { return nil }
        let score = switch options.scoreMode {
        case .fast: try map.meanInside(box.corners)
        case .slow: try map.meanInside(contour: contour)
        }
        guard score >= options.boxThresh else { return nil }
        let grown = try unclip(box.corners)
        guard grown.count == 1 else { return nil }
        let outer = try MiniBox(around: grown[0])
        guard Double(outer.shortSide) >= options.minSize + 2 else { return nil }
        return (outer.corners, score)
    }

    /// PaddleOCR's `polygons_from_bitmap` for one contour: simplified outline (epsilon 0.2% of
    /// its length), scored inside that outline, unclipped; nil when a check drops it.
    func poly(_ contour: [Point2i], _ map: ProbabilityMap) throws -> ([Point2f], Double)? {
        let epsilon = 0.002 * (try arcLength(contour.map(Point2f.init), closed: true))
        let approx = PolygonApproximation.closed(contour, epsilon: epsilon).map(Point2f.init)
        guard approx.count >= 4 else { return nil }
        let score = try map.meanInside(approx)
        guard score >= options.boxThresh else { return nil }
        let grown = try unclip(approx)
        guard grown.count == 1, grown[0].count >= 3 else { return nil }
        guard Double(try MiniBox(around: grown[0]).shortSide) >= options.minSize + 2 else { return nil }
        return (grown[0], score)
    }

    /// The region grown by `area * unclip_ratio / perimeter` with round joins (Clipper, through
    /// `Polygon.offset`, the same offset label making uses to shrink). The distance comes from
    /// the float corners; the path Clipper offsets has them truncated toward zero, as pyclipper
    /// converts PaddleOCR's float32 corners - rounding instead moves turned boxes by a pixel.
    func unclip(_ points: [Point2f]) throws -> [[Point2f]] {
        let distance = Polygon(points.map { Point(Double($0.x), Double($0.y)) }).unclipDistance(ratio: options.unclipRatio)
        let path = Polygon(points.map { Point(Double($0.x.rounded(.towardZero)), Double($0.y.rounded(.towardZero))) })
        return try path.offset(by: distance, join: .round).map { $0.points.map { Point2f(Float($0.x), Float($0.y)) } }
    }
}

/// Map pixels to source pixels: x / map width * source width, rounded half to even
/// (`np.round`) and clipped to [0, source size], in float32 as PaddleOCR computes it.
struct Scale {
    let mw: Float, mh: Float, maxX: Float, maxY: Float

    init(mapWidth: Int, mapHeight: Int, sourceWidth: Int, sourceHeight: Int) {
        mw = Float(mapWidth)
        mh = Float(mapHeight)
        maxX = Float(sourceWidth)
        maxY = Float(sourceHeight)
    }

    // (x / map width) * source width, in that order: the other order can round a .5 differently.
    func callAsFunction(_ p: Point2f) -> Point {
        Point(Double(min(max((p.x / mw * maxX).rounded(.toNearestOrEven), 0), maxX)),
              Double(min(max((p.y / mh * maxY).rounded(.toNearestOrEven), 0), maxY)))
    }
}
