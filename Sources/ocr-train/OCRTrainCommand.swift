import ArgumentParser
import Foundation
import OCRCLI
import OCRRun
import OCRTrain
import Torch

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

    @Option(help: ArgumentHelp("Local processes: auto (default) runs 2 single-threaded ranks that split each step's batch on a "
                               + "machine with 2+ cores - the same samples per step as one process, faster and steadier under load; "
                               + "1: one process with all the threads (as is auto with -o Global.threads=N); N: PaddleOCR's multi-card launch, N ranks of "
                               + "batch_size_per_card each (global batch N x). A worker started by torchrun (RANK, WORLD_SIZE, "
                               + "MASTER_ADDR, MASTER_PORT) joins its job instead. With Global.device cuda, auto is one process and "
                               + "--nproc N puts rank r on cuda:r over NCCL.",
                               valueName: "auto|N"))
    var nproc: ProcessCount = .auto

    enum ProcessCount: ExpressibleByArgument, Equatable {
        case auto, count(Int)
        init?(argument: String) {
            if argument == "auto" { self = .auto } else if let n = Int(argument), n >= 1 { self = .count(n) } else { return nil }
        }
        static var defaultValueDescription: String { "auto" }
    }

    static func main() {
        ProcessSetup.prepare()
        main(nil)
    }

    func run() throws {
        let base = try RunConfig(path: options.config, overrides: options.override)   // a bad config fails once, here
        if let layout = try layout(base), layout.ranks > 1 {
            FileHandle.standardError.write(Data("ocr-train: \(layout) (\(layout.reason); --nproc 1 for one process)\n".utf8))
            let args = DataParallelLauncher.workerArguments(Array(CommandLine.arguments.dropFirst()), layout: layout)
            return try DataParallelLauncher.run(nproc: layout.ranks, arguments: args, threadsPerRank: layout.threadsPerRank) {
                FileHandle.standardError.write(Data(($0 + "\n").utf8))
            }
        }
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

    /// The local layout to launch, or nil when this process is a worker (torchrun's environment,
    /// or a rank `--nproc` started).
    private func layout(_ config: RunConfig) throws -> LocalLayout? {
        if ProcessInfo.processInfo.environment["WORLD_SIZE"] != nil { return nil }
        let device = try config.global.trainingDevice(localRank: 0)                    // a GPU this build lacks fails here too
        let cores = ProcessInfo.processInfo.activeProcessorCount
        switch nproc {
        case .count(let n): return .explicit(ranks: n, cores: cores)
        case .auto where device != .cpu:
            return .single(cores: cores, reason: "Global.device \(device): one process")
        case .auto:
            let batch = try config.tree.int("Train.loader.batch_size_per_card") ?? 1
            return .automatic(cores: cores, batchSizePerCard: batch,
                              threadsGiven: options.override.contains { $0.hasPrefix("Global.threads=") })
        }
    }
}
