import OCRData
import OCREval
import Torch

extension ClassificationEvaluator {
    /// Runs `forward` (B x C x H x W -> logits B x classes) over every batch `next` yields, in no-grad mode.
    public func evaluate(next: () throws -> LineBatch?, forward: (Tensor) throws -> Tensor) throws -> ClassificationEvaluation {
        try noGrad {
            try evaluate(next: next) { batch in
                let probs = try forward(try Tensor(batch.pixels, shape: batch.shape)).softmax(dim: 1)   // B x classes
                return try probs.toArray(Float.self)                 // host sync: scoring is plain Swift
            }
        }
    }
}
