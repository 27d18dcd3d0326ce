import ArgumentParser
import OCRCLI
import OCRRun
import OCRModels
import OCRTrain

/// `ocr-bench model`: one config's recogniser trained on random images (no data loading):
/// forward, CTC, backward and AdamW per step, with and without bf16 autocast. Separates model
/// speed from the data path that `ocr-bench training` includes.
struct ModelBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Training-step speed of a config's model on random data: float32 vs bf16 autocast, by thread count.")

    @OptionGroup var options: ConfigOptions
    @Option(help: "Images per step (default: the config's Train batch size).") var batch: Int?
    @Option(help: "Input width (default: the config's).") var width: Int?
    @Option(parsing: .upToNextOption, help: "Intra-op thread counts to time.") var threads = [2]
    @Option(help: "Timed steps (median reported), after two warm-up steps.") var steps = 5
    @Flag(inversion: .prefixedNo, help: "Also time bf16 autocast.") var bf16 = true

    func run() throws {
        let config = try RecognitionRunConfig(path: options.config, overrides: options.override)
        let model = try config.makeModel(charset: try config.charset())
        let batch = batch ?? config.train.loader.batchSize
        print("\(config.architecture.algorithm) from \(options.config): \(model.parameterCount) parameters")
        for t in threads {
            for useBF16 in bf16 ? [false, true] : [false] {
                let r = try ModelBenchmark.trainingThroughput(model, options: .init(
                    batch: batch, width: width ?? config.inputShape[2], steps: steps, warmup: 2, optimizerStep: true,
                    threads: t, bf16: useBF16))
                print("  " + r.description)
            }
        }
    }
}
