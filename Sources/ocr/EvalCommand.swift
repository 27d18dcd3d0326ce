import ArgumentParser
import Foundation
import OCRCLI
import OCREval

/// `ocr eval MODEL.onnx --data LABELS...`: scores an exported (or PaddleOCR) recogniser on label
/// files or packed `.h5` with the same report as `ocr-eval`, without LibTorch. Each line is read
/// as `ocr predict` reads it.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate an .onnx recogniser on label files or packed .h5 (terminal, JSON, Markdown, HTML report).")

    @Argument(help: "The .onnx recogniser (OCRKit export or PaddleOCR).")
    var model: String

    @Option(parsing: .upToNextOption, help: "Label files (path<TAB>text) or packed .h5 files.")
    var data: [String]

    @Option(help: "Where report.json, report.md and report.html go (default: eval/ beside the model).")
    var out: String?

    @Option(help: "Worst lines listed (with their images in the HTML report).")
    var worst = 20

    @Option(help: "ONNX Runtime intra-op threads (0: its default).")
    var threads = 0

    func validate() throws {
        guard model.lowercased().hasSuffix(".onnx") else {
            throw ValidationError("\(model): `ocr eval` scores .onnx models; evaluate a training checkpoint with ocr-eval -c CONFIG --checkpoint CKPT.h5")
        }
        guard !data.isEmpty else { throw ValidationError("give --data LABELS_OR_H5") }
    }

    func run() throws {
        let printer = try ProgressPrinter(jsonlPath: nil)
        let settings = EvalSettings(eval: nil, train: nil, maxTextLength: nil, threads: threads, seed: 0, metricOptions: .paddleOCR)
        let result = try OnnxEvaluation.run(model: model, config: settings, data: data, worstImages: worst, events: printer.handle)
        var report = EvalReport(title: "\(model) on \(data.joined(separator: ", "))", result: result)
        report.worstCount = worst
        print(report.terminalTable())
        let dir = out ?? ((model as NSString).deletingLastPathComponent as NSString).appendingPathComponent("eval")
        try report.write(to: dir)
        print("\nreport: \(dir)/report.{json,md,html}  (\(String(format: "%.0f", result.samplesPerSecond)) lines/s)")
    }
}
