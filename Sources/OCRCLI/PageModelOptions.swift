import ArgumentParser
import OCRInference
import OCRPreprocess

/// The page pipeline's models and settings, shared by `ocr predict`, `ocr-eval --pipeline` and
/// `ocr-bench pipeline`, so a page is read the same way by all three: a model folder or three
/// files (PP-OCRv4 det + v2.0 cls + v4 rec from .deps/models by default), PaddleOCR's batch size,
/// detector resize and drop score, ONNX Runtime's threads.
public struct PageModelOptions: ParsableArguments {
    @Option(help: "A folder with the page models: det.onnx, cls.onnx, rec.onnx, or PaddleOCR's *_det_*, *_cls_*, *_rec_* names (default: PP-OCRv4 det + v2.0 cls + v4 rec in .deps/models).")
    public var models: String?

    @Option(help: "The detector .onnx (overrides --models; with --rec and no --models, the classifier is --cls or none).")
    public var det: String?

    @Option(help: "The angle classifier .onnx (overrides --models).")
    public var cls: String?

    @Option(help: "The recogniser .onnx: OCRKit metadata, or PaddleOCR's `character` list. (ocr predict: alone, it reads line images.)")
    public var rec: String?

    @Flag(help: "Pages without the angle classifier.")
    public var noCls = false

    @Option(help: "Crops (lines) per model run; crops are sorted by aspect ratio first. Default: 6 for pages (PaddleOCR's), 8 for lines.")
    public var batchSize: Int?

    @Option(help: "ONNX Runtime threads per operator (0: one per physical core).")
    public var threads = 0

    @Option(help: "Detector resize limit in pixels (PaddleOCR's det_limit_side_len; default: the model's, 960 for PaddleOCR's).")
    public var detLimitSideLen: Int?

    @Option(help: "How the limit applies: max (shrink pages whose longer side exceeds it), min (enlarge pages whose shorter side is below it), resize_long (PaddleOCR's det_limit_type; default: the model's, max for PaddleOCR's).")
    public var detLimitType: String?

    @Option(help: "Leave out lines read with a lower confidence (PaddleOCR's drop_score).")
    public var dropScore: Float = 0.5

    public init() {}

    public func validate() throws {
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size must be at least 1") }
        guard threads >= 0 else { throw ValidationError("--threads must be 0 (ONNX Runtime's default) or more") }
        guard (0...1).contains(dropScore) else { throw ValidationError("--drop-score must be in 0...1") }
        if let detLimitSideLen, detLimitSideLen < 1 { throw ValidationError("--det-limit-side-len must be positive") }
        if let detLimitType, DetResize.LimitType(rawValue: detLimitType) == nil {
            throw ValidationError("--det-limit-type '\(detLimitType)' is not one of "
                                  + DetResize.LimitType.allCases.map(\.rawValue).joined(separator: ", "))
        }
    }

    /// The options given that only pages have (all but --rec, --batch-size and --threads).
    public var pageOnlyOptions: [String] {
        [(det != nil, "--det"), (cls != nil, "--cls"), (models != nil, "--models"), (noCls, "--no-cls"),
         (detLimitSideLen != nil, "--det-limit-side-len"), (detLimitType != nil, "--det-limit-type")].filter(\.0).map(\.1)
    }

    /// --det and --rec (and --cls) as given; otherwise the models in --models, or PP-OCRv4's
    /// three files in .deps/models (named, not searched for: other models may sit there too), any
    /// of them replaced by --det, --cls or --rec.
    public func pageModels() throws -> PageModels {
        var m: PageModels
        if let det, let rec, models == nil {
            m = PageModels(detector: det, classifier: cls, recognizer: rec)
        } else {
            m = try models.map(PageModels.directory) ?? PageModels.ppocrV4(in: ".deps/models")
            if let det { m.detector = det }
            if let cls { m.classifier = cls }
            if let rec { m.recognizer = rec }
        }
        if noCls { m.classifier = nil }
        return m
    }

    /// The detector resize the options ask for; nil keeps the model's.
    public var detResize: DetResize? {
        guard detLimitSideLen != nil || detLimitType != nil else { return nil }
        // Either one alone keeps PaddleOCR's other default.
        return DetResize(mode: .limit(side: detLimitSideLen ?? 960, type: detLimitType.flatMap(DetResize.LimitType.init) ?? .max))
    }

    /// ONNX Runtime's settings: --threads per operator, one inter-op thread.
    public var sessionOptions: InferenceSession.Options { .init(intraOpThreads: threads, interOpThreads: 1) }

    /// The page reader for `models` (default: `pageModels()`); errors name the file.
    /// `intraOpThreads` replaces --threads (`ocr predict` splits the cores between pages in flight).
    public func reader(_ models: PageModels? = nil, intraOpThreads: Int? = nil) throws -> PageReader {
        var options = sessionOptions
        if let intraOpThreads { options.intraOpThreads = intraOpThreads }
        return try PageReader(models: models ?? pageModels(), options: options, batchSize: batchSize ?? 6,
                              detResize: detResize, dropScore: dropScore)
    }
}
