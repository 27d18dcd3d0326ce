import Foundation
import OCRInference
import OCRModels
import Torch

extension ParityCheck {
    /// Runs an exported angle classifier through ONNX Runtime (OCRInference's session) and
    /// compares its `probs` with the softmax of the LibTorch eval-mode logits of the module it
    /// came from, on the same inputs. It also checks what the inference side relies on: input
    /// `x`, output `probs`, `ocrkit.kind = cls`, metadata that `ClassificationModelInfo` reads.
    /// - Parameters:
    ///   - batches: sizes of the random image-like batches (`randomImages`) at the model's input size.
    ///   - realInputs: prepared batches of real lines (B x C x H x W), measured after the random ones.
    ///   - tolerance: the largest accepted |probability difference|.
    public static func run(modelAt path: String, against classifier: AngleClassifier, batches: [Int] = [1, 3],
                           realInputs: [Tensor] = [], tolerance: ParityTolerance = .default) throws -> Report {
        let session = try InferenceSession(path: path, options: .init(intraOpThreads: 1, allowSpinning: false))
        guard session.inputNames == ["x"], session.outputNames == ["probs"], session.metadata.custom["ocrkit.kind"] == "cls" else {
            throw ExportError.parity("\(path): an OCRKit classifier has input x, output probs and ocrkit.kind cls; got inputs "
                                     + "\(session.inputNames), outputs \(session.outputNames), kind \(session.metadata.custom["ocrkit.kind"] ?? "none")")
        }
        // and the metadata as the inference side reads it (TextClassifier), so a contract break fails here
        _ = try ClassificationModelInfo(session: session)
        let wasTraining = classifier.isTraining
        classifier.eval()
        defer { classifier.train(wasTraining) }

        func measure(_ x: Tensor, source: String) throws -> Measurement {
            try compare(session, input: "x", output: "probs", x: x, expected: try noGrad { try classifier.probabilities(x) }, source: source)
        }

        var measurements: [Measurement] = []
        for batch in batches {
            let x = try randomImages(batch: batch, channels: classifier.inputChannels, height: classifier.inputHeight,
                                     width: classifier.inputWidth)
            measurements.append(try measure(x, source: "random"))
        }
        for x in realInputs { measurements.append(try measure(x, source: "real lines")) }
        return Report(measurements: measurements, tolerance: tolerance, output: "probs")
    }

    /// Writes `model` to a temporary file and checks it.
    public static func run(_ model: ONNXModel, against classifier: AngleClassifier, batches: [Int] = [1, 3],
                           tolerance: ParityTolerance = .default) throws -> Report {
        let file = try TemporaryModel(model)
        return try withExtendedLifetime(file) { try run(modelAt: file.path, against: classifier, batches: batches, tolerance: tolerance) }
    }
}
