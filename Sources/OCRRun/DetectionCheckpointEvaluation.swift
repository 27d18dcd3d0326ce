import Foundation
import OCRData
import OCREval
import OCRModels
import Torch

/// Scores a detector's training checkpoint on the config's Eval pages, or on det label files
/// given instead (`path<TAB>[{"transcription", "points"}]`): what `ocr-eval` runs for
/// `Architecture.model_type: det`. Pages are read under policy `exclude` (an unreadable page is
/// listed, never replaced).
public enum DetectionCheckpointEvaluation {
    /// Precision, recall and hmean at IoU 0.5, per page, the `worstImages` worst pages drawn,
    /// and the pages not read.
    public static func run(_ run: DetectionRunConfig, checkpoint: String, data: [String]?, useEMA: Bool = false,
                           worstImages: Int = 20, events: (TrainEvent) -> Void) throws -> DetectionEvaluation {
        Torch.threads = run.global.threads
        let c = try Checkpoint.read(from: checkpoint)
        let model = try run.loadModel(from: c, path: checkpoint, useEMA: useEMA)
        model.eval()
        guard let base = run.eval ?? (data != nil ? run.train : nil) else {
            throw TrainError("the config has no Eval section: give --data LABELS (det label files)")
        }
        let section = try data.map { try EvalData.section(for: $0, like: base) } ?? base.evaluating
        let loader = try run.makeLoader(section, seed: run.global.evalSeed)
        events(.message("evaluating \(checkpoint) (detector \(model.kind)) on:\n" + EvalData.describe(loader)))
        let stream = DetectionBatchStream(loader)
        try stream.start(epoch: 0, skipping: 0)
        defer { stream.close() }
        let evaluator = DetectionEvaluator(postProcess: run.postProcess, keepWorstImages: worstImages)
        var result = try evaluator.evaluate(next: stream.next, probability: { try model($0) })
        try result.recordNotScored((loader.source as? DataReporting)?.report.excluded ?? [])
        return result
    }
}
