import Foundation
import Imaging
import OCRPreprocess

/// Classifies text-line images with an exported OCRKit classifier (the angle classifier: is a
/// line upright, "0", or upside down, "180"?): preprocessing from the model's metadata through
/// `RecResize` (byte for byte what the training loader feeds), batches of `batchSize`, arg-max
/// over the `probs` output.
///
///     let cls = try TextClassifier(modelPath: "export/model.onnx", options: .init(intraOpThreads: 2))
///     for c in try cls.classify(images) where c.shouldTurn { ... }   // in input order
///
/// Sendable: the session allows concurrent runs and the rest is immutable.
public struct TextClassifier: Sendable {
    /// One line classified.
    public struct Classification: Sendable, Equatable {
        /// The arg-max class and its label.
        public var index: Int
        public var label: String
        /// Its probability.
        public var confidence: Float
        /// Whether a pipeline acts on it (PaddleOCR's rule for the angle classifier: a label other
        /// than the first, with a probability above the model's threshold - then turn the line).
        public var shouldTurn: Bool
    }

    public let session: InferenceSession
    public let info: ClassificationModelInfo
    /// Lines per model run.
    public var batchSize: Int

    public init(modelPath: String, options: InferenceSession.Options = .init(), batchSize: Int = 8) throws {
        try self.init(session: InferenceSession(path: modelPath, options: options), batchSize: batchSize)
    }

    public init(session: InferenceSession, batchSize: Int = 8) throws {
        guard batchSize >= 1 else { throw InferenceError(.invalidInput, "\(session.path): batch size must be at least 1, got \(batchSize)") }
        self.session = session
        info = try ClassificationModelInfo(session: session)
        self.batchSize = batchSize
    }

    /// Classifies each image as one text line; results in the order of `images`.
    public func classify(_ images: [Image]) throws -> [Classification] {
        var out: [Classification] = []
        out.reserveCapacity(images.count)
        for start in stride(from: 0, to: images.count, by: batchSize) {
            out += try classify(batch: preprocess(Array(images[start..<min(start + batchSize, images.count)])))
        }
        return out
    }

    /// The model input for `images`, B x C x H x W: each image converted to the model's channel
    /// order, resized keeping its aspect ratio to at most the input width, normalised, padded on
    /// the right with zeros (PaddleOCR's `ClsResizeImg`).
    public func preprocess(_ images: [Image]) throws -> FloatTensor {
        let resize = info.resize
        let (c, h, w) = (resize.channels, resize.height, resize.maxWidth)
        var pixels = [Float](repeating: 0, count: images.count * c * h * w)
        for (b, image) in images.enumerated() {
            resize.place(try resize(image.converted(to: info.colorOrder)), into: &pixels, at: b, batchWidth: w)
        }
        return try FloatTensor(pixels, shape: [images.count, c, h, w])
    }

    /// Runs one preprocessed batch and takes each row's arg-max.
    public func classify(batch: FloatTensor) throws -> [Classification] {
        try probabilities(batch: batch).map { row in
            var best = 0
            for (k, p) in row.enumerated() where p > row[best] { best = k }
            return Classification(index: best, label: info.labels[best], confidence: row[best],
                                  shouldTurn: best != 0 && Double(row[best]) > info.threshold)
        }
    }

    /// The `probs` rows of one preprocessed batch (B x classes).
    public func probabilities(batch: FloatTensor) throws -> [[Float]] {
        guard let first = batch.shape.first, first > 0 else { return [] }
        let out = try session.run([info.inputName: batch], outputs: [info.outputName])[info.outputName]!
        let k = info.labels.count
        guard out.shape == [first, k] else {
            throw InferenceError(.runtime, "\(info.path): output '\(info.outputName)' has shape \(out.shape), expected \(first) x \(k)")
        }
        return (0..<first).map { Array(out.values[($0 * k)..<(($0 + 1) * k)]) }
    }
}
