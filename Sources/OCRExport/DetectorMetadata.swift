import Imaging
import OCRData
import OCRModels
import OCRPostprocess
import OCRPreprocess
import OCRRun

/// What an exported DB text detector says about itself in `metadata_props`: everything a
/// detector on the inference side needs to turn a page into boxes without the training config -
/// how to resize and normalise the page (the Eval section's `DetResizeForTest` and
/// `NormalizeImage`), and the `DBPostProcess` settings the model was evaluated with. Keys, in
/// the order written:
///
/// | key | value |
/// |---|---|
/// | `ocrkit.kind` | `det` |
/// | `ocrkit.format_version` | `1` |
/// | `ocrkit.algorithm` | `DB` |
/// | `ocrkit.input_channels` | C (H and W are symbolic) |
/// | `ocrkit.size_multiple` | `32`: H and W must be multiples of it |
/// | `ocrkit.resize` | `limit`, `image_shape` or `resize_long` (PaddleOCR's `DetResizeForTest` modes) |
/// | `ocrkit.limit_side_len`, `ocrkit.limit_type` (`max`, `min`, `resize_long`), `ocrkit.max_side_limit` | with `limit` |
/// | `ocrkit.image_shape` (`H,W`), `ocrkit.keep_ratio` | with `image_shape` |
/// | `ocrkit.resize_long` | with `resize_long` |
/// | `ocrkit.scale`, `ocrkit.mean`, `ocrkit.std` | `(x * scale - mean[c]) / std[c]` per channel (`NormalizeImage`) |
/// | `ocrkit.color_order` | channel order of the input: `BGR` (PaddleOCR's), `RGB` or `GRAY` |
/// | `ocrkit.thresh`, `ocrkit.box_thresh`, `ocrkit.unclip_ratio`, `ocrkit.max_candidates`, `ocrkit.score_mode`, `ocrkit.box_type`, `ocrkit.use_dilation`, `ocrkit.min_size` | `DBPostProcess` |
/// | `ocrkit.output` | `maps` (B x 1 x H x W text probability, sigmoid applied) |
/// | `ocrkit.precision` | `fp32` |
/// | `ocrkit.source_checkpoint`, `ocrkit.config_sha256` | as for rec and cls |
///
/// `init(properties:)` reads the same keys back, refusing a missing or malformed one by name.
public struct DetectorMetadata: Sendable, Equatable {
    public static let formatVersion = 1
    public static let sizeMultiple = 32
    public static let output = "maps"

    public var algorithm: String
    public var inputChannels: Int
    public var resize: DetResize
    public var normalize: DetNormalize
    public var colorOrder: String
    public var postProcess: DBPostProcessOptions
    public var sourceCheckpoint: String
    public var configSHA256: String

    /// Defaults are PaddleOCR's det_mv3_db.yml: `limit_side_len 736, limit_type min`, ImageNet
    /// mean/std on x/255, BGR, DBPostProcess 0.3 / 0.6 / 1.5.
    public init(inputChannels: Int = 3, resize: DetResize = DetResize(), normalize: DetNormalize = DetNormalize(),
                colorOrder: String = "BGR", postProcess: DBPostProcessOptions = DBPostProcessOptions(), algorithm: String = "DB",
                sourceCheckpoint: String = "", configSHA256: String = "") {
        self.algorithm = algorithm
        self.inputChannels = inputChannels
        self.resize = resize
        self.normalize = DetNormalize(scale: normalize.scale,
                                      mean: PreprocessMetadata.perChannel(normalize.mean, channels: inputChannels),
                                      std: PreprocessMetadata.perChannel(normalize.std, channels: inputChannels))
        self.colorOrder = colorOrder
        self.postProcess = postProcess
        self.sourceCheckpoint = sourceCheckpoint
        self.configSHA256 = configSHA256
    }

    /// The metadata of a detector trained with `config`: the Eval section's `DetResizeForTest`,
    /// `NormalizeImage` and `DecodeImage` (what evaluation fed the model; the Train section's
    /// normalisation and PaddleOCR's default resize without an Eval section) and its `PostProcess`.
    public init(config: DetectionRunConfig, inputChannels: Int = 3, sourceCheckpoint: String = "", configSHA256: String = "") {
        let transforms = (config.eval ?? config.train).dataset.transforms
        self.init(inputChannels: inputChannels, resize: config.eval?.dataset.transforms.resize ?? DetResize(),
                  normalize: transforms.normalize, colorOrder: PreprocessMetadata.colorOrder(transforms.decodeMode),
                  postProcess: config.postProcess, sourceCheckpoint: sourceCheckpoint, configSHA256: configSHA256)
    }

    /// The `metadata_props` entries, in order.
    public var properties: [(key: String, value: String)] {
        func list(_ xs: [Float]) -> String { xs.map { String($0) }.joined(separator: ",") }
        var p: [(key: String, value: String)] = [
            ("ocrkit.kind", "det"),
            ("ocrkit.format_version", String(Self.formatVersion)),
            ("ocrkit.algorithm", algorithm),
            ("ocrkit.input_channels", String(inputChannels)),
            ("ocrkit.size_multiple", String(Self.sizeMultiple)),
        ]
        switch resize.mode {
        case .limit(let side, let type):
            p += [("ocrkit.resize", "limit"), ("ocrkit.limit_side_len", String(side)), ("ocrkit.limit_type", type.rawValue),
                  ("ocrkit.max_side_limit", String(resize.maxSideLimit))]
        case .shape(let h, let w, let keepRatio):
            p += [("ocrkit.resize", "image_shape"), ("ocrkit.image_shape", "\(h),\(w)"), ("ocrkit.keep_ratio", String(keepRatio))]
        case .long(let side):
            p += [("ocrkit.resize", "resize_long"), ("ocrkit.resize_long", String(side))]
        }
        let pp = postProcess
        return p + [
            ("ocrkit.scale", String(normalize.scale)),
            ("ocrkit.mean", list(normalize.mean)),
            ("ocrkit.std", list(normalize.std)),
            ("ocrkit.color_order", colorOrder),
            ("ocrkit.thresh", String(pp.thresh)),
            ("ocrkit.box_thresh", String(pp.boxThresh)),
            ("ocrkit.unclip_ratio", String(pp.unclipRatio)),
            ("ocrkit.max_candidates", String(pp.maxCandidates)),
            ("ocrkit.score_mode", pp.scoreMode.rawValue),
            ("ocrkit.box_type", pp.boxType.rawValue),
            ("ocrkit.use_dilation", String(pp.useDilation)),
            ("ocrkit.min_size", String(pp.minSize)),
            ("ocrkit.output", Self.output),
            ("ocrkit.precision", "fp32"),
            ("ocrkit.source_checkpoint", sourceCheckpoint),
            ("ocrkit.config_sha256", configSHA256),
        ]
    }

    /// Reads the keys `properties` writes (a model file's `metadata_props`); a missing or
    /// malformed key is an `ExportError.metadataMismatch` naming it.
    public init(properties m: [String: String]) throws {
        func value(_ key: String) throws -> String {
            guard let v = m["ocrkit." + key] else { throw ExportError.metadataMismatch("ocrkit.\(key) is missing") }
            return v
        }
        func parse<T>(_ key: String, _ f: (String) -> T?) throws -> T {
            let raw = try value(key)
            guard let v = f(raw) else { throw ExportError.metadataMismatch("ocrkit.\(key) '\(raw)' cannot be read") }
            return v
        }
        func floats(_ key: String) throws -> [Float] {
            try parse(key) { s in
                let xs = s.split(separator: ",").map { Float($0) }
                return xs.isEmpty || xs.contains(nil) ? nil : xs.compactMap { $0 }
            }
        }
        guard try value("kind") == "det" else { throw ExportError.metadataMismatch("ocrkit.kind is '\(m["ocrkit.kind"]!)', not det") }
        guard try parse("format_version", Int.init) == Self.formatVersion else {
            throw ExportError.metadataMismatch("ocrkit.format_version \(m["ocrkit.format_version"]!) is not \(Self.formatVersion)")
        }
        let mode: DetResize.Mode
        var maxSide = 4000
        switch try value("resize") {
        case "limit":
            mode = .limit(side: try parse("limit_side_len", Int.init), type: try parse("limit_type", DetResize.LimitType.init(rawValue:)))
            maxSide = try parse("max_side_limit", Int.init)
        case "image_shape":
            let hw = try parse("image_shape") { s -> [Int]? in
                let xs = s.split(separator: ",").compactMap { Int($0) }
                return xs.count == 2 ? xs : nil
            }
            mode = .shape(height: hw[0], width: hw[1], keepRatio: try parse("keep_ratio", Bool.init))
        case "resize_long":
            mode = .long(side: try parse("resize_long", Int.init))
        case let other:
            throw ExportError.metadataMismatch("ocrkit.resize '\(other)' is not limit, image_shape or resize_long")
        }
        let postProcess = DBPostProcessOptions(
            thresh: try parse("thresh", Double.init), boxThresh: try parse("box_thresh", Double.init),
            maxCandidates: try parse("max_candidates", Int.init), unclipRatio: try parse("unclip_ratio", Double.init),
            scoreMode: try parse("score_mode", DBPostProcessOptions.ScoreMode.init(rawValue:)),
            boxType: try parse("box_type", DBPostProcessOptions.BoxType.init(rawValue:)),
            useDilation: try parse("use_dilation", Bool.init), minSize: try parse("min_size", Double.init))
        if let (key, problem) = postProcess.problem { throw ExportError.metadataMismatch("ocrkit.\(key) \(problem)") }
        self.init(inputChannels: try parse("input_channels", Int.init), resize: DetResize(mode: mode, maxSideLimit: maxSide),
                  normalize: DetNormalize(scale: try parse("scale", Float.init), mean: try floats("mean"), std: try floats("std")),
                  colorOrder: try value("color_order"), postProcess: postProcess, algorithm: try value("algorithm"),
                  sourceCheckpoint: try value("source_checkpoint"), configSHA256: try value("config_sha256"))
        guard try value("output") == Self.output else { throw ExportError.metadataMismatch("ocrkit.output is not \(Self.output)") }
    }

    /// Throws unless this describes `model` and every value can be used.
    public func check(against model: DBNet) throws {
        var problems: [String] = []
        if inputChannels != model.inputChannels { problems.append("input channels \(inputChannels), model \(model.inputChannels)") }
        if normalize.mean.count != inputChannels || normalize.std.count != inputChannels {
            problems.append("mean/std need \(inputChannels) values, got \(normalize.mean.count)/\(normalize.std.count)")
        }
        do { try normalize.validate(channels: inputChannels); try resize.validate() } catch { problems.append("\(error)") }
        if let (key, problem) = postProcess.problem { problems.append("\(key) \(problem)") }
        if algorithm != model.architecture.algorithm { problems.append("algorithm \(algorithm), model \(model.architecture.algorithm)") }
        guard problems.isEmpty else { throw ExportError.metadataMismatch(problems.joined(separator: "; ")) }
    }
}
