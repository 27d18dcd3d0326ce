import ArgumentParser

/// `ocr`: the toolkit's deployment command - reading text with exported models, serving them over
/// HTTP, preparing data, scoring `.onnx` models. It links no LibTorch (`make test` checks);
/// training, checkpoint evaluation, export and benchmarks are `ocr-train`, `ocr-eval`,
/// `ocr-export` and `ocr-bench`.
@main
struct OCR: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr",
        abstract: "OCRKit: read text with exported models, serve them, prepare data, evaluate .onnx models (no LibTorch).",
        subcommands: [DataCommand.self, PredictCommand.self, EvalCommand.self, ServeCommand.self])
}
