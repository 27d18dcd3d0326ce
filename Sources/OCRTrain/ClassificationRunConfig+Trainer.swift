import OCRData
import OCRModels
import OCRRun
import Torch

extension ClassificationRunConfig {
    /// The engine with a `ClassificationTask`, data reports emitted as messages.
    public func makeTrainer(events: (TrainEvent) -> Void) throws -> Trainer<ClassificationTask> {
        let device = try global.trainingDevice()          // a GPU this build cannot use stops the run here
        let model = try makeModel()
        let trainLoader = try makeLoader(train, seed: global.seed)
        events(.message("train data:\n" + EvalData.describe(trainLoader)))
        var evalSource: (any BatchSource<LineBatch>)?
        if let eval {
            let evalLoader = try makeLoader(eval.evaluating, seed: global.evalSeed)
            events(.message("eval data:\n" + EvalData.describe(evalLoader)))
            evalSource = LineBatchStream(evalLoader)
        }
        events(.message("classifier: labels \(labels.labels), input \(inputShape), \(architecture.backbone.name)"))
        let task = ClassificationTask(forward: { [bf16 = global.bf16] x in try Torch.withBF16Autocast(bf16) { try model(x.to(device)) }.to(.float32) },
                                      labels: labels)
        var parts = Trainer<ClassificationTask>.Parts(model: model, global: global, optimizer: base.optimizer,
                                                      resolvedConfig: try base.tree.yaml(), preprocess: preprocess,
                                                      train: LineBatchStream(trainLoader), eval: evalSource)
        parts.device = device
        return try Trainer(task: task, parts: parts, events: events)
    }
}
