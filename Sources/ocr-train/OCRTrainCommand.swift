import ArgumentParser
import Foundation
import OCRCLI
import OCRRun
import OCRTrain

/// `ocr-train -c CONFIG.yml [-o Key.sub=value ...]`: trains the model `Architecture.model_type` names (rec, cls, det). Ctrl-C or SIGTERM writes
/// a checkpoint (latest.h5) and exits cleanly; resume with -o Global.checkpoints=RUN/latest.h5.
@main
struct OCRTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr-train",
        abstract: "Train or fine-tune a recogniser (CRNN/SVTR), a text-line angle classifier or a DB text detector from a YAML config.",
        discussion: """
        The run directory (Global.save_model_dir) receives config.yml (the resolved config), metrics.jsonl,
        latest.h5 and best.h5. Resume: -o Global.checkpoints=RUN/latest.h5. Fine-tune: -o Global.pretrained_model=CKPT.h5
        (or a PaddleOCR .onnx file). `ocr-train import MODEL.onnx -c CFG --out CKPT.h5` converts a PaddleOCR model.
        """,
        subcommands: [ImportCommand.self])

    @OptionGroup var options: ConfigOptions

    static func main() {
        ProcessSetup.prepare()
        main(nil)
    }

    func run() throws {
        let base = try RunConfig(path: options.config, overrides: options.override)
        let printer = try ProgressPrinter(jsonlPath: base.global.saveModelDir + "/metrics.jsonl")
        let stop = StopFlag()
        let signals = stop.installSignalHandlers()
        defer { withExtendedLifetime(signals) {} }
        // Architecture.model_type picks the task; the engine is the same.
        let (progress, indicator): (TrainingProgress, String)
        switch base.task {
        case .rec:
            let run = try RecognitionRunConfig(base)
            progress = try run.makeTrainer(events: printer.handle).run(stop: stop, events: printer.handle)
            indicator = (run.metric.mainIndicator ?? .acc).rawValue
        case .cls:
            let run = try ClassificationRunConfig(base)
            progress = try run.makeTrainer(events: printer.handle).run(stop: stop, events: printer.handle)
            indicator = "acc"
        case .det:
            let run = try DetectionRunConfig(base)
            progress = try run.makeTrainer(events: printer.handle).run(stop: stop, events: printer.handle)
            indicator = "hmean"
        }
        if let best = progress.bestMetric {
            printer.line("best \(indicator) " + String(format: "%.4f", best)
                         + " at step \(progress.bestStep): \(base.global.saveModelDir)/best.h5")
        }
    }
}
