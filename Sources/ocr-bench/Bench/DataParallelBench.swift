import ArgumentParser
import Foundation

/// `ocr-bench data-parallel`: the same training at the same global batch on the same cores, as
/// one process with all the threads and as `ocr-train --nproc N` with cores / N threads per rank.
/// Each layout runs the real `ocr-train` (built next to this executable) and is read back from its
/// metrics.jsonl, so the figure includes the gradient all-reduce and every rank's data loading.
struct DataParallelBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data-parallel",
        abstract: "Training samples/s: 1 process x T threads vs N processes x T/N threads (ocr-train --nproc N).")

    @Option(help: "Training config (the loader's batch size is replaced by --batch).")
    var config = "configs/bench/crnn_mv3_train.yml"
    @Option(help: "Global batch: every layout trains on this many images per step.") var batch = 64
    @Option(help: "LibTorch threads in all: one process gets them all, each of N ranks T/N.") var threads = 2
    @Option(help: "Ranks of the data-parallel layout.") var nproc = 2
    @Option(help: "Timed steps, after the warm-up steps.") var steps = 8
    @Option(help: "Untimed warm-up steps.") var warmup = 3
    @Option(help: "Where the figures are written as JSON (and read back next time for comparison).")
    var results = "bench-results/data-parallel.json"

    func validate() throws {
        guard nproc >= 2 else { throw ValidationError("--nproc must be at least 2 (the single-process layout always runs)") }
        guard batch % nproc == 0 else { throw ValidationError("--batch \(batch) must divide into --nproc \(nproc) equal shares") }
        guard threads >= nproc, threads % nproc == 0 else {
            throw ValidationError("--threads \(threads) must be a multiple of --nproc \(nproc) (each rank gets threads / nproc)")
        }
    }

    func run() throws {
        print("OCRKit data-parallel benchmark - \(config), global batch \(batch), \(threads) threads in all, "
              + "\(steps) timed steps after \(warmup) warm-up")
        print("layout                        samples/s   ms/step")
        var all: [String: Double] = [:]
        for procs in [1, nproc] {
            let name = "\(procs)x\(threads / procs)"
            let seconds = try TrainingRun.stepSeconds(config: config, layout: ["--nproc", "\(procs)"], overrides: [
                "Global.threads=\(threads / procs)", "Train.loader.batch_size_per_card=\(batch / procs)",
            ], batch: batch, warmup: warmup, steps: steps)
            let s = StepStats(seconds: seconds, batch: batch)
            print("\(procs) process(es) x \(threads / procs) thread(s)".padding(toLength: 28, withPad: " ", startingAt: 0)
                  + String(format: "  %9.1f  %8.0f", s.samplesPerSecond, s.msPerStep))
            all[name + ".samples_per_s"] = s.samplesPerSecond
        }
        try BenchResults.compareAndSave(all, to: results)
    }
}
