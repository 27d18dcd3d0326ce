import OCRData
import OCRInference
import OCRRun
import Torch

/// A model kind's part of the export pipeline: what differs between exporting a recogniser and
/// a classifier. `ExportJob` does everything else once - staging the files, the parity check and
/// its limit, INT8 calibration, QDQ and sensitivity, the accuracy gate, latency, the report.
/// Conformers: `RecognitionExport` (rec), `ClassificationExport` (cls),
/// `DetectionExport` (det).
public protocol ExportKind {
    /// `ocrkit.kind` of the files written.
    var kind: TaskKind { get }
    /// The graph output that parity compares (rec: as probabilities) and INT8 sensitivity reads,
    /// its last axis the classes (`logits`, `probs`).
    var output: String { get }
    /// The task's main metric - what the INT8 gate compares - as the report names it.
    var metric: String { get }
    /// The float model, exported from the checkpoint with its metadata.
    var model: ONNXModel { get }
    /// C x H x W that latency is timed at.
    var inputShape: [Int] { get }
    /// Batch sizes latency is timed at (rec and cls: 1 and 8).
    var latencyBatches: [Int] { get }
    /// C x H x W sizes latency is timed at (rec and cls: `inputShape`; det: 640 and 960 square pages).
    var latencyShapes: [[Int]] { get }
    /// Whether INT8 sensitivity means something for `output`: its last axis must be classes.
    var hasClassAxis: Bool { get }
    /// INT8 calibration samples when the job does not say (rec and cls: 1024 lines; det: 256 pages).
    /// With HardSwish, SE gates and residuals in int8, 256 lines were too few for the demo
    /// recogniser: 0.59 points lost against 0.10 with 1024 (docs/DECISIONS.md).
    var defaultCalibrationSamples: Int { get }

    /// ONNX Runtime's `output` of the file at `path` against the LibTorch module it was exported
    /// from, on random image-like inputs and then on `real` prepared batches.
    func parity(modelAt path: String, real: [Tensor], tolerance: ParityTolerance) throws -> ParityCheck.Report
    /// Up to `count` samples (in the loader's batches, B x C x H x W each) prepared as the file
    /// at `path` expects them (its metadata's preprocessing), in order, augmentation off: from
    /// `data` (label files or packs) when given, else the config's Eval data (`.evaluation`) or
    /// Train data (`.calibration`).
    func samples(modelAt path: String, for use: ExportDataUse, data: [String]?, count: Int) throws -> [FloatTensor]
    /// The main metric of the file at `path` on the config's Eval data (or `data`), read through
    /// the inference side as deployment reads it.
    func score(modelAt path: String, data: [String]?) throws -> ExportScore
}

extension ExportKind {
    public var latencyBatches: [Int] { [1, 8] }
    public var latencyShapes: [[Int]] { [inputShape] }
    public var hasClassAxis: Bool { true }
    public var defaultCalibrationSamples: Int { 1024 }
}

extension LineLoader {
    /// Up to `count` prepared lines, in this loader's batches (what rec and cls hand
    /// `ExportKind.samples`).
    func prepared(count: Int) throws -> [FloatTensor] {
        let stream = LineBatchStream(self)
        try stream.start(epoch: 0, skipping: 0)
        defer { stream.close() }
        var out: [FloatTensor] = [], n = 0
        while n < count, let b = try stream.next() {
            guard b.batch > 0 else { continue }
            out.append(try FloatTensor(b.pixels, shape: b.shape))
            n += b.batch
        }
        return out
    }
}

/// What the data behind `ExportKind.samples` is for.
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
