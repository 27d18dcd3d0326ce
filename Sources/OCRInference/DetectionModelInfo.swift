import Foundation
import Imaging
import OCRPostprocess
import OCRPreprocess

/// What a DB text detector's ONNX file says about running it: the probability-map input and
/// output, and the page resize and normalisation.
///
/// Two forms:
/// - **OCRKit** (`ocrkit.kind = det`, written by `ocr-export`'s `DetectorMetadata`): the resize
///   (`ocrkit.resize` limit / image_shape / resize_long and its keys), `ocrkit.scale`/`mean`/`std`
///   and the DB post-processing the model was evaluated with (`ocrkit.thresh`, `box_thresh`,
///   `unclip_ratio`, `max_candidates`, `score_mode`, `box_type`, `use_dilation`, `min_size`); a
///   key that is absent takes PaddleOCR's inference value.
/// - **PaddleOCR** (no metadata, as PaddleOCR's and RapidOCR's exports ship it): PaddleOCR's
///   inference defaults - `limit_side_len` 960, `limit_type` max, ImageNet mean and std.
///
/// The graph must look like a detector: one float input B x 3 x H x W and a first output
/// B x 1 x H x W. A recogniser or classifier given as the detector is refused by name.
public struct DetectionModelInfo: Sendable, Equatable {
    public enum Origin: String, Sendable, Equatable { case ocrkit, paddleOCR }

    public var origin: Origin
    /// The model file (for messages).
    public var path: String
    public var inputName: String
    /// The 1-channel probability map.
    public var outputName: String
    /// PaddleOCR's `DetResizeForTest` for this model.
    public var resize: DetResize
    public var normalize: DetNormalize
    /// The model's DB post-processing (PaddleOCR's inference defaults for PaddleOCR's files).
    public var postProcess = DBPostProcessOptions()

    /// PaddleOCR's `det_limit_side_len` / `det_limit_type` defaults in tools/infer/utility.py.
    public static let paddleInferenceResize = DetResize(mode: .limit(side: 960, type: .max))

    public init(session: InferenceSession) throws {
        try self.init(path: session.path, metadata: session.metadata.custom, inputs: session.inputs, outputs: session.outputs)
    }

    /// Errors are `InferenceError(.metadata)` naming `path`.
    public init(path: String, metadata m: [String: String], inputs: [TensorInfo], outputs: [TensorInfo]) throws {
        func fail(_ message: String) -> InferenceError { InferenceError(.metadata, "\(path): \(message)") }
        if let kind = m["ocrkit.kind"], kind != "det" {
            throw fail("ocrkit.kind is '\(kind)', not 'det': this model is not a text detector")
        }
        guard inputs.count == 1, let input = inputs.first, input.isTensor, input.elementType == .float, input.shape.count == 4,
              input.shape[1] == nil || input.shape[1] == 3 else {
            throw fail("not a text detector: a detector has one float input B x 3 x H x W; this model has "
                       + inputs.map(\.description).joined(separator: ", "))
        }
        guard let output = outputs.first, output.isTensor, output.elementType == .float, output.shape.count == 4,
              output.shape[1] == nil || output.shape[1] == 1 else {
            let what = switch outputs.first?.shape.count {
            case 3: " (B x T x classes: a text recogniser?)"
            case 2: " (B x classes: a classifier?)"
            default: ""
            }
            throw fail("not a text detector: a detector's first output is a float probability map B x 1 x H x W; this model's is "
                       + (outputs.first?.description ?? "missing") + what)
        }
        self.path = path
        inputName = input.name
        outputName = output.name
        resize = Self.paddleInferenceResize
        normalize = DetNormalize()
        guard m["ocrkit.kind"] == "det" else {
            origin = .paddleOCR
            return
        }
        origin = .ocrkit
        let r = MetadataReader(path: path, values: m, models: "detectors")
        try r.checkFormatVersion()
        switch m["ocrkit.resize"] {
        case "image_shape"?:
            let hw = try r.ints("ocrkit.image_shape")
            guard hw.count == 2 else { throw fail("metadata ocrkit.image_shape = '\(m["ocrkit.image_shape"]!)' is not H,W") }
            resize.mode = .shape(height: hw[0], width: hw[1], keepRatio: m["ocrkit.keep_ratio"] == nil ? false : try r.bool("ocrkit.keep_ratio"))
        case "resize_long"?:
            resize.mode = .long(side: try r.int("ocrkit.resize_long"))
        case "limit"?, nil:
            break
        case let other?:
            throw fail("metadata ocrkit.resize = '\(other)' is not one of limit, image_shape, resize_long")
        }
        if m["ocrkit.limit_side_len"] != nil || m["ocrkit.limit_type"] != nil {
            let side = try r.int("ocrkit.limit_side_len")
            let raw = try r.string("ocrkit.limit_type")
            guard let type = DetResize.LimitType(rawValue: raw) else {
                throw fail("metadata ocrkit.limit_type = '\(raw)' is not one of "
                           + DetResize.LimitType.allCases.map(\.rawValue).joined(separator: ", "))
            }
            resize.mode = .limit(side: side, type: type)
            if m["ocrkit.max_side_limit"] != nil { resize.maxSideLimit = try r.int("ocrkit.max_side_limit") }
        }
        if m["ocrkit.mean"] != nil || m["ocrkit.std"] != nil {
            normalize = DetNormalize(scale: m["ocrkit.scale"] == nil ? normalize.scale : Float(try r.double("ocrkit.scale")),
                                     mean: try r.floats("ocrkit.mean"), std: try r.floats("ocrkit.std"))
            do { try normalize.validate() } catch { throw fail("\(error)") }
        }
        var pp = DBPostProcessOptions()
        if m["ocrkit.thresh"] != nil { pp.thresh = try r.double("ocrkit.thresh") }
        if m["ocrkit.box_thresh"] != nil { pp.boxThresh = try r.double("ocrkit.box_thresh") }
        if m["ocrkit.unclip_ratio"] != nil { pp.unclipRatio = try r.double("ocrkit.unclip_ratio") }
        if m["ocrkit.max_candidates"] != nil { pp.maxCandidates = try r.int("ocrkit.max_candidates") }
        if m["ocrkit.min_size"] != nil { pp.minSize = try r.double("ocrkit.min_size") }
        if m["ocrkit.use_dilation"] != nil { pp.useDilation = try r.bool("ocrkit.use_dilation") }
        if let raw = m["ocrkit.score_mode"] {
            guard let mode = DBPostProcessOptions.ScoreMode(rawValue: raw) else { throw fail("metadata ocrkit.score_mode = '\(raw)' is not fast or slow") }
            pp.scoreMode = mode
        }
        if let raw = m["ocrkit.box_type"] {
            guard let type = DBPostProcessOptions.BoxType(rawValue: raw) else { throw fail("metadata ocrkit.box_type = '\(raw)' is not quad or poly") }
            pp.boxType = type
        }
        if let (key, message) = pp.problem { throw fail("metadata ocrkit.\(key): \(message)") }
        postProcess = pp
    }
}
