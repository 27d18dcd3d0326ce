import OCRData
import OCRInference
import OCRModels
import OCRRun
import Torch

/// The angle classifier's part of `ExportJob`: the `AngleClassifier` of the config's
/// Architecture with the checkpoint's weights, exported with `ocrkit.kind = cls`, its labels and
/// threshold 0.9; `probs` compared at the model's one input size; samples of the config's cls
/// sections prepared by the exported file's `ClsResizeImg`; accuracy (arg-max over `probs`)
/// through `OnnxClassification` and OCRInference's `TextClassifier`.
public final class ClassificationExport: ExportKind {
    public let config: ClassificationRunConfig
    public let classifier: AngleClassifier
    public let model: ONNXModel

    public var kind: TaskKind { .cls }
    public var output: String { "probs" }
    public var metric: String { "accuracy" }
    public var inputShape: [Int] { classifier.inputShape }

    /// Builds the classifier, loads the checkpoint's weights (read from `path`) and exports it.
    public init(config: ClassificationRunConfig, checkpoint: Checkpoint, path: String, options: ExportOptions) throws {
        self.config = config
        (model, classifier) = try ClassifierExporter.export(checkpoint: checkpoint, path: path, config: config, options: options)
    }

    public func parity(modelAt path: String, real: [Tensor], tolerance: ParityTolerance) throws -> ParityCheck.Report {
        try ParityCheck.run(modelAt: path, against: classifier, realInputs: real, tolerance: tolerance)
    }

    public func samples(modelAt path: String, for use: ExportDataUse, data: [String]?, count: Int) throws -> [FloatTensor] {
        try loader(modelAt: path, for: use, data: data).prepared(count: count)
    }

    /// The lines `samples` reads.
    public func loader(modelAt path: String, for use: ExportDataUse, data: [String]?) throws -> LineLoader {
        let info = try ClassificationModelInfo(session: InferenceSession(path: path))
        return try OnnxClassification.loader(for: info, section: section(for: use, data: data), seed: config.global.evalSeed,
                                             issuePolicy: config.global.dataIssuePolicy)
    }

    public func score(modelAt path: String, data: [String]?) throws -> ExportScore {
        let result = try OnnxClassification.run(model: path, section: section(for: .evaluation, data: data),
                                                threads: config.global.threads, seed: config.global.evalSeed)
        return ExportScore(value: result.accuracy, samples: result.samples, notScored: result.notScored.count)
    }

    /// The config's Eval (or Train) section, or `data` in its shape; paths resolved.
    func section(for use: ExportDataUse, data: [String]?) throws -> ClsDataSection {
        let base: ClsDataSection
        switch use {
        case .evaluation:
            // Like rec: other data may borrow Train's shape when the config has no Eval section.
            guard let eval = config.eval ?? (data != nil ? config.train : nil) else {
                throw TrainError("the config has no Eval section: give --eval-data with cls label files (path<TAB>label)")
            }
            base = eval
        case .calibration:
            base = config.train
        }
        return config.resolved(try data.map { try EvalData.section(for: $0, like: base) } ?? base)
    }
}
