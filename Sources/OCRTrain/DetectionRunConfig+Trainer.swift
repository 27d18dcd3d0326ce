import OCRData
import OCREval
import OCRModels
import OCRRun
import Torch

extension DetectionRunConfig {
    /// The engine with a `DetectionTask`, data reports emitted as messages.
    public func makeTrainer(events: (TrainEvent) -> Void) throws -> Trainer<DetectionTask> {
        let device = try global.trainingDevice()          // a GPU this build cannot use stops the run here
        let model = try makeModel()
        let trainLoader = try makeLoader(train, seed: global.seed)
        events(.message("train data:\n" + EvalData.describe(trainLoader)))
        var evalSource: (any BatchSource<DetectionBatch>)?
        if let eval {
            let evalLoader = try makeLoader(eval.evaluating, seed: global.evalSeed)
            events(.message("eval data:\n" + EvalData.describe(evalLoader)))
            evalSource = DetectionBatchStream(evalLoader)
        }
        events(.message("detector: \(model.kind), \(model.parameterCount) parameters"))
        let bf16 = global.bf16
        let task = DetectionTask(
            trainForward: { x in
                let o = try Torch.withBF16Autocast(bf16) { try model.trainOutputs(x.to(device)) }
                return DBOutputs(shrink: try o.shrink.to(.float32), threshold: try o.threshold.to(.float32), binary: try o.binary.to(.float32))
            },
            probability: { x in try Torch.withBF16Autocast(bf16) { try model(x.to(device)) }.to(.float32) },
            loss: try DBLoss(config: loss), postProcess: postProcess)
        var parts = Trainer<DetectionTask>.Parts(model: model, global: global, optimizer: base.optimizer,
                                                 resolvedConfig: try base.tree.yaml(), preprocess: preprocess,
                                                 train: DetectionBatchStream(trainLoader), eval: evalSource)
        parts.device = device
        return try Trainer(task: task, parts: parts, events: events)
    }
}
