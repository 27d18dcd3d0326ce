import Foundation
import OCRCore
import OCRPostprocess

/// Scores a text detector page by page: DB post-processing turns each page's probability map
/// into boxes (or the boxes come ready, from an exported model or a results file), and
/// `DetectionMetrics` matches them against the page's regions, into a `DetectionEvaluation`.
/// Training's evaluations and `ocr-eval` share it; nothing here needs LibTorch.
public struct DetectionEvaluator: Sendable {
    public let postProcess: DBPostProcess
    /// IoU a match must exceed (PaddleOCR: 0.5).
    public let iouThreshold: Double
    /// Keep the pixels of this many worst pages (for the HTML report's drawings).
    public let keepWorstImages: Int

    public init(postProcess: DBPostProcessOptions = DBPostProcessOptions(), iouThreshold: Double = 0.5, keepWorstImages: Int = 0) {
        self.postProcess = DBPostProcess(postProcess)
        self.iouThreshold = iouThreshold
        self.keepWorstImages = keepWorstImages
    }

    /// What the model gave for one page.
    public enum Prediction {
        /// A probability map (`width` x `height`, row-major) computed from a
        /// `sourceWidth` x `sourceHeight` page; post-processed here.
        case probability([Float], width: Int, height: Int, sourceWidth: Int, sourceHeight: Int)
        /// Boxes already in source pixels.
        case boxes([DetectedText])
    }

    /// One page's output and truth, as the caller's `detect` hands them over.
    public struct PageOutput {
        /// `file:line` of the label, or `synthetic page N`.
        public var source: String
        /// The page's regions in source pixels, don't-care ones (`###`) included.
        public var groundTruth: [TextRegion]
        public var prediction: Prediction
        /// The source page (the pixels the polygons refer to); asked for only when kept.
        public var image: () throws -> ReportImage?

        public init(source: String, groundTruth: [TextRegion], prediction: Prediction,
                    image: @escaping () throws -> ReportImage? = { nil }) {
            self.source = source
            self.groundTruth = groundTruth
            self.prediction = prediction
            self.image = image
        }
    }

    /// Scores every page `detect` makes of every batch `next` yields; samples per second counts
    /// pages over the whole loop (model and post-processing). Pages that could not be read are
    /// added afterwards with `recordNotScored(_:)`.
    public func evaluate<Batch>(next: () throws -> Batch?, detect: (Batch) throws -> [PageOutput]) throws -> DetectionEvaluation {
        var result = DetectionEvaluation(iouThreshold: iouThreshold, keepImages: keepWorstImages)
        let t0 = Date()
        while let batch = try next() {
            for page in try detect(batch) {
                let boxes = try self.boxes(page.prediction, source: page.source)
                try result.add(source: page.source, predictions: boxes, groundTruth: page.groundTruth, image: page.image)
            }
        }
        result.samplesPerSecond = Double(result.pages.count) / max(Date().timeIntervalSince(t0), 1e-9)
        return result
    }

    /// The page's boxes in source pixels; a post-processing error names the page.
    public func boxes(_ prediction: Prediction, source: String) throws -> [DetectedText] {
        switch prediction {
        case .boxes(let b):
            return b
        case let .probability(map, width, height, sourceWidth, sourceHeight):
            do {
                return try postProcess.boxes(probability: map, width: width, height: height,
                                             sourceWidth: sourceWidth, sourceHeight: sourceHeight)
            } catch {
                throw TrainError("\(source): \(error)")
            }
        }
    }
}
