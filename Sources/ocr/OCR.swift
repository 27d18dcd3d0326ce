import ArgumentParser
import OCRCLI

/// `ocr`: the toolkit's umbrella command. Subcommands are thin: they parse arguments and call a library.
@main
struct OCR: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr",
        abstract: "OCRKit: train, evaluate, export and serve OCR models on your own machine.",
        subcommands: [DataCommand.self, PredictCommand.self, Bench.self])

    static func main() {
        ProcessSetup.prepare()
        main(nil)
    }
}

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print speed and memory figures.", subcommands: [FoundationBench.self, TrainingBench.self, ModelBench.self, OnnxBench.self])
}
