import Foundation
import Imaging
import OCRCore
import OCRData
import OCRInference

/// An exported classifier (`ocrkit.kind = cls`) scored on a cls config's data section: every
/// sample once, in file order, policy `exclude`, decoded as `TextClassifier` reads files (BGR,
/// converted to the model's order) and prepared by the model's own preprocessing (its metadata's
/// `ClsResizeImg`), arg-max over `probs` - so the accuracy is the one deployment gets, scored by
/// the same `ClassificationEvaluation` as a checkpoint's evaluation. Samples are labelled with
/// the model's labels (`rotate_180` turns lines into its second label).
public enum OnnxClassification {
    /// Scores `model` on `section` (paths resolved, e.g. a run config's Eval section).
    public static func run(model: String, section: ClsDataSection, threads: Int = 0, seed: UInt64,
                           events: (TrainEvent) -> Void = { _ in }) throws -> ClassificationEvaluation {
        let classifier = try TextClassifier(modelPath: model, options: .init(intraOpThreads: threads, interOpThreads: 1))
        let labels = try ClassLabels(classifier.info.labels)
        var s = section.evaluating
        s.dataset.transforms.decodeMode = .bgr
        s.dataset.transforms.augment = nil
        let loader = try s.makeLoader(labels: labels, seed: seed)
        events(.message("evaluating \(model) (OCRKit classifier, labels \(labels.labels), input "
                        + classifier.info.resize.imageShape.map(String.init).joined(separator: "x")
                        + ", ONNX Runtime \(InferenceSession.runtimeVersion)) on:\n" + EvalData.describe(loader)))
        let order = loader.order(epoch: 0)
        var result = ClassificationEvaluation(labels: labels.labels)
        let t0 = Date()
        for b in 0..<loader.batchesPerEpoch {
            // Decoded samples, before the loader's own resize: the classifier prepares them itself.
            let samples = try loader.samples(epoch: 0, index: b, order: order)
            guard !samples.isEmpty else { continue }
            let rows = try classifier.probabilities(batch: classifier.preprocess(samples.map(\.image)))
            try result.add(scores: rows.flatMap { $0 }, truths: samples.map { try labels.encode($0.text, source: $0.source) },
                           sources: samples.map(\.source), groups: samples.map(\.group))
        }
        result.samplesPerSecond = Double(result.samples) / max(Date().timeIntervalSince(t0), 1e-9)
        result.recordNotScored(from: loader.dataset)
        return result
    }

    /// A loader over `section` that prepares samples with the model's own preprocessing (its
    /// resize, normalisation and channel order), in order, without augmentation: model inputs for
    /// parity checks and INT8 calibration (`ExportJob`).
    public static func loader(for info: ClassificationModelInfo, section: ClsDataSection, seed: UInt64,
                              issuePolicy: LabelIssuePolicy = .skip) throws -> LineLoader {
        var s = section
        s.dataset.transforms.resize = info.resize
        s.dataset.transforms.augment = nil
        s.loader.shuffle = false
        s.dataset.transforms.decodeMode = DecodeMode(decodingFor: info.colorOrder)
        return try s.makeLoader(labels: ClassLabels(info.labels), seed: seed, issuePolicy: issuePolicy)
    }
}
