import ArgumentParser
import OCRRun

/// `ocr-bench`: speed and memory figures (the shim, training, a model alone, ONNX Runtime, the page pipeline).
@main
struct OCRBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr-bench",
        abstract: "Print speed and memory figures, compared with the last run.",
        subcommands: [FoundationBench.self, TrainingBench.self, DetectionBench.self, ModelBench.self, OnnxBench.self,
                      DataParallelBench.self, LoadBench.self, PipelineBench.self, ServeBench.self])

    static func main() {
        ProcessSetup.prepare()
        main(nil)
    }
}
