import Foundation
import NN
import OCRCore
import OCRData
import OCREval
import OCRModels
import Torch

/// Scores a recogniser's training checkpoint on the config's Eval data, or on other label files / packed `.h5`
/// files given instead: what `ocr-eval` runs.
public enum CheckpointEvaluation {
    /// The model in `checkpoint`, built from `run`'s Architecture with the checkpoint's charset;
    /// another task's checkpoint is refused with a message naming it.
    public static func loadModel(_ run: RecognitionRunConfig, checkpoint path: String, useEMA: Bool = false)
        throws -> (model: any Recognizer, charset: Charset, checkpoint: Checkpoint) {
        let c = try Checkpoint.read(from: path)
        try c.requireTask(.rec, owner: "a recogniser's", path: path)
        // The classes as trained, repeats included (see Charset.keepingDuplicates).
        let charset = try Charset(dictionaryText: c.charset, source: path, useSpaceChar: c.useSpaceChar, keepingDuplicates: true)
        let model = try run.makeModel(charset: charset)
        try c.load(into: model, useEMA: useEMA, path: path, architecture: run.architecture.algorithm)
        model.eval()
        return (model, charset, c)
    }

    public static func run(_ run: RecognitionRunConfig, checkpoint: String, data: [String]?, useEMA: Bool = false,
                           worstImages: Int = 20, events: (TrainEvent) -> Void) throws -> RecognitionEvaluator.Result {
        Torch.threads = run.global.threads
        let (model, charset, _) = try loadModel(run, checkpoint: checkpoint, useEMA: useEMA)
        guard let base = run.eval ?? (data != nil ? run.train : nil) else {
            throw TrainError("the config has no Eval section: give --data LABELS_OR_H5")
        }
        let section = (try data.map { try EvalData.section(for: $0, like: base) } ?? base).evaluating
        let loader = try run.makeLoader(section, charset: charset, seed: run.global.evalSeed)
        events(.message("evaluating \(checkpoint) on:\n" + EvalData.describe(loader)))
        let stream = LineBatchStream(loader)
        try stream.start(epoch: 0, skipping: 0)
        defer { stream.close() }
        let evaluator = RecognitionEvaluator(charset: charset, options: run.metricOptions, keepWorstImages: worstImages)
        var result = try evaluator.evaluate(next: stream.next, forward: { try model($0) })
        result.recordNotScored(from: loader.dataset)
        return result
    }
}
