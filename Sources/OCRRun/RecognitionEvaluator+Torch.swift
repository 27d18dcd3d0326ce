import OCRCore
import OCREval
import OCRData
import Torch

extension RecognitionEvaluator {
    /// Runs `forward` (B x 3 x H x W -> logits B x T x C) over every batch `next` yields, in no-grad mode.
    public func evaluate(next: () throws -> LineBatch?, forward: (Tensor) throws -> Tensor) throws -> Result {
        let decoder = CTCGreedyDecoder(charset: charset, scores: .probabilities)
        return try noGrad {
            try evaluate(next: next) { batch in
                let x = try Tensor(batch.pixels, shape: batch.shape)
                let probs = try forward(x).softmax(dim: 2)                 // B x T x C
                let (b, t, c) = (probs.size(0), probs.size(1), probs.size(2))
                let values = try probs.toArray(Float.self)                 // host sync: decoding is plain Swift
                return try decoder.decodeBatch(values, batch: b, steps: t, classes: c)
            }
        }
    }
}
