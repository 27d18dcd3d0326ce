import Foundation
import OCRData
import OCREval
import OCRModels
import Torch

/// Scores a classifier's training checkpoint on the config's Eval data, or on cls label files
/// given instead (`path<TAB>0|180`): what `ocr-eval` runs for `Architecture.model_type: cls`.
/// The data is read under policy `exclude` (an unreadable image is listed, never replaced).
public enum ClassificationCheckpointEvaluation {
    /// The classifier in `checkpoint`, built from `run`'s Architecture. A recogniser's (or any
    /// other task's) checkpoint, or one trained on other labels, is refused with a message naming it.
    public static func loadModel(_ run: ClassificationRunConfig, checkpoint path: String, useEMA: Bool = false)
        throws -> (model: AngleClassifier, checkpoint: Checkpoint) {
        let c = try Checkpoint.read(from: path)
        let model = try run.loadModel(from: c, path: path, useEMA: useEMA)
        model.eval()
        return (model, c)
    }

    /// Accuracy, per-class recall, confusion counts, the `worstImages` most confidently wrong
    /// samples with their images, and the samples not read.
    public static func run(_ run: ClassificationRunConfig, checkpoint: String, data: [String]?, useEMA: Bool = false,
                           worstImages: Int = 20, events: (TrainEvent) -> Void) throws -> ClassificationEvaluation {
        Torch.threads = run.global.threads
        let (model, _) = try loadModel(run, checkpoint: checkpoint, useEMA: useEMA)
        guard let base = run.eval ?? (data != nil ? run.train : nil) else {
            throw TrainError("the config has no Eval section: give --data LABELS (path<TAB>label)")
        }
        let section = try data.map { try EvalData.section(for: $0, like: base) } ?? base.evaluating
        let loader = try run.makeLoader(section, seed: run.global.evalSeed)
        events(.message("evaluating \(checkpoint) (classifier, labels \(run.labels.labels), input \(run.inputShape)) on:\n"
                        + EvalData.describe(loader)))
        let stream = LineBatchStream(loader)
        try stream.start(epoch: 0, skipping: 0)
        defer { stream.close() }
        let evaluator = ClassificationEvaluator(labels: run.labels, keepWorstImages: worstImages)
        var result = try evaluator.evaluate(next: stream.next, forward: { try model($0) })
        result.recordNotScored(from: loader.dataset)
        return result
    }
}
