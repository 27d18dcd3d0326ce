import Foundation
import OCRInference
import OCRModels
import Torch

extension ParityCheck {
    /// B x H x W of the random image-like inputs a detector is checked on by default: small,
    /// landscape-batched and portrait-large, every side a multiple of 32 as the model takes.
    public static let detectorSizes: [(batch: Int, height: Int, width: Int)] = [(1, 320, 320), (2, 640, 480), (1, 960, 640)]

    /// Runs an exported DB detector through ONNX Runtime (OCRInference's session) and compares
    /// its `maps` with the LibTorch eval-mode probability map of the module it came from, on the
    /// same inputs. It also checks what the inference side relies on: input `x`, output `maps`,
    /// metadata `DetectorMetadata(properties:)` reads (`ocrkit.kind = det`).
    /// - Parameters:
    ///   - sizes: random image-like inputs (`randomImages`), batch x height x width.
    ///   - realInputs: prepared batches of real pages (B x C x H x W), measured after the random ones.
    ///   - tolerance: the largest accepted |probability difference|.
    public static func run(modelAt path: String, against detector: DBNet,
                           sizes: [(batch: Int, height: Int, width: Int)] = detectorSizes,
                           realInputs: [Tensor] = [], tolerance: ParityTolerance = .default) throws -> Report {
        let session = try InferenceSession(path: path, options: .init(intraOpThreads: 1, allowSpinning: false))
        guard session.inputNames == ["x"], session.outputNames == [DetectorMetadata.output] else {
            throw ExportError.parity("\(path): an OCRKit detector has input x and output \(DetectorMetadata.output); got inputs "
                                     + "\(session.inputNames), outputs \(session.outputNames)")
        }
        _ = try DetectorMetadata(properties: session.metadata.custom)
        let wasTraining = detector.isTraining
        detector.eval()
        defer { detector.train(wasTraining) }

        func measure(_ x: Tensor, source: String) throws -> Measurement {
            var m = try compare(session, input: "x", output: DetectorMetadata.output, x: x,
                                expected: try noGrad { try detector(x) }, source: source)
            m.height = x.size(2)
            return m
        }
        var measurements: [Measurement] = []
        for s in sizes {
            let x = try randomImages(batch: s.batch, channels: detector.inputChannels, height: s.height, width: s.width)
            measurements.append(try measure(x, source: "random"))
        }
        for x in realInputs { measurements.append(try measure(x, source: "real pages")) }
        return Report(measurements: measurements, tolerance: tolerance, output: DetectorMetadata.output)
    }

    /// Writes `model` to a temporary file and checks it.
    public static func run(_ model: ONNXModel, against detector: DBNet, sizes: [(batch: Int, height: Int, width: Int)] = detectorSizes,
                           tolerance: ParityTolerance = .default) throws -> Report {
        let file = try TemporaryModel(model)
        return try withExtendedLifetime(file) { try run(modelAt: file.path, against: detector, sizes: sizes, tolerance: tolerance) }
    }
}
