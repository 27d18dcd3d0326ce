import OCRData
import OCRInference
import OCRModels
import OCRRun
import Torch

/// The recogniser's part of `ExportJob`: CRNN/SVTR from the config's Architecture and the
/// checkpoint's charset, `logits` compared at several batch sizes and widths, lines prepared by
/// the model's own preprocessing, line accuracy through `OnnxEvaluation` (what `ocr-eval` runs
/// on an `.onnx` model).
public final class RecognitionExport: ExportKind {
    public let config: RecognitionRunConfig
    public let recognizer: any Recognizer
    public let model: ONNXModel
    public let metadata: RecognizerMetadata

    public var kind: TaskKind { .rec }
    public var output: String { "logits" }
    public var metric: String { "line accuracy" }
    public var inputShape: [Int] { [metadata.inputChannels, metadata.inputHeight, metadata.inputWidth] }

    /// Builds the recogniser, loads the checkpoint's weights (read from `path`) and exports it.
    public init(config: RecognitionRunConfig, checkpoint: Checkpoint, path: String, options: ExportOptions) throws {
        self.config = config
        (model, recognizer) = try RecognizerExporter.export(checkpoint: checkpoint, path: path, config: config, options: options)
        metadata = try RecognizerMetadata(checkpoint: checkpoint, path: path, config: config)
    }

    public func parity(modelAt path: String, real: [Tensor], tolerance: ParityTolerance) throws -> ParityCheck.Report {
        try ParityCheck.run(modelAt: path, against: recognizer, realInputs: real, tolerance: tolerance)
    }

    public func samples(modelAt path: String, for use: ExportDataUse, data: [String]?, count: Int) throws -> [FloatTensor] {
        try loader(modelAt: path, for: use, data: data).prepared(count: count)
    }

    /// The lines `samples` reads.
    public func loader(modelAt path: String, for use: ExportDataUse, data: [String]?) throws -> LineLoader {
        let info = try RecognitionModelInfo(session: InferenceSession(path: path))
        let settings = config.evalSettings
        switch use {
        case .evaluation:
            return try OnnxEvaluation.loader(for: info, config: settings, data: data)
        case .calibration:
            // lines prepared exactly as in training, augmentation off
            var train = config.resolved(config.train)
            train.dataset.transforms.augment = nil
            return try OnnxEvaluation.loader(for: info, config: settings, data: data, section: data == nil ? train : nil)
        }
    }

    public func score(modelAt path: String, data: [String]?) throws -> ExportScore {
        let result = try OnnxEvaluation.run(model: path, config: config.evalSettings, data: data, worstImages: 0) { _ in }
        return ExportScore(value: result.metrics.overall.lineAccuracy, samples: result.metrics.overall.samples,
                           notScored: result.notScored.count)
    }
}
