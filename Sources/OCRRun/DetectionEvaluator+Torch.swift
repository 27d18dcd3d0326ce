import OCRData
import OCREval
import Torch

extension DetectionEvaluator {
    /// Runs `probability` (B x 3 x H x W -> B x 1 x H x W) over every batch `next` yields, in
    /// no-grad mode, and scores each page's DB boxes against its regions.
    public func evaluate(next: () throws -> DetectionBatch?, probability: (Tensor) throws -> Tensor) throws -> DetectionEvaluation {
        try noGrad {
            try evaluate(next: next, maps: { batch in
                try probability(try Tensor(batch.images, shape: batch.shape)).to(.float32).toArray(Float.self)
            })
        }
    }
}
