import OCRData

extension DetectionEvaluator {
    /// Scores a model's probability maps (`maps(batch)`: B x 1 x H x W, row-major, for the
    /// batch's images) over every batch `next` yields - LibTorch's in training and `ocr-eval`,
    /// ONNX Runtime's in `ocr-export`'s accuracy gate: each page's DB boxes, mapped back to its
    /// source page, against its regions.
    public func evaluate(next: () throws -> DetectionBatch?, maps: (DetectionBatch) throws -> [Float]) throws -> DetectionEvaluation {
        try evaluate(next: next) { batch in
            guard batch.count > 0 else { return [] }
            return Self.pageOutputs(maps: try maps(batch), of: batch)
        }
    }

    /// One `PageOutput` per page of `batch` from its slice of `maps`. The map covers the resized
    /// page (DetResize pads nothing), so post-processing scales its boxes by source / resized size.
    static func pageOutputs(maps: [Float], of batch: DetectionBatch) -> [PageOutput] {
        let (h, w) = (batch.shape[2], batch.shape[3])
        return batch.pages.enumerated().map { i, page in
            let image = page.sourceImage
            return PageOutput(source: page.source, groundTruth: page.regions,
                              prediction: .probability(Array(maps[(i * h * w)..<((i + 1) * h * w)]), width: w, height: h,
                                                       sourceWidth: page.sourceWidth, sourceHeight: page.sourceHeight),
                              image: { image.map { ReportImage(width: $0.width, height: $0.height, bgr: $0.pixels) } })
        }
    }
}
