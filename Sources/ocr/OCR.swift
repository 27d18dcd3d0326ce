import ArgumentParser

/// `ocr`: the toolkit's deployment command - reading text with exported models, preparing data,
/// scoring `.onnx` models. It links no LibTorch (`make test` checks); training, checkpoint
/// evaluation, export and benchmarks are `ocr-train`, `ocr-eval`, `ocr-export` and `ocr-bench`.
@main
struct OCR: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr",
        abstract: "OCRKit: read text with exported models, prepare data, evaluate .onnx models (no LibTorch).",
        subcommands: [DataCommand.self, PredictCommand.self, EvalCommand.self])
}
