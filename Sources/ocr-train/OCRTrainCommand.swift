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
        Data parallel: --nproc N, or torchrun --no-python --nproc_per_node N ocr-train -c ... (OCRKIT_DIST_TIMEOUT: seconds, default 1800).
        """,
        subcommands: [ImportCommand.self])

    @OptionGroup var options: ConfigOptions

    @Option(help: ArgumentHelp("Train data-parallel on N local processes (Gloo; NCCL, rank r on cuda:r, when Global.device is cuda); the global batch is N x batch_size_per_card. "
                               + "Workers get torchrun's RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT: one started by torchrun joins the same way.",
                               valueName: "N"))
    var nproc = 1

    func validate() throws {
        guard nproc >= 1 else { throw ValidationError("--nproc must be at least 1, got \(nproc)") }
    }

    static func main() {
        ProcessSetup.prepare()
        main(nil)
    }

    func run() throws {
        if nproc > 1 {
            let config = try RunConfig(path: options.config, overrides: options.override)   // a bad config fails once, here
            _ = try config.global.trainingDevice(localRank: 0)                             // and so does a GPU this build lacks
            let threads = max(1, ProcessInfo.processInfo.activeProcessorCount / nproc)
            let args = DataParallelLauncher.workerArguments(Array(CommandLine.arguments.dropFirst()), threads: threads)
            return try DataParallelLauncher.run(nproc: nproc, arguments: args, threadsPerRank: threads) {
                FileHandle.standardError.write(Data(($0 + "\n").utf8))
            }
        }
        let base = try RunConfig(path: options.config, overrides: options.override)
        // torchrun's environment; nil alone. Ranks training on GPUs join over NCCL.
        let env = ProcessInfo.processInfo.environment
        DataParallel.process = try DataParallel.join(environment: env, backend: base.global.processGroupBackend(environment: env))
        let leader = DataParallel.process?.isLeader ?? true
        let printer = try ProgressPrinter(jsonlPath: leader ? base.global.saveModelDir + "/metrics.jsonl" : nil)
        let events = DataParallel.leaderOnly(printer.handle)
        let stop = StopFlag()
        let signals = stop.installSignalHandlers()
        defer { withExtendedLifetime(signals) {} }
        // Architecture.model_type picks the task; the engine is the same.
        let (progress, indicator): (TrainingProgress, String)
        switch base.task {
        case .rec:
            let run = try RecognitionRunConfig(base)
            progress = try run.makeTrainer(events: events).run(stop: stop, events: events)
            indicator = (run.metric.mainIndicator ?? .acc).rawValue
        case .cls:
            let run = try ClassificationRunConfig(base)
            progress = try run.makeTrainer(events: events).run(stop: stop, events: events)
            indicator = "acc"
        case .det:
            let run = try DetectionRunConfig(base)
            progress = try run.makeTrainer(events: events).run(stop: stop, events: events)
            indicator = "hmean"
        }
        if let best = progress.bestMetric {
            printer.line("best \(indicator) " + String(format: "%.4f", best)
                         + " at step \(progress.bestStep): \(base.global.saveModelDir)/best.h5")
        }
    }
}
