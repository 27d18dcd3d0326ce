import ArgumentParser
import Foundation
import OCRCLI
import OCRRun
import OCRTrain

/// `ocr-train -c CONFIG.yml [-o Key.sub=value ...]`: trains a recogniser. Ctrl-C or SIGTERM writes
/// a checkpoint (latest.h5) and exits cleanly; resume with -o Global.checkpoints=RUN/latest.h5.
@main
struct OCRTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr-train",
        abstract: "Train or fine-tune a CRNN/SVTR text recogniser from a YAML config.",
        discussion: """
        The run directory (Global.save_model_dir) receives config.yml (the resolved config), metrics.jsonl,
        latest.h5 and best.h5. Resume: -o Global.checkpoints=RUN/latest.h5. Fine-tune: -o Global.pretrained_model=CKPT.h5.
        """)

    @OptionGroup var options: ConfigOptions

    static func main() {
        ProcessSetup.prepare()
        main(nil)
    }

    func run() throws {
        let run = try RecognitionRunConfig(path: options.config, overrides: options.override)
        let printer = try ProgressPrinter(jsonlPath: run.global.saveModelDir + "/metrics.jsonl")
        let stop = StopFlag()
        let signals = stop.installSignalHandlers()
        let trainer = try run.makeTrainer(events: printer.handle)
        let progress = try trainer.run(stop: stop, events: printer.handle)
        withExtendedLifetime(signals) {}
        if let best = progress.bestMetric {
            printer.line("best \(run.metric.mainIndicator ?? "acc") " + String(format: "%.4f", best)
                         + " at step \(progress.bestStep): \(run.global.saveModelDir)/best.h5")
        }
    }
}
