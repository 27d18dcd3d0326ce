import Foundation
import Imaging
import OCRCore
import OCRData
import OCRInference

/// `ocr-eval` on an exported `.onnx` recogniser (OCRKit's or PaddleOCR's): each line is read
/// exactly as `ocr predict` reads it - the decoded image goes through `TextRecognizer`'s own
/// preprocessing (the model's metadata; batches widened to the widest line for PaddleOCR models),
/// batching and decoding - so the accuracy reported is the one deployment gets. The data comes
/// from the training loader's datasets in file order, under policy `exclude`, and
/// `RecognitionEvaluator` scores it with the same metrics as a checkpoint's evaluation.
public enum OnnxEvaluation {
    /// Evaluates `model` on `data` (label files or packed `.h5`), or on the config's Eval data.
    /// `run` is optional: the run config's Eval section, `Global.max_text_length`, `Global.threads` and
    /// metric options; without it `data` is required and those take their defaults.
    public static func run(model: String, config run: EvalSettings?, data: [String]?, worstImages: Int = 20,
                           events: (TrainEvent) -> Void) throws -> RecognitionEvaluator.Result {
        // `ocr predict`'s defaults: batch size 8, lines sorted by width `chunkSize` at a time.
        let recognizer = try TextRecognizer(modelPath: model, options: .init(intraOpThreads: run?.threads ?? 0, interOpThreads: 1))
        let info = recognizer.info
        var section = try baseSection(config: run, data: data)
        // Decoded as `ocr predict` decodes files (BGR; TextRecognizer converts to the model's order),
        // handed over in predict's chunks.
        section.dataset.transforms.decodeMode = .bgr
        section.dataset.transforms.augment = nil
        section.loader.batchSize = recognizer.chunkSize
        section = section.evaluating
        let dataset = try EvalData.dataset(section, settings: run, charset: info.charset)
        // The pipeline's resize is not used: samples(epoch:index:) stops before it.
        let loader = LineLoader(dataset: dataset, pipeline: LinePipeline(resize: info.resize), options: section.loader,
                                seed: (run?.seed ?? 0) &+ 1)
        events(.message("evaluating \(model) (\(info.origin == .ocrkit ? "OCRKit" : "PaddleOCR") recogniser, \(info.charset), "
                        + "input \(info.resize.imageShape.map(String.init).joined(separator: "x"))"
                        + (info.batchWidth == .widestLine ? ", batches widened to the widest line" : "")
                        + ", ONNX Runtime \(InferenceSession.runtimeVersion)) on:\n" + EvalData.describe(loader)))
        let order = loader.order(epoch: 0)
        var next = 0
        let evaluator = RecognitionEvaluator(charset: info.charset, options: run?.metricOptions ?? .paddleOCR,
                                             keepWorstImages: worstImages)
        var result = try evaluator.evaluate(samples: {
            guard next < loader.batchesPerEpoch else { return nil }
            defer { next += 1 }
            return try loader.samples(epoch: 0, index: next, order: order)
        }, recognize: { images in
            try recognizer.recognize(images).map { (text: $0.text, confidence: $0.confidence) }
        })
        result.recordNotScored(from: dataset)
        return result
    }

    /// A loader over `data` (or the config's Eval data, or `section` when given) that prepares
    /// lines with the model's own preprocessing, in order, without augmentation, padded to the
    /// model's input width: model inputs for parity checks and INT8 calibration (`ExportJob`).
    public static func loader(for info: RecognitionModelInfo, config run: EvalSettings?, data: [String]?,
                              section given: RecDataSection? = nil) throws -> LineLoader {
        var section = try given.map { g in try data.map { try EvalData.section(for: $0, like: g) } ?? g }
            ?? baseSection(config: run, data: data)
        // The model's preprocessing, whatever the config says: it is the one the model was exported with.
        section.dataset.transforms.resize = info.resize
        section.dataset.transforms.augment = nil
        section.loader.shuffle = false
        section.dataset.transforms.decodeMode = DecodeMode(decodingFor: info.colorOrder)
        return try section.makeLoader(charset: info.charset, maxTextLength: run?.maxTextLength, seed: (run?.seed ?? 0) &+ 1)
    }

    /// `data` in the shape of the config's Eval section (Train's when there is none), or the Eval
    /// section itself; without a config, label files or packs with the defaults.
    static func baseSection(config run: EvalSettings?, data: [String]?) throws -> RecDataSection {
        let base: RecDataSection
        if let section = run?.eval ?? (data != nil ? run?.train : nil) {
            base = section
        } else if data != nil {
            base = RecDataSection(dataset: RecDatasetConfig(name: "SimpleDataSet"))
        } else {
            throw TrainError("the config has no Eval section: give --data LABELS_OR_H5")
        }
        return try data.map { try EvalData.section(for: $0, like: base) } ?? base
    }
}
