import ArgumentParser
import Foundation
import OCRData
import OCRTrain

/// `ocr-bench training`: recognition training measured end to end - lines rendered on the fly,
/// augmented, batched by the loader's workers, and trained on - for CRNN and SVTR-Tiny at
/// 32x320 and 48x320. Each case runs in a child process so its peak memory is its own.
struct TrainingBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "training",
        abstract: "Training samples/s end to end, the loader alone (lines/s), data-wait share and peak RSS, CRNN and SVTR.")

    @Option(parsing: .upToNextOption, help: "Cases: MODEL-HxW, MODEL crnn or svtr.")
    var cases = ["crnn-32x320", "crnn-48x320", "svtr-32x320", "svtr-48x320"]
    @Option(help: "Images per step.") var batch = 64
    @Option(help: "Timed training steps per case, after the warm-up steps.") var steps = 8
    @Option(help: "Untimed warm-up steps (allocator, thread pools, loader prefetch).") var warmup = 3
    @Option(help: "Intra-op threads.") var threads = 2
    @Option(help: "Batches the loader builds on its own, timed.") var loaderBatches = 12
    @Option(help: "Folder of the bench configs.") var configs = "configs/bench"
    @Option(help: "Where the figures are written as JSON (and read back next time for comparison).")
    var results = "bench-results/training.json"
    @Option(help: .hidden) var child: String?

    struct Figures: Codable {
        var samplesPerSecond: Double, stepMs: Double, dataWaitShare: Double, loaderLinesPerSecond: Double
        var peakRSSMiB: Double, loaderWorkers: Int
    }

    func run() throws {
        if let child {
            let figures = try measure(try BenchCase(child))
            print(String(decoding: try JSONEncoder().encode(figures), as: UTF8.self))
            return
        }
        print("OCRKit training benchmark - batch \(batch), \(threads) threads, \(steps) timed steps after \(warmup) warm-up; "
              + "lines rendered on the fly (configs in \(configs)/)")
        print("case            samples/s   ms/step  data-wait  loader lines/s  peak RSS")
        var all: [String: Double] = [:]
        for name in cases {
            let f = try runChild(name)
            print(name.padding(toLength: 14, withPad: " ", startingAt: 0)
                  + String(format: "  %9.1f  %8.0f  %8.1f%%  %14.0f  %6.0f MiB", f.samplesPerSecond, f.stepMs,
                           f.dataWaitShare * 100, f.loaderLinesPerSecond, f.peakRSSMiB))
            all[name + ".samples_per_s"] = f.samplesPerSecond
            all[name + ".data_wait_pct"] = f.dataWaitShare * 100
            all[name + ".loader_lines_per_s"] = f.loaderLinesPerSecond
            all[name + ".peak_rss_mib"] = f.peakRSSMiB
        }
        print("targets: CRNN 3x32x320 batch 64 >= 21 samples/s end to end (a PyTorch 2.x eager twin with a two-worker "
              + "DataLoader: ~16); data-wait < 10% of step time")
        try BenchResults.compareAndSave(all, to: results)
    }

    /// One case in a fresh process (`--child NAME`): its last output line is the JSON figures.
    private func runChild(_ name: String) throws -> Figures {
        try ProcessStats.runChild(["training", "--child", name, "--batch", "\(batch)", "--steps", "\(steps)", "--warmup", "\(warmup)",
                                   "--threads", "\(threads)", "--loader-batches", "\(loaderBatches)", "--configs", configs], name: name)
    }

    private func measure(_ c: BenchCase) throws -> Figures {
        let runDir = FileManager.default.temporaryDirectory.appendingPathComponent("ocrkit-bench-\(c.name)-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: runDir) }
        let config = try RecognitionRunConfig(path: "\(configs)/\(c.model.configFile)", overrides: [
            "Global.max_steps=\(warmup + steps)", "Global.print_batch_step=1", "Global.threads=\(threads)",
            "Global.save_model_dir=\(runDir)", "Train.loader.batch_size_per_card=\(batch)",
            "Train.dataset.transforms=[{RecResizeImg: {image_shape: [3, \(c.height), \(c.width)]}}]",
        ])

        // The loader on its own: render, augment, resize and batch.
        let charset = try config.charset()
        let stream = LineBatchStream(try config.makeLoader(config.train, charset: charset, seed: 1))
        try stream.start(epoch: 0, skipping: 0)
        _ = try stream.next()                                           // workers started, prefetch filling
        let t0 = ProcessStats.now()
        for _ in 0..<loaderBatches { _ = try stream.next() }
        let loaderRate = Double(loaderBatches * batch) / (ProcessStats.now() - t0)
        stream.close()

        // Training end to end; one step event per step.
        var events: [TrainEvent.Step] = []
        let trainer = try config.makeTrainer { _ in }
        _ = try trainer.run { if case .step(let s) = $0 { events.append(s) } }
        let timed = events.filter { $0.step > warmup }
        guard !timed.isEmpty else { throw ValidationError("bench case \(c.name): no timed steps") }
        let seconds = timed.map { Double(batch) / $0.samplesPerSecond }
        let total = seconds.reduce(0, +)
        let waited = zip(timed, seconds).map { $0.dataWaitShare * $1 }.reduce(0, +)
        return Figures(samplesPerSecond: Double(timed.count * batch) / total, stepMs: total / Double(timed.count) * 1000,
                       dataWaitShare: waited / total, loaderLinesPerSecond: loaderRate,
                       peakRSSMiB: ProcessStats.peakResidentMiB(), loaderWorkers: config.train.loader.workers)
    }
}

/// `crnn-32x320`: a model and an input size.
struct BenchCase {
    enum Model: String { case crnn, svtr
        var configFile: String { self == .crnn ? "crnn_mv3_train.yml" : "svtr_tiny_train.yml" }
    }
    let name: String, model: Model, height: Int, width: Int

    init(_ name: String) throws {
        let parts = name.split(separator: "-")
        let size = parts.count == 2 ? parts[1].split(separator: "x").compactMap { Int($0) } : []
        guard parts.count == 2, let model = Model(rawValue: String(parts[0])), size.count == 2 else {
            throw ValidationError("bench case '\(name)': expected MODEL-HxW with MODEL crnn or svtr, e.g. crnn-32x320")
        }
        (self.name, self.model, height, width) = (name, model, size[0], size[1])
    }
}
