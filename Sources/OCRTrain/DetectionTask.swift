import Foundation
import NN
import OCRCore
import OCRData
import OCREval
import OCRModels
import OCRPostprocess
import OCRRun
import Torch

/// DB text detection on the engine (PaddleOCR's det_mv3_db): 640x640 crops in, the shrink,
/// threshold and binary maps out, `DBLoss` against the shrink and threshold maps the loader
/// made; scored by DB post-processing and `DetectionMetrics` (precision, recall, hmean at IoU
/// 0.5) on whole pages resized for test. A detector has no classes, so its checkpoint entries are
/// only the task kind.
public final class DetectionTask: TrainingTask {
    /// B x 3 x H x W -> P, T, B maps (training).
    public let trainForward: (Tensor) throws -> DBOutputs
    /// B x 3 x H x W -> the probability map B x 1 x H x W (evaluation).
    public let probability: (Tensor) throws -> Tensor
    public let dbLoss: DBLoss
    public let postProcess: DBPostProcessOptions
    public var kind: TaskKind { .det }
    public var mainIndicator: String { "hmean" }

    public init(trainForward: @escaping (Tensor) throws -> DBOutputs, probability: @escaping (Tensor) throws -> Tensor,
                loss: DBLoss, postProcess: DBPostProcessOptions) {
        self.trainForward = trainForward
        self.probability = probability
        dbLoss = loss
        self.postProcess = postProcess
    }

    public func loss(on batch: DetectionBatch) throws -> Tensor {
        guard let maps = batch.maps else { throw TrainError("detection training: a batch without label maps (an Eval pipeline in Train?)") }
        let x = try Tensor(batch.images, shape: batch.shape)
        let out = try trainForward(x)
        func map(_ v: [Float]) throws -> Tensor { try Tensor(v, shape: maps.shape, on: out.shrink.device) }   // beside the outputs
        return try dbLoss(out, shrinkMap: map(maps.shrinkMap), shrinkMask: map(maps.shrinkMask),
                          thresholdMap: map(maps.thresholdMap), thresholdMask: map(maps.thresholdMask)).total
    }

    public func sampleCount(of batch: DetectionBatch) -> Int { batch.count }

    public func evaluate(next: () throws -> DetectionBatch?) throws -> DetectionEvaluation {
        try DetectionEvaluator(postProcess: postProcess)
            .evaluate(next: next, probability: probability)
    }

    public var checkpointEntries: TaskEntries { TaskEntries(kind: .det) }

    /// Nothing beyond the task kind (which the engine checks) must match: a detector has no classes.
    public func checkResume(from saved: TaskEntries, path: String) throws {}
}

/// The engine reads a detector's figures from its `table` (OCREval builds it).
extension DetectionEvaluation: TaskEvaluation {}
