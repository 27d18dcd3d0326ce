import Foundation
import OCRInference

/// Milliseconds per line of ONNX models under ONNX Runtime, on random input of a fixed shape.
///
/// Several models are timed in interleaved rounds (A, B, C, A, B, C, ...) rather than one after
/// the other, so that load from other processes on a shared machine falls on all of them alike;
/// the figure is the median over every timed run.
public enum OnnxLatency {
    public struct Figure: Sendable, Codable {
        public var batch: Int
        public var msPerLine: Double
        public var linesPerSecond: Double { 1000 / msPerLine }
        /// How many timed runs the median is over.
        public var runs: Int
    }

    public struct Options: Sendable {
        public var batches = [1, 8]
        public var threads = 2
        /// Untimed runs per model and batch size before timing (allocator, thread pool, kernels' packed weights).
        public var warmup = 3
        public var rounds = 5
        /// Lines each model runs per round and batch size: 16 runs of batch 1, 2 of batch 8.
        public var linesPerRound = 16
        public init() {}
    }

    /// The figures for each model file, in the order given; `shape` is C x H x W.
    public static func measure(_ paths: [String], shape: [Int], options: Options = Options()) throws -> [[Figure]] {
        let sessions = try paths.map {
            try InferenceSession(path: $0, options: .init(intraOpThreads: options.threads, interOpThreads: 1))
        }
        let inputs = try options.batches.map { batch in
            try FloatTensor((0..<(batch * shape.reduce(1, *))).map { _ in Float.random(in: -1...1) }, shape: [batch] + shape)
        }
        for s in sessions { for x in inputs { for _ in 0..<options.warmup { _ = try s.run([s.inputNames[0]: x]) } } }

        var times = [[[Double]]](repeating: [[Double]](repeating: [], count: inputs.count), count: sessions.count)
        for _ in 0..<options.rounds {
            for (m, s) in sessions.enumerated() {
                for (b, x) in inputs.enumerated() {
                    // One untimed run first: the previous model's pool threads may still be spinning
                    // (ONNX Runtime's default) and would take a core from this model's first run.
                    _ = try s.run([s.inputNames[0]: x])
                    for _ in 0..<max(1, options.linesPerRound / options.batches[b]) {
                        let t0 = DispatchTime.now().uptimeNanoseconds
                        _ = try s.run([s.inputNames[0]: x])
                        times[m][b].append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                    }
                }
            }
        }
        return times.map { perBatch in
            zip(options.batches, perBatch).map { batch, t in
                Figure(batch: batch, msPerLine: t.sorted()[t.count / 2] / Double(batch), runs: t.count)
            }
        }
    }
}
