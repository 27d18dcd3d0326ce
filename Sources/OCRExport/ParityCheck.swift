import Foundation
import OCRInference
import OCRModels
import Torch

/// Runs an exported recogniser through ONNX Runtime (OCRInference's session, the one serving
/// uses) and compares its output with the LibTorch eval-mode forward of the module it came from,
/// on the same random inputs. It also reads the file's metadata as the inference side does
/// (`RecognitionModelInfo`), so a contract break fails here rather than at serving time.
/// `ocr-export` runs it on every export.
///
/// A recogniser is compared on probabilities - the softmax over classes of both sides' logits -
/// because that is what inference reads: `CTCGreedyDecoder` takes the argmax and the softmax
/// maximum (the confidence) per frame. A drift that softmax removes cannot change a reading, and
/// probabilities stay in [0, 1] however large a 6,625-class model's logits grow, so one
/// `ParityTolerance` fits every model kind (cls compares probs, det its probability map).
public enum ParityCheck {
    /// One input size.
    public struct Measurement: Sendable, Equatable {
        public var batch: Int
        public var width: Int
        /// The input's height where it varies (detection); nil where the model has one height.
        public var height: Int?
        public var maxAbsDiff: Double
        /// The largest |value| of the reference (LibTorch) output: the relative limit's scale.
        public var referenceMaxAbs: Double
        /// "random" input or "real lines".
        public var source = "random"

        public init(batch: Int, width: Int, maxAbsDiff: Double, referenceMaxAbs: Double = 0, source: String = "random") {
            self.batch = batch
            self.width = width
            self.maxAbsDiff = maxAbsDiff
            self.referenceMaxAbs = referenceMaxAbs
            self.source = source
        }
    }

    public struct Report: Sendable, Equatable, CustomStringConvertible {
        public var measurements: [Measurement]
        public var tolerance: ParityTolerance
        /// What was compared: the recogniser's "probabilities (softmax of logits)", the classifier's
        /// "probs", the detector's "maps".
        public var output = "probabilities (softmax of logits)"
        /// The largest difference over every measurement.
        public var maxAbsDiff: Double { measurements.map(\.maxAbsDiff).max() ?? 0 }
        /// The limit of one measurement.
        public func limit(of m: Measurement) -> Double { tolerance.limit(scale: m.referenceMaxAbs) }
        /// Every measurement within its limit (a NaN difference counts as infinite).
        public var passed: Bool { !measurements.isEmpty && measurements.allSatisfy { $0.maxAbsDiff <= limit(of: $0) } }

        public init(measurements: [Measurement], tolerance: ParityTolerance, output: String = "probabilities (softmax of logits)") {
            self.measurements = measurements
            self.tolerance = tolerance
            self.output = output
        }

        public var description: String {
            let lines = measurements.map {
                "  \($0.source), batch \($0.batch), " + ($0.height.map { "size \($0) x " } ?? "width ") + "\($0.width): max |diff| = "
                    + String(format: "%.2e (limit %.2e at max |reference| %.3g)", $0.maxAbsDiff, limit(of: $0), $0.referenceMaxAbs)
            }
            return (["ONNX Runtime vs LibTorch \(output) (limit \(tolerance)): " + (passed ? "passed" : "FAILED")] + lines)
                .joined(separator: "\n")
        }

        /// Throws `ExportError.parity` naming the largest difference unless every measurement is within the limit.
        public func requirePassed() throws {
            guard passed else { throw ExportError.parity(description) }
        }
    }

    /// - Parameters:
    ///   - path: the exported `.onnx` file.
    ///   - recognizer: the module it was exported from (run in eval mode; its mode is restored).
    ///   - batches, widths: random input sizes; widths default to the fixed width, or 100, 160 and 320.
    ///   - realInputs: prepared batches of real lines (B x C x H x W), measured after the random ones.
    ///   - tolerance: the largest accepted |probability difference|.
    public static func run(modelAt path: String, against recognizer: any Recognizer, batches: [Int] = [1, 3],
                           widths: [Int]? = nil, realInputs: [Tensor] = [], tolerance: ParityTolerance = .default) throws -> Report {
        let session = try InferenceSession(path: path, options: .init(intraOpThreads: 1, allowSpinning: false))
        let info = try RecognitionModelInfo(session: session)
        let wasTraining = recognizer.isTraining
        recognizer.eval()
        defer { recognizer.train(wasTraining) }

        func measure(_ x: Tensor, source: String) throws -> Measurement {
            try compare(session, input: info.inputName, output: info.outputName, x: x,
                        expected: try noGrad { try recognizer(x) }, source: source, softmaxOverClasses: info.scores == .logits)
        }

        var measurements: [Measurement] = []
        let widths = widths ?? recognizer.fixedInputWidth.map { [$0] } ?? [100, 160, 320]
        for width in widths {
            for batch in batches {
                let x = try randomImages(batch: batch, channels: recognizer.inputChannels, height: recognizer.inputHeight, width: width)
                measurements.append(try measure(x, source: "random"))
            }
        }
        for x in realInputs { measurements.append(try measure(x, source: "real lines")) }
        return Report(measurements: measurements, tolerance: tolerance)
    }

    /// ONNX Runtime's `output` of `session` for `x` against LibTorch's `expected`: the largest
    /// |difference|, a NaN anywhere counting as infinite, and the largest |expected| value.
    /// `softmaxOverClasses`: both are logits with classes on the last axis, compared as
    /// probabilities. Every kind's parity check measures here.
    static func compare(_ session: InferenceSession, input: String, output: String, x: Tensor, expected: Tensor,
                        source: String, softmaxOverClasses: Bool = false) throws -> Measurement {
        let got = try session.run([input: FloatTensor(x.toArray(Float.self), shape: x.shape)], outputs: [output])[output]
        guard let got, got.shape == expected.shape else {
            throw ExportError.parity("\(session.path): ONNX Runtime gives \(output) \(got?.shape ?? []), LibTorch \(expected.shape) "
                                     + "for input \(x.shape)")
        }
        var (ours, theirs) = (got.values, try expected.toArray(Float.self))
        if softmaxOverClasses {
            let last = expected.rank - 1
            ours = try Tensor(ours, shape: got.shape).softmax(dim: last).toArray(Float.self)
            theirs = try expected.softmax(dim: last).toArray(Float.self)
        }
        let diff = zip(ours, theirs).reduce(0.0) { m, p in
            let d = Double(abs(p.0 - p.1))
            return d.isNaN ? .infinity : max(m, d)
        }
        let scale = theirs.reduce(0.0) { max($0, Double(abs($1))) }
        return Measurement(batch: x.size(0), width: x.size(3), maxAbsDiff: diff, referenceMaxAbs: scale, source: source)
    }

    /// Random normalised images with structure at several scales: coarse noise (an eighth of the
    /// size) upsampled bilinearly, plus pixel noise. White noise alone is a poor probe - deep
    /// convolutional features average it away, so a random-init MobileNetV3 gives nearly the same
    /// logits for every such input, and a wrong export could pass a parity check on it.
    public static func randomImages(batch: Int, channels: Int, height: Int, width: Int) throws -> Tensor {
        let coarse = try Tensor.randn([batch, channels, max(1, height / 8), max(1, width / 8)])
        let smooth = try F.interpolate(coarse, size: (height, width), mode: .bilinear)
        return try smooth * 1.5 + Tensor.randn([batch, channels, height, width]) * 0.5
    }

    /// Writes `model` to a temporary file and checks it (for callers that have not written it yet).
    public static func run(_ model: ONNXModel, against recognizer: any Recognizer, batches: [Int] = [1, 3],
                           widths: [Int]? = nil, tolerance: ParityTolerance = .default) throws -> Report {
        let file = try TemporaryModel(model)
        return try withExtendedLifetime(file) {
            try run(modelAt: file.path, against: recognizer, batches: batches, widths: widths, tolerance: tolerance)
        }
    }
}
