import Foundation
import Imaging
import OCRPreprocess

/// Everything needed to run a text-line classifier (the angle classifier), read from its ONNX
/// file's metadata (`ocrkit.kind = cls`, written by OCRExport's `ClassifierMetadata`; PaddleOCR's
/// metadata-free export gets PaddleOCR's defaults, see `+PaddleOCR`): the labels in output order, the threshold, the input size and preprocessing (PaddleOCR's
/// `ClsResizeImg`: keep ratio, pad right to the fixed width), and the `probs` output.
public struct ClassificationModelInfo: Sendable, Equatable {
    /// The model file (for messages).
    public var path: String
    /// `ocrkit.algorithm` (CLS).
    public var algorithm: String?
    /// Class labels in output order (`ocrkit.labels`: "0", "180").
    public var labels: [String]
    /// `ocrkit.threshold`: a pipeline acts on a label other than the first only above this score
    /// (PaddleOCR's `cls_thresh`).
    public var threshold: Double
    public var inputName: String
    /// The B x classes probabilities (`ocrkit.output`).
    public var outputName: String
    /// Resize and normalisation at the model's one input size - the training loader's code.
    public var resize: RecResize
    public var colorOrder: ColorOrder
    /// `ocrkit.precision` (fp32, int8).
    public var precision: String?
    public var sourceCheckpoint: String?
    public var configSHA256: String?

    public init(session: InferenceSession) throws {
        try self.init(path: session.path, metadata: session.metadata.custom, inputs: session.inputs, outputs: session.outputs)
    }

    /// Reads `metadata` and checks it against the graph: one float input B x C x H x W at the
    /// metadata's size, an output named by `ocrkit.output` of B x classes with one class per label.
    /// Errors are `InferenceError(.metadata)` naming `path` and the key.
    public init(path: String, metadata m: [String: String], inputs: [TensorInfo], outputs: [TensorInfo]) throws {
        let r = MetadataReader(path: path, values: m, models: "classifiers")
        guard let kind = m["ocrkit.kind"] else {
            if let paddle = ClassificationModelInfo(paddleOCRPath: path, metadata: m, inputs: inputs, outputs: outputs) {
                self = paddle
                return
            }
            throw r.fail("no OCRKit classifier metadata (ocrkit.kind = cls, ...): export the classifier with ocr-export")
        }
        guard kind == "cls" else { throw r.fail("ocrkit.kind is '\(kind)', not 'cls': this model is not a text-line classifier") }
        try r.checkFormatVersion()
        guard inputs.count == 1, let input = inputs.first, input.isTensor, input.elementType == .float, input.shape.count == 4 else {
            throw r.fail("a classifier has one float input B x C x H x W; this model has \(inputs.map(\.description).joined(separator: ", "))")
        }
        self.path = path
        algorithm = m["ocrkit.algorithm"]
        labels = try r.string("ocrkit.labels").split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !labels.contains(""), Set(labels).count == labels.count else {
            throw r.fail("ocrkit.labels '\(m["ocrkit.labels"]!)' is not a list of distinct, non-empty labels")
        }
        let t = try r.string("ocrkit.threshold")
        guard let threshold = Double(t), (0...1).contains(threshold) else { throw r.fail("metadata ocrkit.threshold = '\(t)' is not in 0...1") }
        self.threshold = threshold
        resize = try r.resize()
        guard try r.bool("ocrkit.fixed_width") else {
            throw r.fail("ocrkit.fixed_width is false: a classifier's head averages over its one input width")
        }
        colorOrder = try r.colorOrder(channels: resize.channels)
        inputName = input.name
        outputName = try r.string("ocrkit.output")
        precision = m["ocrkit.precision"]
        sourceCheckpoint = m["ocrkit.source_checkpoint"]
        configSHA256 = m["ocrkit.config_sha256"]

        let size = [resize.channels, resize.height, resize.maxWidth]
        for (k, want) in size.enumerated() {
            if let got = input.shape[k + 1], got != want { throw r.fail("the metadata says input \(size), the graph's input is \(input)") }
        }
        guard let output = outputs.first(where: { $0.name == outputName }) else {
            throw r.fail("ocrkit.output names '\(outputName)', the graph's outputs are \(outputs.map(\.name))")
        }
        guard output.isTensor, output.elementType == .float, output.shape.count == 2 else {
            throw r.fail("a classifier's output is float B x classes; '\(outputName)' is \(output)")
        }
        if let classes = output.shape[1], classes != labels.count {
            throw r.fail("the output \(output) has \(classes) classes but ocrkit.labels lists \(labels.count): \(labels)")
        }
    }
}
