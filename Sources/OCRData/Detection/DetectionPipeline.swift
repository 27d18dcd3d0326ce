import OCRPreprocess

/// What the loader does to each page.
///
/// - `train`: PaddleOCR's det training chain - augment and crop (`DetTrainTransform`, one warp
///   to a fixed size), threshold map (`MakeBorderMap`), shrink map (`MakeShrinkMap`),
///   normalise. Every page of a batch has the crop's size.
/// - `eval`: `DetResizeForTest` (`DetResize`) and normalise; the regions stay in source-image
///   coordinates with the sizes and ratios needed to scale predictions back.
public struct DetectionPipeline: Sendable {
    public enum Mode: Sendable {
        case train(DetTrainTransform, border: BorderMapBuilder, shrink: ShrinkMapBuilder)
        case eval(DetResize)
    }

    public var mode: Mode
    public var normalize: DetNormalize

    public init(mode: Mode, normalize: DetNormalize = DetNormalize()) {
        self.mode = mode
        self.normalize = normalize
    }

    /// `det_mv3_db.yml`'s training pipeline.
    public static let paddleTrain = DetectionPipeline(mode: .train(DetTrainTransform(), border: BorderMapBuilder(),
                                                                   shrink: ShrinkMapBuilder()))
}
