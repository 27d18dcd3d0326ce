import Foundation
import OCREval

/// Shows training events: a one-line progress bar redrawn in place on a terminal, plain lines
/// otherwise (CI logs, pipes). Every event also goes to `metrics.jsonl` in the run directory.
public final class ProgressPrinter {
    let isTerminal = isatty(STDERR_FILENO) != 0
    let jsonl: FileHandle?
    var barShown = false

    /// `jsonlPath`: where JSON lines are appended (nil: none).
    public init(jsonlPath: String?) throws {
        if let jsonlPath {
            let url = URL(fileURLWithPath: jsonlPath)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: jsonlPath) { FileManager.default.createFile(atPath: jsonlPath, contents: nil) }
            jsonl = try FileHandle(forWritingTo: url)
            jsonl?.seekToEndOfFile()
        } else {
            jsonl = nil
        }
    }

    deinit { try? jsonl?.close() }

    public func handle(_ event: TrainEvent) {
        switch event {
        case .message(let m):
            line(m)
            record(["event": "message", "text": m])
        case .step(let s):
            let bar = ProgressPrinter.bar(Double(s.step) / Double(max(s.totalSteps, 1)), width: 24)
            let text = "step \(s.step)/\(s.totalSteps) \(bar) " + String(format: "loss %.4f (avg %.4f) lr %.2e %.1f samples/s data-wait %.0f%% ",
                              s.loss, s.smoothedLoss, s.learningRate, s.samplesPerSecond, s.dataWaitShare * 100)
                + "ETA \(ProgressPrinter.duration(s.etaSeconds))"
            if isTerminal {
                FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8))
                barShown = true
            } else {
                line(text)
            }
            record(["event": "step", "step": s.step, "epoch": s.epoch, "loss": s.loss, "smoothed_loss": s.smoothedLoss,
                    "lr": s.learningRate, "samples_per_s": s.samplesPerSecond, "data_wait_share": s.dataWaitShare])
        case .evaluation(let e):
            line("eval @ step \(e.step): " + e.metrics.summaryLine
                 + String(format: ", %.0f samples/s", e.samplesPerSecond) + (e.isBest ? "  * best \(e.metrics.main)" : ""))
            var fields: [String: Any] = ["event": "eval", "step": e.step, "best": e.isBest]
            for m in e.metrics.entries { fields[m.name] = m.name == "samples" ? Int(m.value) : m.value }
            record(fields)
        case .checkpoint(let path, let reason):
            line("saved \(path) (\(reason))")
            record(["event": "checkpoint", "path": path, "reason": reason])
        case .finished(let reason, let step):
            line("stopped at step \(step): \(reason)")
            record(["event": "finished", "step": step, "reason": reason])
        }
    }

    /// A plain line, below the progress bar when one is drawn.
    public func line(_ text: String) {
        let prefix = barShown && isTerminal ? "\r\u{1B}[2K" : ""
        barShown = false
        FileHandle.standardError.write(Data((prefix + text + "\n").utf8))
    }

    func record(_ fields: [String: Any]) {
        guard let jsonl else { return }
        var f = fields
        f["time"] = ISO8601DateFormatter().string(from: Date())
        if let data = try? JSONSerialization.data(withJSONObject: f, options: [.sortedKeys]) {
            jsonl.write(data + Data("\n".utf8))
        }
    }

    public static func bar(_ fraction: Double, width: Int) -> String {
        let filled = Int((min(max(fraction, 0), 1) * Double(width)).rounded(.down))
        return "[" + String(repeating: "=", count: filled) + (filled < width ? ">" : "")
            + String(repeating: " ", count: max(width - filled - 1, 0)) + "]"
    }

    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--:--" }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%02d:%02d", s / 60, s % 60)
    }
}
