import Foundation
import Imaging
import OCRCore
import OCRPreprocess

/// Everything needed to run a recogniser, read from its ONNX file: the charset, the input layout
/// and preprocessing, and what the output holds.
///
/// Two forms are understood (the OCRKit contract is in docs/DECISIONS.md):
/// - **OCRKit** (`ocrkit.kind = rec`): every field comes from `ocrkit.*` metadata and `character`.
/// - **PaddleOCR** (only `character`, as PaddleOCR's and RapidOCR's exports carry it): blank +
///   characters + space, softmax probabilities, 3 x 48 x 320 BGR (the height from the graph when it
///   fixes one), `(x / 255 - 0.5) / 0.5`, keep-ratio pad, and batches widened to the widest line as
///   RapidOCR does.
///
/// Either way the output's class count, when the graph fixes it, must match the charset.
public struct RecognitionModelInfo: Sendable, Equatable {
    /// Who wrote the model's metadata.
    public enum Origin: String, Sendable, Equatable { case ocrkit, paddleOCR }

    /// How wide a batch's input is.
    public enum BatchWidth: Sendable, Equatable {
        /// Always the input width (a fixed-width model, or OCRKit's dynamic-width models, which were
        /// trained and evaluated padded to it): wider lines are squeezed into it.
        case inputWidth
        /// RapidOCR's rule for PaddleOCR models: `max(W, Int(H * widest w/h in the batch))`, so no line
        /// is squeezed.
        case widestLine
    }

    public var origin: Origin
    /// The model file (for messages).
    public var path: String
    /// `ocrkit.algorithm` (CRNN, SVTR); nil for PaddleOCR models.
    public var algorithm: String?
    /// Blank at class 0, then `character`'s lines, then a space when `use_space_char`.
    public var charset: Charset
    /// The graph's image input and score output.
    public var inputName: String
    public var outputName: String
    /// Resize and normalisation: `imageShape` [C, H, W], keep-ratio pad or stretch, mean and std -
    /// the same code the training loader runs.
    public var resize: RecResize
    /// Whether the graph accepts only `resize.maxWidth`.
    public var fixedWidth: Bool
    public var batchWidth: BatchWidth
    /// The channel order the model was trained with (`.bgr`, `.rgb`, or `.gray` for one channel).
    public var colorOrder: ColorOrder
    /// Logits (softmax applied when decoding) or probabilities.
    public var scores: CTCScores
    /// `ocrkit.precision` (fp32, int8); nil when not given.
    public var precision: String?
    /// `ocrkit.source_checkpoint` and `ocrkit.config_sha256`: where an OCRKit model came from.
    public var sourceCheckpoint: String?
    public var configSHA256: String?

    /// Reads an open session's metadata and graph.
    public init(session: InferenceSession) throws {
        try self.init(path: session.path, metadata: session.metadata.custom, inputs: session.inputs, outputs: session.outputs)
    }

    /// Reads `metadata` (the model's `metadata_props`) and checks it against the graph's inputs and
    /// outputs. Errors are `InferenceError(.metadata)` naming `path` and the key.
    public init(path: String, metadata m: [String: String], inputs: [TensorInfo], outputs: [TensorInfo]) throws {
        func fail(_ message: String) -> InferenceError { InferenceError(.metadata, "\(path): \(message)") }
        guard inputs.count == 1, let input = inputs.first, input.isTensor, input.elementType == .float, input.shape.count == 4 else {
            throw fail("a recogniser has one float input B x C x H x W; this model has \(inputs.map(\.description).joined(separator: ", "))")
        }
        guard let output = outputs.first, output.isTensor, output.elementType == .float, output.shape.count == 3 else {
            throw fail("a recogniser's first output is float B x T x classes; this model has \(outputs.map(\.description).joined(separator: ", "))")
        }
        if let kind = m["ocrkit.kind"] {
            guard kind == "rec" else { throw fail("ocrkit.kind is '\(kind)', not 'rec': this model is not a text recogniser") }
            self = try RecognitionModelInfo(ocrkit: MetadataReader(path: path, values: m, models: "recognisers"), input: input, output: output)
        } else if let character = m["character"] {
            self = try RecognitionModelInfo(paddleCharacter: character, path: path, input: input, output: output)
        } else {
            throw fail("no recogniser metadata: neither OCRKit's (ocrkit.kind, ...) nor PaddleOCR's (character); "
                       + "export with ocr-export, or use a PaddleOCR/RapidOCR model that carries its dictionary")
        }
        try checkGraph(input: input, output: output)
    }

    private init(paddleCharacter character: String, path: String, input: TensorInfo, output: TensorInfo) throws {
        origin = .paddleOCR
        self.path = path
        inputName = input.name
        outputName = output.name
        algorithm = nil
        charset = try Self.charset(character, useSpaceChar: true, path: path)
        fixedWidth = input.shape[3] != nil
        let channels = input.shape[1] ?? 3
        resize = RecResize(imageShape: [channels, input.shape[2] ?? 48, input.shape[3] ?? 320], padding: true)
        batchWidth = fixedWidth ? .inputWidth : .widestLine
        colorOrder = channels == 1 ? .gray : .bgr
        scores = .probabilities
        precision = nil
        sourceCheckpoint = nil
        configSHA256 = nil
    }

    private init(ocrkit r: MetadataReader, input: TensorInfo, output: TensorInfo) throws {
        let path = r.path
        try r.checkFormatVersion()
        if let blank = r.values["ocrkit.blank_index"] {
            guard blank == "0" else { throw r.fail("ocrkit.blank_index is '\(blank)'; OCRKit's CTC decoding has the blank at class 0") }
        }
        let decoder = try r.string("ocrkit.decoder")
        guard decoder == "ctc_greedy" else { throw r.fail("ocrkit.decoder '\(decoder)' is not supported (ctc_greedy)") }

        origin = .ocrkit
        self.path = path
        inputName = input.name
        outputName = output.name
        algorithm = r.values["ocrkit.algorithm"]
        charset = try Self.charset(try r.string("character"), useSpaceChar: try r.bool("ocrkit.use_space_char"), path: path)
        resize = try r.resize()
        fixedWidth = try r.bool("ocrkit.fixed_width")
        batchWidth = .inputWidth
        colorOrder = try r.colorOrder(channels: resize.channels)
        switch try r.string("ocrkit.output") {
        case "logits": scores = .logits
        case "probabilities": scores = .probabilities
        case let other: throw r.fail("ocrkit.output '\(other)' is not logits or probabilities")
        }
        precision = r.values["ocrkit.precision"]
        sourceCheckpoint = r.values["ocrkit.source_checkpoint"]
        configSHA256 = r.values["ocrkit.config_sha256"]
    }

    /// The graph's fixed dimensions must agree with the metadata.
    private func checkGraph(input: TensorInfo, output: TensorInfo) throws {
        func fail(_ message: String) -> InferenceError { InferenceError(.metadata, "\(path): \(message)") }
        let (c, h, w) = (resize.channels, resize.height, resize.maxWidth)
        if let gc = input.shape[1], gc != c { throw fail("the metadata says \(c) input channels, the graph's input is \(input)") }
        if let gh = input.shape[2], gh != h { throw fail("the metadata says input height \(h), the graph's input is \(input)") }
        if let gw = input.shape[3], gw != w { throw fail("the metadata says input width \(w), the graph's input is \(input)") }
        if let classes = output.shape[2], classes != charset.classCount {
            throw fail("the output \(output) has \(classes) classes but the charset has \(charset.classCount) "
                       + "(blank + \(charset.dictionaryCount) characters\(charset.useSpaceChar ? " + space" : "")); "
                       + "wrong character list or use_space_char?")
        }
    }

    /// `character` holds one character per line (blank and space left out).
    private static func charset(_ text: String, useSpaceChar: Bool, path: String) throws -> Charset {
        do {
            // Every line is a class of the trained model, repeated or not (see Charset.keepingDuplicates).
            return try Charset(dictionaryText: text, source: "\(path) (metadata 'character')", useSpaceChar: useSpaceChar,
                               keepingDuplicates: true)
        } catch {
            throw InferenceError(.metadata, "\(error)")
        }
    }
}
