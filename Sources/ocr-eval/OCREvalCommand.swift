import ArgumentParser
import Foundation
import OCRCLI
import OCRTrain

/// `ocr-eval -c CONFIG.yml --checkpoint CKPT.h5 [--data LABELS_OR_H5 ...]`: line accuracy (exact and
/// case-insensitive), character accuracy, CER, WER, NED, a breakdown per label file or font, the
/// most frequent confusions and the worst lines - as a table, JSON, Markdown and HTML.
@main
struct OCREvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr-eval",
        abstract: "Evaluate a recogniser checkpoint and write a report (terminal, JSON, Markdown, HTML).")

    @OptionGroup var options: ConfigOptions

    static func main() {
        ProcessSetup.prepare()
        main(nil)
    }

    @Option(help: "The checkpoint to evaluate (best.h5 or latest.h5 of a run).")
    var checkpoint: String

    @Option(parsing: .upToNextOption, help: "Label files (path<TAB>text) or packed .h5 files; default: the config's Eval data.")
    var data: [String] = []

    @Option(help: "Where report.json, report.md and report.html go (default: eval/ beside the checkpoint).")
    var out: String?

    @Option(help: "Worst lines listed (with their images in the HTML report).")
    var worst = 20

    @Flag(help: "Use the checkpoint's EMA weights.")
    var ema = false

    func run() throws {
        let run = try RecognitionRunConfig(path: options.config, overrides: options.override)
        let printer = try ProgressPrinter(jsonlPath: nil)
        let result = try CheckpointEvaluation.run(run, checkpoint: checkpoint, data: data.isEmpty ? nil : data,
                                                  useEMA: ema, worstImages: worst, events: printer.handle)
        var report = EvalReport(title: "\(checkpoint) on \(data.isEmpty ? "the config's Eval data" : data.joined(separator: ", "))",
                                result: result)
        report.worstCount = worst
        print(report.terminalTable())
        let dir = out ?? ((checkpoint as NSString).deletingLastPathComponent as NSString).appendingPathComponent("eval")
        try report.write(to: dir)
        print("\nreport: \(dir)/report.{json,md,html}  (\(String(format: "%.0f", result.samplesPerSecond)) lines/s)")
    }
}
