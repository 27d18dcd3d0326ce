import Foundation
import Imaging
import OCRCore
import OCRPreprocess

/// Reads text-line images with an ONNX recogniser (OCRKit's or PaddleOCR's): preprocessing from the
/// model's metadata through OCRData's `RecResize` (byte for byte what the training loader feeds),
/// lines sorted by aspect ratio and run in batches, best-path CTC decoding.
///
///     let rec = try TextRecognizer(modelPath: ".deps/models/ch_PP-OCRv4_rec_infer.onnx",
///                                  options: .init(intraOpThreads: 2), batchSize: 8)
///     for r in try rec.recognize(images) { print(r.text, r.confidence) }   // in input order
///
/// Sendable: the session allows concurrent runs and the rest is immutable.
public struct TextRecognizer: Sendable {
    /// One line read.
    public struct Recognition: Sendable, Equatable {
        public var text: String
        /// PaddleOCR's confidence: the mean of the maximum probability at each kept character's
        /// first step; 0 for an empty text.
        public var confidence: Float

        public init(text: String, confidence: Float) {
            self.text = text
            self.confidence = confidence
        }
    }

    public let session: InferenceSession
    public let info: RecognitionModelInfo
    /// Lines per model run.
    public var batchSize: Int
    /// Lines handed to `recognize(_:)` at a time by `ocr predict` and `ocr-eval`: they are sorted by
    /// width within a chunk, so a line's batch (and, for models whose batches are widened to the
    /// widest line, its padding) is the same in both - a bound on memory that keeps output flowing.
    public var chunkSize: Int { batchSize * 16 }
    private let decoder: CTCGreedyDecoder

    /// Opens the model at `modelPath` and reads its metadata.
    public init(modelPath: String, options: InferenceSession.Options = .init(), batchSize: Int = 8) throws {
        try self.init(session: InferenceSession(path: modelPath, options: options), batchSize: batchSize)
    }

    public init(session: InferenceSession, batchSize: Int = 8) throws {
        guard batchSize >= 1 else { throw InferenceError(.invalidInput, "\(session.path): batch size must be at least 1, got \(batchSize)") }
        self.session = session
        self.info = try RecognitionModelInfo(session: session)
        self.batchSize = batchSize
        self.decoder = CTCGreedyDecoder(charset: info.charset, scores: info.scores)
    }

    /// Reads each image as one text line. Results come back in the order of `images`.
    public func recognize(_ images: [Image]) throws -> [Recognition] {
        // Sorting by aspect ratio puts lines of similar width together, so a batch pads little.
        let order = images.indices.sorted { a, b in
            let (ra, rb) = (Self.aspectRatio(images[a]), Self.aspectRatio(images[b]))
            return ra != rb ? ra < rb : a < b
        }
        var results = [Recognition?](repeating: nil, count: images.count)
        for start in stride(from: 0, to: order.count, by: batchSize) {
            let indices = Array(order[start..<min(start + batchSize, order.count)])
            let decoded = try recognize(batch: preprocess(indices.map { images[$0] }))
            for (i, r) in zip(indices, decoded) { results[i] = Recognition(text: r.text, confidence: r.confidence) }
        }
        return results.map { $0! }
    }

    public func recognize(_ image: Image) throws -> Recognition { try recognize([image])[0] }

    /// The model input for `images` as one batch, B x C x H x W: each image converted to the model's
    /// channel order, resized and normalised by `RecResize`, and padded on the right with zeros to
    /// the batch width (`RecognitionModelInfo.batchWidth`).
    public func preprocess(_ images: [Image]) throws -> FloatTensor {
        var resize = info.resize
        let (c, h) = (resize.channels, resize.height)
        let width = batchWidth(for: images)
        resize.imageShape[2] = width
        var pixels = [Float](repeating: 0, count: images.count * c * h * width)
        for (b, image) in images.enumerated() {
            let line = try resize(image.converted(to: info.colorOrder))
            resize.place(line, into: &pixels, at: b, batchWidth: width)
        }
        return try FloatTensor(pixels, shape: [images.count, c, h, width])
    }

    /// The input width for a batch of these images.
    public func batchWidth(for images: [Image]) -> Int {
        let (h, w) = (info.resize.height, info.resize.maxWidth)
        guard info.batchWidth == .widestLine, info.resize.padding else { return w }
        // RapidOCR: max_wh_ratio starts at W / H; img_width = int(H * max_wh_ratio), in doubles.
        let widest = images.map(Self.aspectRatio).reduce(Double(w) / Double(h), max)
        return Int(Double(h) * widest)
    }

    /// Runs one preprocessed batch (B x C x H x W) and decodes each line.
    public func recognize(batch: FloatTensor) throws -> [CTCGreedyDecoder.Result] {
        guard let first = batch.shape.first, first > 0 else { return [] }
        let out = try session.run([info.inputName: batch], outputs: [info.outputName])[info.outputName]!
        guard out.shape.count == 3, out.shape[0] == first else {
            throw InferenceError(.runtime, "\(info.path): output '\(info.outputName)' has shape \(out.shape), expected \(first) x T x classes")
        }
        do {
            return try decoder.decodeBatch(out.values, batch: out.shape[0], steps: out.shape[1], classes: out.shape[2])
        } catch {
            throw InferenceError(.metadata, "\(info.path): \(error)")
        }
    }

    static func aspectRatio(_ image: Image) -> Double { Double(image.width) / Double(image.height) }
}
