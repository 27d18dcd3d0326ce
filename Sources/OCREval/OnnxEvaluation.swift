import Foundation
import OCRCore
import OCRData
import OCRInference

/// `ocr-eval` on an exported `.onnx` recogniser: the model's own preprocessing (from its metadata)
/// drives the training loader, and `RecognitionEvaluator` scores the lines - the same loader and
/// metrics code as a checkpoint's evaluation, so the two reports compare line for line.
///
/// Batches are padded to the model's input width, as the training loader (and PaddleOCR's own
/// evaluation) does; `ocr predict` widens batches of PaddleOCR models to the widest line instead.
public enum OnnxEvaluation {
    /// Evaluates `model` on `data` (label files or packed `.h5`), or on the config's Eval data.
    /// `run` is optional: the run config's Eval section, `Global.max_text_length`, `Global.threads` and
    /// metric options; without it `data` is required and those take their defaults.
    public static func run(model: String, config run: EvalSettings?, data: [String]?, worstImages: Int = 20,
                           events: (TrainEvent) -> Void) throws -> RecognitionEvaluator.Result {
        let recognizer = try TextRecognizer(modelPath: model, options: .init(intraOpThreads: run?.threads ?? 0, interOpThreads: 1))
        let info = recognizer.info
        let loader = try self.loader(for: info, config: run, data: data)
        events(.message("evaluating \(model) (\(info.origin == .ocrkit ? "OCRKit" : "PaddleOCR") recogniser, \(info.charset), "
                        + "input \(info.resize.imageShape.map(String.init).joined(separator: "x")), ONNX Runtime "
                        + "\(InferenceSession.runtimeVersion)) on:\n" + EvalData.describe(loader)))
        let stream = LineBatchStream(loader)
        try stream.start(epoch: 0, skipping: 0)
        defer { stream.close() }
        let evaluator = RecognitionEvaluator(charset: info.charset, options: run?.metricOptions ?? .paddleOCR,
                                             keepWorstImages: worstImages)
        return try evaluator.evaluate(next: stream.next) { batch in
            try recognizer.recognize(batch: FloatTensor(batch.pixels, shape: batch.shape))
        }
    }

    /// A loader over `data` (or the config's Eval data, or `section` when given) that prepares
    /// lines with the model's own preprocessing, in order, without augmentation.
    public static func loader(for info: RecognitionModelInfo, config run: EvalSettings?, data: [String]?,
                              section given: RecDataSection? = nil) throws -> LineLoader {
        let base: RecDataSection
        if let given {
            base = given
        } else if let section = run?.eval ?? (data != nil ? run?.train : nil) {
            base = section
        } else if data != nil {
            base = RecDataSection(dataset: RecDatasetConfig(name: "SimpleDataSet"))
        } else {
            throw TrainError("the config has no Eval section: give --data LABELS_OR_H5")
        }
        var section = try data.map { try EvalData.section(for: $0, like: base) } ?? base
        // The model's preprocessing, whatever the config says: it is the one the model was exported with.
        section.dataset.transforms.resize = info.resize
        section.dataset.transforms.augment = nil
        section.loader.shuffle = false
        section.dataset.transforms.decodeMode = switch info.colorOrder {
        case .gray: .gray
        case .rgb, .rgba: .rgb
        case .bgr, .bgra: .bgr
        }
        return try section.makeLoader(charset: info.charset, maxTextLength: run?.maxTextLength, seed: (run?.seed ?? 0) &+ 1)
    }
}
