import OCRData
import OCRModels
import OCRRun
import Torch

extension BatchStream: BatchSource {}

extension RecognitionRunConfig {
    /// Everything a training run needs, with data reports emitted as messages.
    public func makeTrainer(events: (TrainEvent) -> Void) throws -> RecognitionTrainer {
        let device = try global.trainingDevice()          // a GPU this build cannot use stops the run here
        let charset = try self.charset()
        let model = try makeModel(charset: charset)
        if let w = model.fixedInputWidth, w != inputShape[2] {
            throw TrainError("Architecture fixes the input width to \(w) but Train's RecResizeImg.image_shape gives \(inputShape[2])")
        }
        let trainLoader = try makeLoader(train, charset: charset, seed: global.seed)
        events(.message("train data:\n" + EvalData.describe(trainLoader)))
        var evalSource: (any BatchSource<LineBatch>)?
        if let eval {
            // Evaluation reads every line once and leaves out (and lists) what it cannot read.
            let evalLoader = try makeLoader(eval.evaluating, charset: charset, seed: global.evalSeed)
            events(.message("eval data:\n" + EvalData.describe(evalLoader)))
            evalSource = LineBatchStream(evalLoader)
        }
        var setup = RecognitionTrainer.Setup(
            model: model, forward: { [bf16 = global.bf16] x in try Torch.withBF16Autocast(bf16) { try model(x.to(device)) }.to(.float32) },
            charset: charset, global: global, optimizer: optimizer, resolvedConfig: try tree.yaml(), preprocess: preprocess,
            train: LineBatchStream(trainLoader), eval: evalSource)
        setup.metricOptions = metricOptions
        setup.mainIndicator = (metric.mainIndicator ?? .acc).rawValue
        setup.device = device
        events(.message("charset: \(charset); model \(architecture.algorithm), input \(inputShape), "
                        + "T = \(model.outputLength(forWidth: inputShape[2])) steps"))
        return try RecognitionTrainer(setup, events: events)
    }
}
