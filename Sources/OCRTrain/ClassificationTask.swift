import Foundation
import NN
import OCRCore
import OCRData
import OCRRun
import Torch

/// Line classification on the engine (PaddleOCR's angle classifier: is the line upright or turned
/// by 180 degrees?): B x C x H x W in, B x classes logits out, cross-entropy (PaddleOCR's ClsLoss);
/// scored by arg-max accuracy; the label list goes into checkpoints and must match to resume.
public final class ClassificationTask: TrainingTask {
    /// B x 3 x H x W -> logits B x classes.
    public let forward: (Tensor) throws -> Tensor
    public let labels: ClassLabels
    public var kind: TaskKind { .cls }
    public var mainIndicator: String { "acc" }

    public init(forward: @escaping (Tensor) throws -> Tensor, labels: ClassLabels) {
        self.forward = forward
        self.labels = labels
    }

    /// The batch's classes: each sample's text is a label (the datasets checked it;
    /// `ClassLabels.encode` names the sample if one slipped through).
    func targets(_ batch: LineBatch) throws -> [Int] {
        try zip(batch.texts, batch.sources).map { try labels.encode($0, source: $1) }
    }

    public func loss(on batch: LineBatch) throws -> Tensor {
        let x = try Tensor(batch.pixels, shape: batch.shape)
        let logits = try forward(x)                                         // B x classes
        let y = try Tensor(try targets(batch).map(Int64.init), shape: [batch.batch], on: logits.device)
        return try F.crossEntropy(logits, y)
    }

    public func sampleCount(of batch: LineBatch) -> Int { batch.batch }

    public func evaluate(next: () throws -> LineBatch?) throws -> ClassificationEvaluation {
        try ClassificationEvaluator(labels: labels).evaluate(next: next, forward: forward)
    }

    public var checkpointEntries: TaskEntries {
        var e = TaskEntries(kind: .cls)
        e.labels = labels.labels
        return e
    }

    public func checkResume(from saved: TaskEntries, path: String) throws {
        guard saved.labels == labels.labels else {
            throw TrainError("refusing to resume from \(path): its labels (\(saved.labels.joined(separator: ", "))) "
                             + "differ from the config's PostProcess.label_list \(labels.labels)")
        }
    }
}

/// The engine reads a classifier's figures from its `table` (OCREval builds it).
extension ClassificationEvaluation: TaskEvaluation {}
