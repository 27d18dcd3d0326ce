import OCRData
import OCRRun
import Torch

/// A model kind's part of the export pipeline: what differs between exporting a recogniser and
/// a classifier. `ExportJob` does everything else once - staging the files, the parity check and
/// its limit, INT8 calibration, QDQ and sensitivity, the accuracy gate, latency, the report.
/// Conformers: `RecognitionExport` (rec), `ClassificationExport` (cls).
public protocol ExportKind {
    /// `ocrkit.kind` of the files written.
    var kind: TaskKind { get }
    /// The graph output that parity compares and INT8 sensitivity reads, its last axis the
    /// classes (`logits`, `probs`).
    var output: String { get }
    /// The task's main metric - what the INT8 gate compares - as the report names it.
    var metric: String { get }
    /// The float model, exported from the checkpoint with its metadata.
    var model: ONNXModel { get }
    /// C x H x W that latency is timed at.
    var inputShape: [Int] { get }

    /// ONNX Runtime's `output` of the file at `path` against the LibTorch module it was exported
    /// from, on random image-like inputs and then on `real` prepared batches.
    func parity(modelAt path: String, real: [Tensor], limit: Double) throws -> ParityCheck.Report
    /// A loader preparing samples as the file at `path` expects them (its metadata's
    /// preprocessing), in order, augmentation off: from `data` (label files or packs) when given,
    /// else the config's Eval data (`.evaluation`) or Train data (`.calibration`).
    func loader(modelAt path: String, for use: ExportDataUse, data: [String]?) throws -> LineLoader
    /// The main metric of the file at `path` on the config's Eval data (or `data`), read through
    /// the inference side as deployment reads it.
    func score(modelAt path: String, data: [String]?) throws -> ExportScore
}

/// What the data behind `ExportKind.loader` is for.
public enum ExportDataUse: Sendable {
    /// Real inputs for the parity check: the Eval data.
    case evaluation
    /// INT8 calibration: the Train data.
    case calibration
}

/// A model file's main metric on the evaluation data.
public struct ExportScore: Sendable, Equatable {
    /// In 0...1.
    public var value: Double
    /// Samples scored.
    public var samples: Int
    /// Samples left out (unreadable), each listed by the evaluation.
    public var notScored: Int

    public init(value: Double, samples: Int, notScored: Int = 0) {
        self.value = value
        self.samples = samples
        self.notScored = notScored
    }
}
