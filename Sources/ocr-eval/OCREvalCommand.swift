import ArgumentParser
import Foundation
import OCRCLI
import OCRData
import OCREval
import OCRRun

/// `ocr-eval -c CONFIG.yml --checkpoint CKPT.h5 [--data LABELS ...]`, for the task the config's
/// `Architecture.model_type` names:
/// - rec: line accuracy (exact and case-insensitive), character accuracy, CER, WER, NED, a
///   breakdown per label file or font, the most frequent confusions and the worst lines;
///   `--checkpoint MODEL.onnx` evaluates an exported recogniser the same way (the config is then optional);
/// - cls: accuracy, per-class recall, the confusion matrix and the most confidently wrong lines;
/// - det: precision, recall and hmean (IoU 0.5, PaddleOCR's DetMetric), per page, the worst pages drawn.
/// Either way with the lines that could not be read, as a table, JSON, Markdown and HTML.
///
/// `--pipeline` scores the whole-page pipeline instead (ONNX Runtime, the models of `ocr predict`:
/// `--models DIR` or `--det/--cls/--rec`) on det label files with transcriptions (`--data`) or a
/// det config's Eval pages (`-c`; rendered `SyntheticPages` pages are grouped by layout):
/// `PageEvaluation`'s end-to-end line accuracy, page CER and detection figures, per group, the
/// worst pages drawn. It lives here, not in the LibTorch-free `ocr`, because a det config's Eval
/// section (paths, seeds, rendered pages) is read by OCRRun's `DetectionRunConfig`.
@main
struct OCREvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr-eval",
        abstract: "Evaluate a recogniser, classifier or detector checkpoint (or an .onnx recogniser), or with --pipeline whole pages read by .onnx models, and write a report (terminal, JSON, Markdown, HTML).")

    // ConfigOptions' two options, with the config optional: an ONNX model describes itself.
    @Option(name: [.customShort("c"), .long], help: "The YAML config (required for a checkpoint; for an .onnx model it supplies Eval data and metric options).")
    var config: String?

    @Option(name: [.customShort("o"), .long], parsing: .upToNextOption, help: "Config overrides, e.g. -o Global.threads=2")
    var override: [String] = []

    static func main() {
        ProcessSetup.prepare()
        main(nil)
    }

    @Option(help: "The checkpoint to evaluate (best.h5 or latest.h5 of a run), or an exported .onnx recogniser (not with --pipeline).")
    var checkpoint: String?

    @Flag(help: "Evaluate the whole-page pipeline (det -> cls -> rec on ONNX Runtime; models as ocr predict's) on det labels with transcriptions (--data) or the det config's Eval pages.")
    var pipeline = false

    @OptionGroup(title: "Page pipeline (--pipeline)") var pageModels: PageModelOptions

    @Flag(help: "--pipeline: the end-to-end score compares lines without spaces (PaddleOCR's ignore_blank); page CER still counts them.")
    var ignoreSpace = false

    @Option(parsing: .upToNextOption, help: "Label files (rec: path<TAB>text or packed .h5; cls: path<TAB>label; det and --pipeline: det label files, path<TAB>[{transcription, points}]); default: the config's Eval data.")
    var data: [String] = []

    @Option(help: "Where report.json, report.md and report.html go (default: eval/ beside the checkpoint; pipeline-eval/ with --pipeline).")
    var out: String?

    @Option(help: "Worst lines listed (with their images in the HTML report).")
    var worst = 20

    @Flag(help: "Use the checkpoint's EMA weights.")
    var ema = false

    var isONNX: Bool { checkpoint?.lowercased().hasSuffix(".onnx") ?? false }

    func validate() throws {
        if pipeline {
            guard checkpoint == nil, !ema else {
                throw ValidationError("--pipeline reads pages with .onnx models: name them with --models DIR or --det/--cls/--rec, not --checkpoint or --ema")
            }
            guard config != nil || !data.isEmpty else { throw ValidationError("--pipeline needs --data DET_LABELS (with transcriptions) or -c DET_CONFIG.yml") }
            return
        }
        let given = pageModels.pageOnlyOptions + (pageModels.rec != nil ? ["--rec"] : []) + (ignoreSpace ? ["--ignore-space"] : [])
        guard given.isEmpty else { throw ValidationError(given.joined(separator: ", ") + " name page pipeline models: add --pipeline") }
        guard let checkpoint else { throw ValidationError("give --checkpoint CKPT.h5 (or MODEL.onnx), or --pipeline") }
        if isONNX {
            guard config != nil || !data.isEmpty else { throw ValidationError("an .onnx model without -c CONFIG needs --data LABELS_OR_H5") }
            guard !ema else { throw ValidationError("--ema applies to checkpoints; an .onnx model holds one set of weights") }
        } else {
            guard config != nil else { throw ValidationError("a checkpoint needs -c CONFIG.yml (its Architecture builds the model)") }
        }
    }

    func run() throws {
        let base = try config.map { try RunConfig(path: $0, overrides: override) }
        if pipeline { return try runPipeline(base) }
        let checkpoint = checkpoint!
        let printer = try ProgressPrinter(jsonlPath: nil)
        let given = data.isEmpty ? nil : data
        let report: any TaskReport
        let speed: Double
        switch base?.task ?? .rec {
        case .rec:
            let run = try base.map(RecognitionRunConfig.init)
            let result = isONNX
                ? try OnnxEvaluation.run(model: checkpoint, config: run?.evalSettings, data: given, worstImages: worst, events: printer.handle)
                : try CheckpointEvaluation.run(run!, checkpoint: checkpoint, data: given, useEMA: ema, worstImages: worst, events: printer.handle)
            var r = EvalReport(title: title, result: result)
            r.worstCount = worst
            (report, speed) = (r, result.samplesPerSecond)
        case .cls:
            let run = try ClassificationRunConfig(base!)
            let result: ClassificationEvaluation
            if isONNX {
                // The exported file's own metadata prepares the samples (as TextClassifier does in deployment).
                guard let section = run.eval ?? (given != nil ? run.train : nil) else {
                    throw TrainError("the config has no Eval section: give --data LABELS (path<TAB>label)")
                }
                let s = run.resolved(try given.map { try EvalData.section(for: $0, like: section) } ?? section)
                result = try OnnxClassification.run(model: checkpoint, section: s, threads: run.global.threads,
                                                    seed: run.global.evalSeed, events: printer.handle)
            } else {
                result = try ClassificationCheckpointEvaluation.run(run, checkpoint: checkpoint, data: given, useEMA: ema,
                                                                    worstImages: worst, events: printer.handle)
            }
            var r = ClassificationReport(title: title, result: result)
            r.worstCount = worst
            (report, speed) = (r, result.samplesPerSecond)
        case .det:
            let run = try DetectionRunConfig(base!)
            guard !isONNX else { throw TrainError("\(checkpoint): evaluating an exported .onnx detector is not built yet; give its checkpoint") }
            let result = try DetectionCheckpointEvaluation.run(run, checkpoint: checkpoint, data: given, useEMA: ema,
                                                               worstImages: worst, events: printer.handle)
            var r = DetectionReport(title: title, result: result)
            r.worstCount = worst
            (report, speed) = (r, result.samplesPerSecond)
        }
        print(report.terminalTable())
        let dir = out ?? ((checkpoint as NSString).deletingLastPathComponent as NSString).appendingPathComponent("eval")
        try report.write(to: dir)
        print("\nreport: \(dir)/report.{json,md,html}  (\(String(format: "%.1f", speed)) \(base?.task == .det ? "pages" : "lines")/s)")
    }

    var title: String { "\(checkpoint ?? "pipeline") on \(data.isEmpty ? "the config's Eval data" : data.joined(separator: ", "))" }

    /// `--pipeline`: every page read by `PageReader`, scored by `PageEvaluation`.
    func runPipeline(_ base: RunConfig?) throws {
        let source: any DetectionSource & DataReporting
        var seed: UInt64 = 0
        if let base {
            let run = try DetectionRunConfig(base)
            guard let section = run.eval ?? (data.isEmpty ? nil : run.train) else {
                throw TrainError("the config has no Eval section: give --data DET_LABELS")
            }
            let s = try data.isEmpty ? section.evaluating : EvalData.section(for: data, like: section)
            // The loader ocr-eval's checkpoint evaluation uses: the same pages (rendered ones included).
            let loader = try run.makeLoader(s, seed: run.global.evalSeed)
            guard let reporting = loader.source as? any DetectionSource & DataReporting else {
                throw TrainError("the Eval source does not report what it leaves out")
            }
            (source, seed) = (reporting, loader.datasetSeed(epoch: 0))
        } else {
            source = try PageEvaluation.source(labelFiles: data)
        }
        let models = try pageModels.pageModels()
        let reader = try pageModels.reader(models)
        let what = "det \(models.detector), cls \(models.classifier ?? "none"), rec \(models.recognizer)"
        FileHandle.standardError.write(Data("evaluating the page pipeline (\(what)) on \(source.count) pages\n".utf8))
        let interactive = isatty(STDERR_FILENO) != 0
        let result = try PageEvaluation.run(reader: reader, source: source, datasetSeed: seed, worstImages: worst,
                                            ignoreSpace: ignoreSpace) { done, total in
            guard interactive || done == total || done % 50 == 0 else { return }
            FileHandle.standardError.write(Data(((interactive ? "\r" : "") + "pages \(done)/\(total)" + (done == total || !interactive ? "\n" : "")).utf8))
        }
        var report = PageReport(title: "page pipeline (\(what)) on \(data.isEmpty ? "the config's Eval pages" : data.joined(separator: ", "))"
                                + (ignoreSpace ? ", end to end without spaces" : ""), result: result)
        report.worstCount = worst
        print(report.terminalTable())
        let dir = out ?? "pipeline-eval"
        try report.write(to: dir)
        print("\nreport: \(dir)/report.{json,md,html}  (\(String(format: "%.2f", result.pagesPerSecond)) pages/s)")
    }
}
