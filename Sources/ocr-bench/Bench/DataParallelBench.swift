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
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("ocr-train").path
        guard FileManager.default.isExecutableFile(atPath: exe) else {
            throw ValidationError("\(exe) not found: build it first (swift build -c release --product ocr-train)")
        }
        print("OCRKit data-parallel benchmark - \(config), global batch \(batch), \(threads) threads in all, "
              + "\(steps) timed steps after \(warmup) warm-up")
        print("layout                        samples/s   ms/step")
        var all: [String: Double] = [:]
        for procs in [1, nproc] {
            let name = "\(procs)x\(threads / procs)"
            let (perSecond, stepMs) = try measure(exe, procs: procs)
            print("\(procs) process(es) x \(threads / procs) thread(s)".padding(toLength: 28, withPad: " ", startingAt: 0)
                  + String(format: "  %9.1f  %8.0f", perSecond, stepMs))
            all[name + ".samples_per_s"] = perSecond
        }
        try BenchResults.compareAndSave(all, to: results)
    }

    /// Trains `warmup + steps` steps with `procs` ranks; samples/s and ms per step over the timed steps.
    private func measure(_ exe: String, procs: Int) throws -> (Double, Double) {
        let runDir = FileManager.default.temporaryDirectory.appendingPathComponent("ocrkit-bench-ddp-\(procs)-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: runDir) }
        // Progress lines (stderr) are kept for the error message only.
        let (status, out) = try ProcessStats.run(exe, [
            "-c", config, "--nproc", "\(procs)", "-o", "Global.max_steps=\(warmup + steps)", "Global.print_batch_step=1",
            "Global.threads=\(threads / procs)", "Global.save_model_dir=\(runDir)", "Train.loader.batch_size_per_card=\(batch / procs)",
        ], mergingErrors: true)
        guard status == 0 else { throw ValidationError("ocr-train --nproc \(procs) failed (exit \(status)):\n\(out)") }
        // Rank 0's step events: samples_per_s counts every rank's samples of that step.
        let lines = try String(contentsOfFile: runDir + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        let seconds: [Double] = lines.compactMap { line in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], o["event"] as? String == "step",
                  let step = o["step"] as? Int, step > warmup, let rate = o["samples_per_s"] as? Double, rate > 0 else { return nil }
            return Double(batch) / rate
        }
        guard seconds.count == steps else { throw ValidationError("ocr-train --nproc \(procs): \(seconds.count) timed steps in \(runDir)/metrics.jsonl, expected \(steps)") }
        let total = seconds.reduce(0, +)
        return (Double(seconds.count * batch) / total, total / Double(seconds.count) * 1000)
    }
}
