import Foundation
import NN
import Torch

/// Training-step throughput of a recogniser on random data, for `ocr-bench` and regression checks.
public enum ModelBenchmark {
    public struct Options: Sendable {
        /// Images per step.
        public var batch = 64
        /// Input width; nil means the model's fixed width, else 320.
        public var width: Int?
        /// Timed steps, after `warmup` untimed ones.
        public var steps = 5
        public var warmup = 1
        /// Feed the convolutions channels-last (NHWC) input; nil keeps the model's `channelsLastInput`.
        public var channelsLast: Bool?
        /// Also run an AdamW step (forward + backward only when false).
        public var optimizerStep = false
        /// LibTorch intra-op threads for the run (restored afterwards); nil keeps the current setting.
        public var threads: Int?
        /// Characters per random CTC target.
        public var targetLength = 10
        /// Run the forward pass under bfloat16 autocast (as `Global.bf16` does in training).
        public var bf16 = false

        public init(batch: Int = 64, width: Int? = nil, steps: Int = 5, warmup: Int = 1, channelsLast: Bool? = nil,
                    optimizerStep: Bool = false, threads: Int? = nil, targetLength: Int = 10, bf16: Bool = false) {
            self.batch = batch
            self.width = width
            self.steps = steps
            self.warmup = warmup
            self.channelsLast = channelsLast
            self.optimizerStep = optimizerStep
            self.threads = threads
            self.targetLength = targetLength
            self.bf16 = bf16
        }
    }

    public struct Result: Sendable, CustomStringConvertible {
        public var batch: Int, inputShape: [Int], threads: Int, channelsLast: Bool, optimizerStep: Bool, bf16 = false
        /// Wall-clock seconds of each timed step.
        public var stepSeconds: [Double]
        public var medianStepSeconds: Double { stepSeconds.sorted()[stepSeconds.count / 2] }
        public var samplesPerSecond: Double { Double(batch) / medianStepSeconds }

        public var description: String {
            let what = optimizerStep ? "fwd+bwd+AdamW" : "fwd+bwd"
            return "\(what) batch \(batch) x \(inputShape.map(String.init).joined(separator: "x")), \(threads) threads"
                + (channelsLast ? ", channels-last" : "") + (bf16 ? ", bf16 autocast" : "")
                + String(format: ": %.3f s/step (median of %d), %.1f samples/s", medianStepSeconds, stepSeconds.count, samplesPerSecond)
        }
    }

    /// Times forward, CTC loss and backward (plus an optimizer step if asked) on random images and
    /// targets. The model is left in training mode with its parameters changed only if
    /// `optimizerStep` is set.
    public static func trainingThroughput(_ model: any Recognizer, options o: Options = Options()) throws -> Result {
        let previousThreads = Torch.threads
        if let t = o.threads { Torch.threads = t }
        defer { Torch.threads = previousThreads }

        let width = o.width ?? model.fixedInputWidth ?? 320
        let shape = [o.batch, model.inputChannels, model.inputHeight, width]
        let t = model.outputLength(forWidth: width)
        let targetLength = min(o.targetLength, max(1, t / 2))
        let x = try Tensor.randn(shape)
        let previousLayout = model.channelsLastInput
        if let cl = o.channelsLast { model.channelsLastInput = cl }
        defer { model.channelsLastInput = previousLayout }
        let targets = try Tensor.randint(1, model.classes, [o.batch, targetLength])
        let optimizer = o.optimizerStep
            ? try Optimizer(.adamW, parameters: model.trainableParameters(), options: OptimizerOptions(lr: 1e-4, weightDecay: 0.01))
            : nil
        model.train()

        func step() throws {
            let logits = try Torch.withBF16Autocast(o.bf16) { try model(x) }.to(.float32)   // B x T x C
            let logProbs = try logits.logSoftmax(dim: 2).permute([1, 0, 2])     // T x B x C
            let loss = try F.ctcLoss(logProbs: logProbs, targets: targets,
                                     inputLengths: Array(repeating: t, count: o.batch),
                                     targetLengths: Array(repeating: targetLength, count: o.batch))
            for p in model.parameters() { try p.zeroGrad() }
            try loss.backward()
            try optimizer?.step()
            _ = try loss.item()                                                 // host sync: the step is done
        }
        for _ in 0..<o.warmup { try step() }
        var seconds: [Double] = []
        for _ in 0..<max(1, o.steps) {
            let start = DispatchTime.now().uptimeNanoseconds
            try step()
            seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return Result(batch: o.batch, inputShape: Array(shape.dropFirst()), threads: Torch.threads,
                      channelsLast: model.channelsLastInput, optimizerStep: o.optimizerStep, bf16: o.bf16, stepSeconds: seconds)
    }
}
