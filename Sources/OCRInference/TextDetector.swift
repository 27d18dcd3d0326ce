import Foundation
import Imaging
import OCRCore
import OCRPostprocess
import OCRPreprocess

/// Finds text regions on a page with a DB detector on ONNX Runtime - PaddleOCR's
/// tools/infer/predict_det.py: `DetResizeForTest` (from the model, `DetectionModelInfo`),
/// ImageNet normalisation, the model, `DBPostProcess`, then `filter_tag_det_res`: each box's
/// corners ordered TL, TR, BR, BL, clipped to the image, and boxes 3 px or less across dropped.
///
///     let det = try TextDetector(modelPath: ".deps/models/ch_PP-OCRv4_det_infer.onnx")
///     for region in try det.detect(page) { print(region.polygon, region.score) }
///
/// Sendable: the session allows concurrent runs and the rest is immutable.
public struct TextDetector: Sendable {
    public let session: InferenceSession
    public let info: DetectionModelInfo
    /// The model's own (an OCRKit export's metadata), else PaddleOCR's inference defaults: thresh
    /// 0.3, box_thresh 0.6, unclip 1.5, fast score, quads.
    public var postprocess: DBPostProcessOptions
    /// Boxes whose width or height (as `int(norm)` of an edge) is at most this are dropped.
    public var minBoxSide = 3
    /// The page resize: the model's (`info.resize`) unless set (PaddleOCR's `det_limit_side_len`
    /// and `det_limit_type` options).
    public var resize: DetResize

    public init(modelPath: String, options: InferenceSession.Options = .init(),
                postprocess: DBPostProcessOptions? = nil) throws {
        try self.init(session: InferenceSession(path: modelPath, options: options), postprocess: postprocess)
    }

    /// `postprocess` nil: the model's own settings (`info.postProcess`).
    public init(session: InferenceSession, postprocess given: DBPostProcessOptions? = nil) throws {
        let info = try DetectionModelInfo(session: session)
        let postprocess = given ?? info.postProcess
        if let (key, message) = postprocess.problem {
            throw InferenceError(.invalidInput, "\(session.path): DB post-processing \(key) \(message)")
        }
        guard postprocess.boxType == .quad else {
            throw InferenceError(.invalidInput, "\(session.path): the page pipeline crops quads; box_type poly is not supported here")
        }
        self.session = session
        self.info = info
        resize = info.resize
        self.postprocess = postprocess
    }

    /// The text regions on `page` (BGR, as decoded for the training loader), in source pixels,
    /// each a quad TL, TR, BR, BL with integer corners inside the image; in the detector's
    /// contour order (see `ReadingOrder` for reading order).
    public func detect(_ page: Image) throws -> [DetectedText] {
        let map = try probabilityMap(page)
        let found: [DetectedText]
        do {
            found = try DBPostProcess(postprocess).boxes(probability: map.values, width: map.width, height: map.height,
                                                         sourceWidth: page.width, sourceHeight: page.height)
        } catch {
            throw InferenceError(.runtime, "\(info.path): \(error)")
        }
        return found.compactMap { filtered($0, width: page.width, height: page.height) }
    }

    /// The model's probability map for `page` (resized to multiples of 32; not yet scaled back).
    public func probabilityMap(_ page: Image) throws -> (values: [Float], width: Int, height: Int) {
        guard page.width > 0, page.height > 0 else { throw InferenceError(.invalidInput, "\(info.path): empty page") }
        let bgr = try page.colorOrder == .bgr ? page : page.converted(to: .bgr)
        let resized: DetResize.Resized
        do { resized = try resize(bgr) } catch { throw InferenceError(.invalidInput, "\(info.path): resize: \(error)") }
        let (w, h) = (resized.image.width, resized.image.height)
        let input = try FloatTensor(info.normalize(resized.image), shape: [1, 3, h, w])
        let out = try session.run([info.inputName: input], outputs: [info.outputName])[info.outputName]!
        guard out.shape == [1, 1, h, w] else {
            throw InferenceError(.runtime, "\(info.path): output '\(info.outputName)' has shape \(out.shape), expected [1, 1, \(h), \(w)]")
        }
        return (out.values, w, h)
    }

    /// PaddleOCR's `filter_tag_det_res` for one box: ordered clockwise, clipped to
    /// [0, size - 1] (`clip_det_res`; the corners are already whole pixels), nil when
    /// `int(|p0 - p1|)` or `int(|p0 - p3|)` is at most `minBoxSide`.
    func filtered(_ region: DetectedText, width: Int, height: Int) -> DetectedText? {
        guard let ordered = region.polygon.orderedClockwise() else { return nil }
        let box = ordered.clamped(width: width, height: height)
        let p = box.points
        guard Int(p[0].distance(to: p[1])) > minBoxSide, Int(p[0].distance(to: p[3])) > minBoxSide else { return nil }
        return DetectedText(polygon: box, score: region.score)
    }
}
