import Foundation
import OCRInference

/// INT8 post-training quantisation of an exported model: calibrate activation ranges with ONNX
/// Runtime on images prepared exactly as in training, rewrite to QDQ, and measure what each
/// quantised layer costs on its own.
public enum INT8Quantization {
    /// Runs the float model on `batches` with every tensor of `tensors` as an extra output: a first
    /// pass records extremes, a second (percentile and entropy only) the |x| histograms.
    public static func observe(_ model: ONNXModel, tensors: [String], batches: [FloatTensor], method: CalibrationMethod,
                               threads: Int = 2, progress: (String) -> Void = { _ in }) throws -> [String: TensorStatistics] {
        guard !batches.isEmpty else { throw QuantizationError("no calibration images") }
        var probe = model
        let existing = Set(probe.graph.outputs.map(\.name))
        for t in tensors where !existing.contains(t) {
            var info = ONNXValueInfo(name: t, dims: [])
            info.hasShape = false
            probe.graph.outputs.append(info)
        }
        let session = try TemporaryModel(probe).session(threads: threads)
        var stats = Dictionary(uniqueKeysWithValues: tensors.map { ($0, TensorStatistics()) })
        let passes = method == .minMax ? 1 : 2
        for pass in 1...passes {
            for (i, batch) in batches.enumerated() {
                let out = try session.run(["x": batch], outputs: tensors)
                for t in tensors {
                    guard let v = out[t]?.values else { continue }
                    if pass == 1 { stats[t]!.observeRange(v) } else { stats[t]!.observeHistogram(v) }
                }
                progress("calibration pass \(pass)/\(passes): batch \(i + 1)/\(batches.count)")
            }
        }
        return stats
    }

    /// The QDQ model for `options`, its plan and the ranges used.
    public static func quantize(_ model: ONNXModel, calibration batches: [FloatTensor], options: QuantizationOptions,
                                threads: Int = 2, progress: (String) -> Void = { _ in })
        throws -> (model: ONNXModel, plan: QDQQuantizer.Plan, ranges: [String: (lo: Float, hi: Float)]) {
        let plan = QDQQuantizer.plan(model.graph, options: options)
        guard !plan.nodes.isEmpty else { throw QuantizationError("nothing to quantise: no Conv or weight MatMul outside keep-float \(options.keepFloat)") }
        let stats = try observe(model, tensors: plan.activations, batches: batches, method: options.method,
                                threads: threads, progress: progress)
        let ranges = stats.mapValues { $0.range(options.method) }
        var quantized = try QDQQuantizer.quantize(model, plan: plan, ranges: ranges, activationType: options.activationType)
        quantized.metadataProps = quantized.metadataProps.map {
            $0.key == "ocrkit.precision" ? ($0.key, "int8") : $0
        } + [("ocrkit.int8.calibration", "\(options.method), \(batches.reduce(0) { $0 + $1.shape[0] }) images"),
             ("ocrkit.int8.activations", options.activationType.rawValue),
             ("ocrkit.int8.float_layers", options.keepFloat.joined(separator: ","))]
        return (quantized, plan, ranges)
    }

    /// What quantising one operator alone does to the model's scores.
    public struct LayerSensitivity: Sendable {
        public var name: String
        public var opType: String
        /// Largest absolute difference of the scores (logits, probabilities) from the float model's.
        public var maxAbsDiff: Float
        /// Share of frames (recogniser time steps, classifier samples) whose best class differs from the float model's.
        public var frameDisagreement: Double
    }

    /// Quantises each planned operator on its own and compares `output` (the last axis holding the
    /// classes: a recogniser's `logits`, a classifier's `probs`) with the float model's on
    /// `batches`; most damaging first.
    public static func sensitivity(_ model: ONNXModel, plan: QDQQuantizer.Plan, ranges: [String: (lo: Float, hi: Float)],
                                   activationType: ActivationType, batches: [FloatTensor], output: String = "logits",
                                   threads: Int = 2, progress: (String) -> Void = { _ in }) throws -> [LayerSensitivity] {
        let reference = try TemporaryModel(model).session(threads: threads)
        let expected = try batches.map { batch in
            guard let y = try reference.run(["x": batch], outputs: [output])[output] else { throw QuantizationError("the model has no output '\(output)'") }
            return y
        }
        var result: [LayerSensitivity] = []
        for (k, node) in plan.nodes.enumerated() {
            let single = try QDQQuantizer.quantize(model, plan: plan.only([node.name]), ranges: ranges, activationType: activationType)
            let session = try TemporaryModel(single).session(threads: threads)
            var worst: Float = 0, frames = 0, differing = 0
            for (batch, want) in zip(batches, expected) {
                let got = try session.run(["x": batch], outputs: [output])[output]!
                worst = max(worst, zip(got.values, want.values).map { abs($0 - $1) }.max() ?? 0)
                let classes = want.shape.last ?? 1
                for f in 0..<(want.values.count / classes) {
                    frames += 1
                    if argmax(got.values, f * classes, classes) != argmax(want.values, f * classes, classes) { differing += 1 }
                }
            }
            result.append(LayerSensitivity(name: node.name, opType: node.opType, maxAbsDiff: worst,
                                           frameDisagreement: Double(differing) / Double(max(frames, 1))))
            progress("sensitivity: layer \(k + 1)/\(plan.nodes.count)")
        }
        return result.sorted { ($0.frameDisagreement, $0.maxAbsDiff) > ($1.frameDisagreement, $1.maxAbsDiff) }
    }

    static func argmax(_ v: [Float], _ start: Int, _ count: Int) -> Int {
        var best = start
        for i in start..<(start + count) where v[i] > v[best] { best = i }
        return best - start
    }
}
