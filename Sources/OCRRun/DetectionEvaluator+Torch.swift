import OCRData
import OCREval
import OCRPostprocess
import Torch

extension DetectionEvaluator {
    /// Runs `probability` (B x 3 x H x W -> B x 1 x H x W) over every batch `next` yields, in
    /// no-grad mode, and scores each page's DB boxes - mapped back to the source page - against
    /// its regions.
    public func evaluate(next: () throws -> DetectionBatch?, probability: (Tensor) throws -> Tensor) throws -> DetectionEvaluation {
        try noGrad {
            try evaluate(next: next) { batch in
                guard batch.count > 0 else { return [] }
                let maps = try probability(try Tensor(batch.images, shape: batch.shape)).to(.float32).toArray(Float.self)
                let (h, w) = (batch.shape[2], batch.shape[3])
                return batch.pages.enumerated().map { i, page in
                    // The map covers the resized page (DetResize pads nothing): post-processing
                    // scales its boxes by source / resized size.
                    let map = Array(maps[(i * h * w)..<((i + 1) * h * w)])
                    let image = page.sourceImage
                    return PageOutput(source: page.source, groundTruth: page.regions,
                                      prediction: .probability(map, width: w, height: h,
                                                               sourceWidth: page.sourceWidth, sourceHeight: page.sourceHeight),
                                      image: { image.map { ReportImage(width: $0.width, height: $0.height, bgr: $0.pixels) } })
                }
            }
        }
    }
}
