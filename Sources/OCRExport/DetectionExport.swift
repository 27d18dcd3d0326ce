import OCRData
import OCREval
import OCRInference
import OCRModels
import OCRRun
import Torch

/// The DB detector's part of `ExportJob`: the `DBNet` of the config's Architecture with the
/// checkpoint's weights, exported with `ocrkit.kind = det` (`DetectorMetadata`); `maps` compared
/// on random image-like pages of several sizes and on real Eval pages; pages prepared by the
/// exported file's own metadata (its `DetResizeForTest` and `NormalizeImage`); hmean through
/// `DetectionEvaluator` on the `maps` ONNX Runtime computes, post-processed with the file's
/// `DBPostProcess` settings - so the gate scores the file as a deployment reading its metadata
/// would. Latency is per page at 640 x 640 and 960 x 960, batch 1. INT8 sensitivity is left out:
/// it counts changed arg-max classes, and a probability map has none.
public final class DetectionExport: ExportKind {
    public let config: DetectionRunConfig
    public let detector: DBNet
    public let model: ONNXModel
    public let metadata: DetectorMetadata

    public var kind: TaskKind { .det }
    public var output: String { DetectorMetadata.output }
    public var metric: String { "hmean" }
    public var inputShape: [Int] { [detector.inputChannels, 640, 640] }
    public var latencyBatches: [Int] { [1] }
    public var latencyShapes: [[Int]] { [inputShape, [detector.inputChannels, 960, 960]] }
    public var defaultCalibrationSamples: Int { 256 }
    public var hasClassAxis: Bool { false }

    /// Builds the detector, loads the checkpoint's weights (read from `path`) and exports it.
    public init(config: DetectionRunConfig, checkpoint: Checkpoint, path: String, options: ExportOptions) throws {
        self.config = config
        (model, detector, metadata) = try DetectorExporter.export(checkpoint: checkpoint, path: path, config: config, options: options)
    }

    public func parity(modelAt path: String, real: [Tensor], tolerance: ParityTolerance) throws -> ParityCheck.Report {
        try ParityCheck.run(modelAt: path, against: detector, realInputs: real, tolerance: tolerance)
    }

    public func samples(modelAt path: String, for use: ExportDataUse, data: [String]?, count: Int) throws -> [FloatTensor] {
        let (loader, _) = try pages(modelAt: path, for: use, data: data)
        let stream = DetectionBatchStream(loader)
        try stream.start(epoch: 0, skipping: 0)
        defer { stream.close() }
        var out: [FloatTensor] = [], n = 0
        while n < count, let b = try stream.next() {
            guard b.count > 0 else { continue }
            out.append(try FloatTensor(b.images, shape: b.shape))
            n += b.count
        }
        return out
    }

    public func score(modelAt path: String, data: [String]?) throws -> ExportScore {
        let result = try evaluation(modelAt: path, data: data)
        return ExportScore(value: result.hmean, samples: result.pages.count, notScored: result.notScored.count)
    }

    /// The exported file on the Eval pages (or `data`), through ONNX Runtime and the file's own
    /// metadata: what the accuracy gate scores, page by page.
    public func evaluation(modelAt path: String, data: [String]?) throws -> DetectionEvaluation {
        let (loader, session) = try pages(modelAt: path, for: .evaluation, data: data)
        // What deployment reads from the file (TextDetector): the accuracy gate scores that.
        let info = try DetectionModelInfo(session: session)
        let stream = DetectionBatchStream(loader)
        try stream.start(epoch: 0, skipping: 0)
        defer { stream.close() }
        var result = try DetectionEvaluator(postProcess: info.postProcess).evaluate(next: stream.next, maps: { batch in
            guard let maps = try session.run(["x": FloatTensor(batch.images, shape: batch.shape)], outputs: [output])[output] else {
                throw ExportError.parity("\(path) gave no \(output)")
            }
            return maps.values
        })
        try result.recordNotScored((loader.source as? DataReporting)?.report.excluded ?? [])
        return result
    }

    /// A page loader for `use`, every page once in order, prepared by the file's metadata
    /// (resize, normalisation), and an ONNX Runtime session on the file. Evaluation reads the
    /// Eval section (or `data` in its shape); calibration the Train section (or `data`) with
    /// the augmentation, crop and label maps replaced by the Eval-style resize, one page a batch.
    func pages(modelAt path: String, for use: ExportDataUse, data: [String]?) throws -> (DetectionLoader, InferenceSession) {
        let session = try InferenceSession(path: path, options: .init(intraOpThreads: config.global.threads))
        let info = try DetectionModelInfo(session: session)
        let base: DetDataSection
        switch use {
        case .evaluation:
            guard let eval = config.eval ?? (data != nil ? config.train : nil) else {
                throw TrainError("the config has no Eval section: give --eval-data with det label files (path<TAB>[{\"transcription\", \"points\"}])")
            }
            base = eval
        case .calibration:
            base = config.train
        }
        var section = try data.map { try EvalData.section(for: $0, like: base) } ?? base
        var transforms = DetTransforms(augment: nil, crop: nil, border: nil, shrink: nil, resize: info.resize, normalize: info.normalize)
        transforms.decodeMode = section.dataset.transforms.decodeMode
        transforms.ops = section.dataset.transforms.ops
        section.dataset.transforms = transforms
        section = section.evaluating
        section.loader.batchSize = 1                      // pages resized to their own sizes do not stack
        return (try config.makeLoader(section, seed: config.global.evalSeed), session)
    }
}
