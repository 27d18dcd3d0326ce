import ArgumentParser
import Foundation

/// `ocr-bench load`: training speed on a quiet machine and with a competing load this command
/// starts itself (busy processes, one core's worth each), for OCRKit's default process layout and
/// for one process with all the threads. The question it answers: does training keep going when
/// something else - a build, a second job - takes part of the machine? LibTorch's OpenMP threads
/// meet at a barrier after every op, so a thread that loses its time slice stalls all of them.
struct LoadBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Training samples/s quiet vs with busy processes beside it: the default layout and one process x all threads.")

    @Option(help: "Training config.") var config = "configs/bench/crnn_mv3_train.yml"
    @Option(help: "Images per step (the config's batch_size_per_card is replaced; the default layout splits it over its ranks).")
    var batch = 64
    @Option(help: "Busy processes started beside training for the loaded runs (each keeps one core busy).") var busy = 1
    @Option(help: "Timed steps, after the warm-up steps.") var steps = 12
    @Option(help: "Untimed warm-up steps.") var warmup = 3
    @Option(help: "Target: loaded / quiet samples/s of the default layout.") var target = 0.45
    @Option(help: "Where the figures are written as JSON (and read back next time for comparison).")
    var results = "bench-results/load.json"

    /// The layouts compared: the defaults (no --nproc) and the single process.
    static let layouts: [(name: String, args: [String])] = [("default", []), ("1process", ["--nproc", "1"])]

    func run() throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        var load = [0.0, 0.0, 0.0]
        _ = getloadavg(&load, 3)
        print("OCRKit training under load - \(config), batch \(batch), \(steps) timed steps after \(warmup) warm-up; "
              + "\(cores) cores, load average \(String(format: "%.2f", load[0])) at start; loaded = \(busy) busy process(es)")
        print("layout      quiet samples/s  p90/p10   loaded samples/s  p90/p10   loaded/quiet")
        var all: [String: Double] = [:]
        var verdict = ""
        for (name, args) in Self.layouts {
            let quiet = try measure(args)
            let loaded = try withBusyProcesses(busy) { try measure(args) }
            let ratio = loaded.samplesPerSecond / quiet.samplesPerSecond
            print(name.padding(toLength: 10, withPad: " ", startingAt: 0)
                  + String(format: "  %15.1f  %7.2f   %16.1f  %7.2f   %11.2fx", quiet.samplesPerSecond, quiet.spread,
                           loaded.samplesPerSecond, loaded.spread, ratio))
            all[name + ".quiet_samples_per_s"] = quiet.samplesPerSecond
            all[name + ".loaded_samples_per_s"] = loaded.samplesPerSecond
            all[name + ".loaded_over_quiet"] = ratio
            all[name + ".quiet_p90_over_p10"] = quiet.spread
            if name == "default" {
                verdict = String(format: "default layout keeps %.2fx of its quiet speed with %d busy process(es): %@ (target >= %.2fx)",
                                 ratio, busy, ratio >= target ? "PASS" : "MISS", target)
            }
        }
        print(verdict)
        try BenchResults.compareAndSave(all, to: results)
    }

    private func measure(_ layout: [String]) throws -> StepStats {
        StepStats(seconds: try TrainingRun.stepSeconds(config: config, layout: layout, overrides: ["Train.loader.batch_size_per_card=\(batch)"],
                                                       batch: batch, warmup: warmup, steps: steps), batch: batch)
    }

    /// Runs `body` with `count` busy-looping shells beside it; they are killed afterwards.
    private func withBusyProcesses<R>(_ count: Int, _ body: () throws -> R) throws -> R {
        let spinners = try (0..<count).map { _ -> Process in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "while :; do :; done"]
            try p.run()
            return p
        }
        defer { for p in spinners { p.terminate(); p.waitUntilExit() } }
        Thread.sleep(forTimeInterval: 1)                    // the spinners are running before training starts
        return try body()
    }
}
