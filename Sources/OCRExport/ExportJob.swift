import Foundation
import OCRData
import OCRInference
import OCRModels
import OCRRun
import Torch

/// `ocr-export`: a checkpoint to a deployable ONNX model, and optionally an INT8 one, each checked
/// before it is written under its final name. One pipeline for every model kind; the kind
/// (`ExportKind`: `RecognitionExport`, `ClassificationExport`, `DetectionExport`, chosen by the config's
/// `Architecture.model_type`, which the checkpoint's task must match) supplies the model, its
/// metadata, data and scoring. The steps:
///
/// 1. export (BatchNorm folded) to `model.onnx.partial`, then the parity check - LibTorch's
///    eval-mode output (the kind's named output; a recogniser's as probabilities) against ONNX
///    Runtime's on random image-like inputs and on real prepared samples; further apart than
///    `parityTolerance` allows and the export fails (`model.rejected.onnx` is kept to inspect);
/// 2. INT8: activation ranges observed over `calibrationImages` samples prepared exactly as in
///    training (augmentation off), QDQ rewrite, per-layer sensitivity;
/// 3. the task's main metric FP32 vs INT8 on the evaluation data, latency at batch 1 and 8, file
///    sizes; an INT8 model losing more than `maxAccuracyDrop` points is written as
///    `model.int8.rejected.onnx`, not as `model.int8.onnx`, and the job reports failure.
///
/// Files are staged as `*.partial` and renamed only at the end, after the checks (`ExportFiles`):
/// a run that throws leaves the folder as it found it; a run that finishes leaves exactly what its
/// report describes (an older `model.onnx` or `model.int8.onnx` it did not accept is removed).
public struct ExportJob {
    public struct Options {
        public var out: String
        public var int8 = false
        /// Label files / .h5 packs for calibration; nil: the config's Train data, augmentation off.
        public var calibrationData: [String]?
        /// Calibration samples; nil: the kind's `defaultCalibrationSamples`.
        public var calibrationImages: Int?
        public var quantization = QuantizationOptions()
        /// Largest accepted loss of the task's main metric (rec: line accuracy, cls: accuracy, det: hmean), in points.
        public var maxAccuracyDrop = 0.5
        /// Label files / .h5 packs to measure accuracy on; nil: the config's Eval data.
        public var evalData: [String]?
        public var foldBatchNorm = true
        /// The parity gate: |ONNX Runtime - LibTorch| <= absolute + relative x max |LibTorch output|.
        public var parityTolerance = ParityTolerance.default
        public var threads = 2
        public var sensitivity = true
        public init(out: String) { self.out = out }
    }

    /// The run config of the kind being exported.
    enum Config {
        case rec(RecognitionRunConfig)
        case cls(ClassificationRunConfig)
        case det(DetectionRunConfig)

        var task: TaskKind {
            switch self {
            case .rec: .rec
            case .cls: .cls
            case .det: .det
            }
        }
    }

    let config: Config
    public let checkpoint: String
    public let options: Options

    /// The job for whatever `config` trains (`Architecture.model_type`).
    public init(config: RunConfig, checkpoint: String, options: Options) throws {
        switch config.task {
        case .rec: self.config = .rec(try RecognitionRunConfig(config))
        case .cls: self.config = .cls(try ClassificationRunConfig(config))
        case .det: self.config = .det(try DetectionRunConfig(config))
        }
        self.checkpoint = checkpoint
        self.options = options
    }

    public init(config: RecognitionRunConfig, checkpoint: String, options: Options) {
        self.config = .rec(config)
        self.checkpoint = checkpoint
        self.options = options
    }

    public init(config: ClassificationRunConfig, checkpoint: String, options: Options) {
        self.config = .cls(config)
        self.checkpoint = checkpoint
        self.options = options
    }

    public init(config: DetectionRunConfig, checkpoint: String, options: Options) {
        self.config = .det(config)
        self.checkpoint = checkpoint
        self.options = options
    }

    /// Reads the checkpoint (refused when its task is not the config's), builds the kind's part
    /// and runs the pipeline. Throws `ExportError.parity` when parity fails (after writing the
    /// report); an INT8 model rejected by the gate is reported (`Report.int8Accepted == false`),
    /// not thrown.
    public func run(log: (String) -> Void) throws -> Report {
        let saved = try Checkpoint.read(from: checkpoint)
        guard saved.task.kind == config.task else {
            throw TrainError("refusing to export \(checkpoint): it is a \(saved.task.kind.rawValue) checkpoint, "
                             + "but the config's Architecture.model_type is \(config.task.rawValue)")
        }
        Torch.threads = options.threads
        let exportOptions = ExportOptions(foldBatchNorm: options.foldBatchNorm)
        let kind: any ExportKind = switch config {
        case .rec(let c): try RecognitionExport(config: c, checkpoint: saved, path: checkpoint, options: exportOptions)
        case .cls(let c): try ClassificationExport(config: c, checkpoint: saved, path: checkpoint, options: exportOptions)
        case .det(let c): try DetectionExport(config: c, checkpoint: saved, path: checkpoint, options: exportOptions)
        }
        return try run(kind, log: log)
    }

    /// The pipeline, written once for every kind.
    public func run(_ kind: any ExportKind, log: (String) -> Void) throws -> Report {
        let files = try ExportFiles(out: options.out)
        defer { files.removePartials() }                   // nothing staged outlives the run, whatever happens

        // 1. candidate + parity (random inputs, then real prepared samples)
        try kind.model.write(to: files.fp32.partial)
        let real = try kind.samples(modelAt: files.fp32.partial, for: .evaluation, data: options.evalData, count: 1)
        let parity = try kind.parity(modelAt: files.fp32.partial, real: real.map { try Tensor($0.values, shape: $0.shape) },
                                     tolerance: options.parityTolerance)
        log(parity.description)
        var report = Report(kind: kind.kind.rawValue, metric: kind.metric, checkpoint: checkpoint,
                            parity: parity.description.split(separator: "\n").map(String.init),
                            parityMaxAbsDiff: parity.maxAbsDiff, parityTolerance: parity.tolerance, parityPassed: parity.passed,
                            fp32: .init(file: parity.passed ? files.fp32.final : files.fp32.rejected,
                                        bytes: fileSize(files.fp32.partial), latency: []))
        guard parity.passed else {
            try files.commit(report)
            log("parity FAILED: kept \(files.fp32.rejected) to inspect")
            throw ExportError.parity(parity.description)
        }
        (report.fp32.accuracy, report.fp32.samples) = try score(kind, files.fp32.partial, name: "FP32", log: log)
        if !options.int8 { report.fp32.latency = try latency([files.fp32.partial], kind)[0] }

        // 2. INT8
        if options.int8 {
            let batches = try kind.samples(modelAt: files.fp32.partial, for: .calibration, data: options.calibrationData,
                                           count: options.calibrationImages ?? kind.defaultCalibrationSamples)
            guard !batches.isEmpty else { throw QuantizationError("the calibration data gave no samples") }
            let images = batches.reduce(0) { $0 + $1.shape[0] }
            report.calibration = "\(options.quantization.method), \(images) samples from "
                + (options.calibrationData?.joined(separator: ", ") ?? "the config's Train data (augmentation off)")
                + ", activations \(options.quantization.activationType.rawValue)"
                + (options.quantization.keepFloat.isEmpty ? "" : ", float: " + options.quantization.keepFloat.joined(separator: ", "))
            log("calibrating: \(report.calibration!)")
            let (quantized, plan, ranges) = try INT8Quantization.quantize(kind.model, calibration: batches,
                                                                          options: options.quantization, threads: options.threads)
            try quantized.write(to: files.int8.partial)
            // Both models timed in interleaved rounds, so other load on the machine falls on both alike.
            let timings = try latency([files.fp32.partial, files.int8.partial], kind)
            report.fp32.latency = timings[0]
            var int8 = Report.Variant(file: files.int8.partial, bytes: fileSize(files.int8.partial), latency: timings[1])
            (int8.accuracy, int8.samples) = try score(kind, files.int8.partial, name: "INT8", log: log)
            if options.sensitivity && kind.hasClassAxis {
                report.sensitivity = try INT8Quantization.sensitivity(kind.model, plan: plan, ranges: ranges,
                                                                      activationType: options.quantization.activationType,
                                                                      batches: Array(batches.prefix(2)), output: kind.output,
                                                                      threads: options.threads)
                    .map { Report.Layer(name: $0.name, opType: $0.opType, frameDisagreement: $0.frameDisagreement, maxAbsDiff: Double($0.maxAbsDiff)) }
            }
            let drop = ((report.fp32.accuracy ?? 0) - (int8.accuracy ?? 0)) * 100
            report.accuracyDropPoints = drop
            report.int8Accepted = drop <= options.maxAccuracyDrop
            int8.file = report.int8Accepted! ? files.int8.final : files.int8.rejected
            report.int8 = int8
        }
        try files.commit(report)
        return report
    }

    // MARK: - measurements

    private func score(_ kind: any ExportKind, _ path: String, name: String, log: (String) -> Void) throws -> (Double, Int) {
        let s = try kind.score(modelAt: path, data: options.evalData)
        log("\(kind.metric) of the \(name) model: " + String(format: "%.2f%%", s.value * 100) + " (\(s.samples) samples"
            + (s.notScored > 0 ? ", \(s.notScored) unreadable left out" : "") + ")")
        return (s.value, s.samples)
    }

    /// Median milliseconds per sample at the kind's batch sizes and input sizes (C x H x W) on
    /// random input, one list per model.
    private func latency(_ paths: [String], _ kind: any ExportKind) throws -> [[Report.Latency]] {
        var timing = OnnxLatency.Options()
        timing.threads = options.threads
        timing.batches = kind.latencyBatches
        var result = [[Report.Latency]](repeating: [], count: paths.count)
        for shape in kind.latencyShapes {
            for (m, figures) in try OnnxLatency.measure(paths, shape: shape, options: timing).enumerated() {
                result[m] += figures.map {
                    Report.Latency(batch: $0.batch, msPerLine: $0.msPerLine, linesPerSecond: $0.linesPerSecond,
                                   input: kind.latencyShapes.count > 1 ? shape : nil)
                }
            }
        }
        return result
    }

    private func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }
}
