import Foundation
import OCRData
import OCRExport
import OCRInference
import OCRModels
import OCRRun
import Torch

/// `ocr-export`: a checkpoint to a deployable ONNX model, and optionally an INT8 one, each checked
/// before it is written under its final name:
///
/// 1. export (BatchNorm folded), then the parity check - LibTorch's eval-mode logits against ONNX
///    Runtime's on random inputs (several batch sizes and widths) and on real prepared lines;
///    more than `parityLimit` apart and the export fails (`model.rejected.onnx` is kept to inspect);
/// 2. INT8: activation ranges observed over `calibrationImages` lines prepared exactly as in
///    training (augmentation off), QDQ rewrite, per-layer sensitivity;
/// 3. accuracy FP32 vs INT8 on the evaluation data, latency at batch 1 and 8, file sizes;
///    an INT8 model losing more than `maxAccuracyDrop` points is written as
///    `model.int8.rejected.onnx`, not as `model.int8.onnx`, and the job reports failure.
public struct ExportJob {
    public struct Options {
        public var out: String
        public var int8 = false
        /// Label files / .h5 packs for calibration; nil: the config's Train data, augmentation off.
        public var calibrationData: [String]?
        public var calibrationImages = 256
        public var quantization = QuantizationOptions()
        /// Largest accepted loss of line accuracy, in points.
        public var maxAccuracyDrop = 0.5
        /// Label files / .h5 packs to measure accuracy on; nil: the config's Eval data.
        public var evalData: [String]?
        public var foldBatchNorm = true
        public var parityLimit = 1e-4
        public var threads = 2
        public var sensitivity = true
        public init(out: String) { self.out = out }
    }

    /// Everything the job measured, written as export-report.json / .md.
    public struct Report: Codable {
        public struct Latency: Codable { public var batch: Int; public var msPerLine: Double; public var linesPerSecond: Double }
        public struct Variant: Codable {
            public var file: String
            public var bytes: Int
            public var lineAccuracy: Double?
            public var latency: [Latency]
        }
        public struct Layer: Codable { public var name: String; public var opType: String; public var frameDisagreement: Double; public var maxAbsDiff: Double }
        public var checkpoint: String
        public var parity: [String]
        public var parityMaxAbsDiff: Double
        public var fp32: Variant
        public var int8: Variant?
        public var calibration: String?
        public var accuracyDropPoints: Double?
        public var int8Accepted: Bool?
        public var sensitivity: [Layer] = []
    }

    public let config: RecognitionRunConfig
    public let checkpoint: String
    public let options: Options

    public init(config: RecognitionRunConfig, checkpoint: String, options: Options) {
        self.config = config
        self.checkpoint = checkpoint
        self.options = options
    }

    public func run(log: (String) -> Void) throws -> Report {
        let fm = FileManager.default
        try fm.createDirectory(atPath: options.out, withIntermediateDirectories: true)
        let fp32Path = options.out + "/model.onnx", int8Path = options.out + "/model.int8.onnx"
        Torch.threads = options.threads

        // 1. export + parity (random inputs, then real prepared lines)
        let (model, recognizer) = try RecognizerExporter.export(checkpointAt: checkpoint, config: config,
                                                                options: ExportOptions(foldBatchNorm: options.foldBatchNorm))
        let candidate = options.out + "/model.rejected.onnx"
        try model.write(to: candidate)
        let info = try RecognitionModelInfo(session: InferenceSession(path: candidate))
        let real = try prepared(OnnxEvaluation.loader(for: info, config: config.evalSettings, data: options.evalData), images: 1)
        let parity = try ParityCheck.run(modelAt: candidate, against: recognizer, realInputs: real.map { try Tensor($0.values, shape: $0.shape) },
                                         limit: options.parityLimit)
        log(parity.description)
        try parity.requirePassed()
        try replace(fp32Path, with: candidate)
        log("wrote \(fp32Path) (\(fileSize(fp32Path)) bytes)")

        var report = Report(checkpoint: checkpoint, parity: parity.description.split(separator: "\n").map(String.init),
                            parityMaxAbsDiff: parity.maxAbsDiff,
                            fp32: .init(file: fp32Path, bytes: fileSize(fp32Path), lineAccuracy: nil, latency: []))
        report.fp32.lineAccuracy = try accuracy(fp32Path, log: log)
        if !options.int8 { report.fp32.latency = try latency([fp32Path], info: info)[0] }

        // 2. INT8
        if options.int8 {
            var calibrationSection = config.train
            calibrationSection.dataset.transforms.augment = nil
            let calibrationLoader = try OnnxEvaluation.loader(for: info, config: config.evalSettings, data: options.calibrationData,
                                                              section: options.calibrationData == nil ? calibrationSection : nil)
            let batches = try prepared(calibrationLoader, images: options.calibrationImages)
            guard !batches.isEmpty else { throw QuantizationError("the calibration data gave no lines") }
            let images = batches.reduce(0) { $0 + $1.shape[0] }
            report.calibration = "\(options.quantization.method), \(images) lines from "
                + (options.calibrationData?.joined(separator: ", ") ?? "the config's Train data (augmentation off)")
                + ", activations \(options.quantization.activationType.rawValue)"
                + (options.quantization.keepFloat.isEmpty ? "" : ", float: " + options.quantization.keepFloat.joined(separator: ", "))
            log("calibrating: \(report.calibration!)")
            let (quantized, plan, ranges) = try INT8Quantization.quantize(model, calibration: batches,
                                                                          options: options.quantization, threads: options.threads)
            let rejected = options.out + "/model.int8.rejected.onnx"
            try quantized.write(to: rejected)
            // Both models timed in interleaved rounds, so other load on the machine falls on both alike.
            let timings = try latency([fp32Path, rejected], info: info)
            report.fp32.latency = timings[0]
            var int8 = Report.Variant(file: rejected, bytes: fileSize(rejected), lineAccuracy: try accuracy(rejected, log: log),
                                      latency: timings[1])
            if options.sensitivity {
                let sample = Array(batches.prefix(2))
                report.sensitivity = try INT8Quantization.sensitivity(model, plan: plan, ranges: ranges,
                                                                      activationType: options.quantization.activationType,
                                                                      batches: sample, threads: options.threads)
                    .map { Report.Layer(name: $0.name, opType: $0.opType, frameDisagreement: $0.frameDisagreement, maxAbsDiff: Double($0.maxAbsDiff)) }
            }
            let drop = ((report.fp32.lineAccuracy ?? 0) - (int8.lineAccuracy ?? 0)) * 100
            report.accuracyDropPoints = drop
            report.int8Accepted = drop <= options.maxAccuracyDrop
            if report.int8Accepted! {
                try replace(int8Path, with: rejected)
                int8.file = int8Path
            } else {
                try? fm.removeItem(atPath: int8Path)        // an older accepted INT8 model is not this checkpoint's
            }
            report.int8 = int8
        }
        try write(report)
        return report
    }

    // MARK: - measurements

    private func accuracy(_ path: String, log: (String) -> Void) throws -> Double {
        let result = try OnnxEvaluation.run(model: path, config: config.evalSettings, data: options.evalData, worstImages: 0) { _ in }
        let acc = result.metrics.overall.lineAccuracy
        log("line accuracy of \(URL(fileURLWithPath: path).lastPathComponent): " + String(format: "%.2f%%", acc * 100)
            + " (\(result.metrics.overall.samples) lines)")
        return acc
    }

    /// Median milliseconds per line at batch 1 and 8 on random input of the model's input size,
    /// one list per model.
    private func latency(_ paths: [String], info: RecognitionModelInfo) throws -> [[Report.Latency]] {
        var timing = OnnxLatency.Options()
        timing.threads = options.threads
        return try OnnxLatency.measure(paths, shape: info.resize.imageShape, options: timing).map { figures in
            figures.map { Report.Latency(batch: $0.batch, msPerLine: $0.msPerLine, linesPerSecond: $0.linesPerSecond) }
        }
    }

    /// Up to `images` prepared lines, in the loader's batches.
    private func prepared(_ loader: LineLoader, images: Int) throws -> [FloatTensor] {
        let stream = LineBatchStream(loader)
        try stream.start(epoch: 0, skipping: 0)
        defer { stream.close() }
        var out: [FloatTensor] = [], count = 0
        while count < images, let b = try stream.next() {
            out.append(try FloatTensor(b.pixels, shape: b.shape))
            count += b.batch
        }
        return out
    }

    // MARK: - files

    /// Renames `candidate` to `path` in one step (POSIX rename), replacing an older file.
    private func replace(_ path: String, with candidate: String) throws {
        guard rename(candidate, path) == 0 else {
            throw QuantizationError("cannot rename \(candidate) to \(path): \(String(cString: strerror(errno)))")
        }
    }

    private func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    private func write(_ report: Report) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(report).write(to: URL(fileURLWithPath: options.out + "/export-report.json"), options: .atomic)
        try report.markdown().write(toFile: options.out + "/export-report.md", atomically: true, encoding: .utf8)
    }
}

extension ExportJob.Report {
    /// The report as Markdown (export-report.md); the terminal shows the same table.
    public func markdown() -> String {
        func pct(_ v: Double?) -> String { v.map { String(format: "%.2f%%", $0 * 100) } ?? "-" }
        func speedup(_ b: Int) -> Double {
            let f = fp32.latency.first { $0.batch == b }?.msPerLine ?? 0, q = int8?.latency.first { $0.batch == b }?.msPerLine ?? 0
            return q > 0 ? f / q : 0
        }
        func ms(_ v: Variant, _ b: Int) -> String {
            v.latency.first { $0.batch == b }.map { String(format: "%.2f ms (%.0f lines/s)", $0.msPerLine, $0.linesPerSecond) } ?? "-"
        }
        var lines = ["# Export of \(checkpoint)", "", "Parity (max |logits diff|, ONNX Runtime vs LibTorch):", ""]
        lines += parity.map { "    " + $0 }
        lines += ["", "| model | file | size | line accuracy | batch 1, per line | batch 8, per line |", "|---|---|---|---|---|---|"]
        var variants = [("FP32", fp32)]
        if let int8 { variants.append(("INT8", int8)) }
        for (name, v) in variants {
            lines.append("| \(name) | \(v.file) | \(String(format: "%.2f MB", Double(v.bytes) / 1e6)) | \(pct(v.lineAccuracy)) | \(ms(v, 1)) | \(ms(v, 8)) |")
        }
        if let int8, let drop = accuracyDropPoints, let accepted = int8Accepted {
            lines += ["", "INT8: " + String(format: "%.1f%% of the FP32 file, %.2f points of line accuracy lost, ", Double(int8.bytes) / Double(fp32.bytes) * 100, drop)
                      + String(format: "%.2fx / %.2fx the FP32 speed at batch 1 / 8", speedup(1), speedup(8))
                      + (accepted ? " - accepted." : " - REJECTED (more than the allowed drop): kept as \(int8.file), not as model.int8.onnx.")]
            if let calibration { lines.append("Calibration: \(calibration).") }
        }
        if !sensitivity.isEmpty {
            lines += ["", "Most sensitive layers (each quantised alone; share of frames whose best class changes):", "",
                      "| layer | op | frames changed | max abs diff |", "|---|---|---|---|"]
            lines += sensitivity.prefix(10).map { "| \($0.name) | \($0.opType) | " + String(format: "%.2f%% | %.4f |", $0.frameDisagreement * 100, $0.maxAbsDiff) }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
