import Foundation

/// One real `ocr-train` run (built next to this executable), read back from its metrics.jsonl:
/// the benches that compare process layouts time training as a user runs it, every rank's data
/// loading and the gradient all-reduce included.
struct TrainingRun {
    /// `ocr-train` beside this executable.
    static func executable() throws -> String {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("ocr-train").path
        guard FileManager.default.isExecutableFile(atPath: exe) else {
            throw BenchError("\(exe) not found: build it first (swift build -c release --product ocr-train)")
        }
        return exe
    }

    /// Seconds of each step after `warmup`, for `steps` steps of `batch` images in all (over every
    /// rank): `ocr-train -c config` + `layout` (e.g. `--nproc 1`; none: the defaults) + overrides.
    static func stepSeconds(config: String, layout: [String], overrides: [String], batch: Int, warmup: Int, steps: Int) throws -> [Double] {
        let runDir = FileManager.default.temporaryDirectory.appendingPathComponent("ocrkit-bench-run-\(getpid())-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: runDir) }
        // Progress lines (stderr) are kept for the error message only.
        let (status, out) = try ProcessStats.run(try executable(), ["-c", config] + layout + [
            "-o", "Global.max_steps=\(warmup + steps)", "Global.print_batch_step=1", "Global.save_model_dir=\(runDir)",
            "Global.eval_batch_step=[100000, 100000]",
        ] + overrides, mergingErrors: true)
        let name = "ocr-train " + (layout.isEmpty ? "(defaults)" : layout.joined(separator: " "))
        guard status == 0 else { throw BenchError("\(name) failed (exit \(status)):\n\(out)") }
        // Rank 0's step events: samples_per_s counts every rank's samples of that step.
        let lines = try String(contentsOfFile: runDir + "/metrics.jsonl", encoding: .utf8).split(separator: "\n")
        let seconds: [Double] = lines.compactMap { line in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], o["event"] as? String == "step",
                  let step = o["step"] as? Int, step > warmup, let rate = o["samples_per_s"] as? Double, rate > 0 else { return nil }
            return Double(batch) / rate
        }
        guard seconds.count == steps else { throw BenchError("\(name): \(seconds.count) timed steps in \(runDir)/metrics.jsonl, expected \(steps)") }
        return seconds
    }
}

/// Step times summarised: throughput over all timed steps and the spread of single steps.
struct StepStats {
    var samplesPerSecond: Double, msPerStep: Double
    var p10Ms: Double, p50Ms: Double, p90Ms: Double
    /// p90 / p10 of the step time: 1 is perfectly steady.
    var spread: Double { p90Ms / p10Ms }

    init(seconds: [Double], batch: Int) {
        let total = seconds.reduce(0, +)
        samplesPerSecond = Double(seconds.count * batch) / total
        msPerStep = total / Double(seconds.count) * 1000
        let sorted = seconds.sorted()
        func q(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int((p * Double(sorted.count - 1)).rounded()))] * 1000 }
        (p10Ms, p50Ms, p90Ms) = (q(0.1), q(0.5), q(0.9))
    }
}
