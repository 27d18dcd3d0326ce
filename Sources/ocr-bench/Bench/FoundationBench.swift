import ArgumentParser
import Foundation
import NN
import Torch

/// `ocr-bench foundation`: the shim's per-call overhead, one CRNN-sized training step next to the
/// same graph in C++, and resident memory over many small training steps.
struct FoundationBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "foundation",
        abstract: "Shim overhead per op, a CRNN-sized training step vs. C++ LibTorch, and RSS over 10,000 steps.")

    @Option(help: "Path of the torch-bench-ref executable (the C++ reference); omitted: no comparison.")
    var reference: String?
    @Option(help: "Tiny-op calls timed for the overhead figure.") var calls = 200_000
    @Option(help: "Batch size of the training step.") var batch = 64
    @Option(help: "Timed training steps (after two warm-up steps); the median is reported.") var steps = 5
    @Option(help: "Intra-op threads.") var threads = 2
    @Option(help: "Forward/backward steps of the small model for the memory figure.") var memorySteps = 10_000
    @Option(help: "Where the figures are written as JSON (and read back next time for comparison).")
    var results = "bench-results/foundation.json"

    func run() throws {
        let v = Tensor.libtorchVersion
        print("OCRKit foundation benchmark - LibTorch \(v.major).\(v.minor).\(v.patch), \(threads) threads")
        var figures: [String: Double] = [:]

        // 1. overhead per op call
        let swiftUs = try opOverhead()
        figures["op_us_swift"] = swiftUs
        print("\nshim overhead (add of two 1-element tensors, \(calls) calls, 1 thread):")
        print(String(format: "  Swift via CTorch  %8.3f us/call", swiftUs))
        if let cpp = try reference.map({ _ in try runReference(["overhead", "\(calls)"], key: "us_per_call") }) {
            figures["op_us_cpp"] = cpp
            print(String(format: "  C++ direct        %8.3f us/call", cpp))
            print(String(format: "  overhead          %8.3f us/call   (target <= 5 us)", swiftUs - cpp))
        }

        // 2. one training step
        Torch.threads = threads
        let stepMs = try trainingStep()
        figures["step_ms_swift"] = stepMs
        print("\ntraining step (conv stack + 2-layer BiLSTM, CTC, AdamW; batch \(batch), 3x32x320, \(threads) threads):")
        print(String(format: "  Swift             %8.1f ms/step  (%.1f samples/s)", stepMs, Double(batch) * 1000 / stepMs))
        if let cpp = try reference.map({ _ in try runReference(["step", "\(batch)", "\(steps)", "\(threads)"], key: "ms_per_step") }) {
            figures["step_ms_cpp"] = cpp
            print(String(format: "  C++ direct        %8.1f ms/step  (%.1f samples/s)", cpp, Double(batch) * 1000 / cpp))
            print(String(format: "  Swift / C++       %8.3f          (target <= 1.05)", stepMs / cpp))
        }

        // 3. memory over many steps
        let (start, end) = try memoryFlatness()
        figures["rss_start_mib"] = start
        figures["rss_end_mib"] = end
        figures["rss_peak_mib"] = ProcessStats.peakResidentMiB()
        print(String(format: "  growth %.1f MiB over %d steps; peak RSS of this run %.1f MiB", end - start, memorySteps,
                     ProcessStats.peakResidentMiB()))

        try BenchResults.compareAndSave(figures, to: results)
    }

    private func opOverhead() throws -> Double {
        Torch.threads = 1
        let a = try Tensor.ones([1]), b = try Tensor.ones([1])
        for _ in 0..<1000 { _ = try a + b }
        let t0 = ProcessStats.now()
        for _ in 0..<calls { _ = try a + b }
        return (ProcessStats.now() - t0) * 1e6 / Double(calls)
    }

    private func trainingStep() throws -> Double {
        Torch.seed(0)
        let classes = 97, timeSteps = 80, targetLength = 10
        let model = try BenchCRNN(classes: classes)
        var options = OptimizerOptions(lr: 1e-3, weightDecay: 0.01)
        options.eps = 1e-8
        let opt = try Optimizer(.adamW, parameters: model.parameters(), options: options)
        let x = try Tensor.randn([batch, 3, 32, 320])
        let targets = try Tensor.randint(1, classes, [batch, targetLength])
        let il = [Int](repeating: timeSteps, count: batch), tl = [Int](repeating: targetLength, count: batch)
        var times: [Double] = []
        for s in 0..<(steps + 2) {
            let t0 = ProcessStats.now()
            let lp = try model(x)
            let loss = try F.ctcLoss(logProbs: lp, targets: targets, inputLengths: il, targetLengths: tl)
            try opt.zeroGrad()
            try loss.backward()
            try opt.step()
            if s >= 2 { times.append(ProcessStats.now() - t0) }   // two warm-up steps
        }
        return times.sorted()[times.count / 2] * 1000   // median: robust to a busy neighbour
    }

    /// A small conv + LSTM model trained for `memorySteps` steps; RSS sampled along the way.
    private func memoryFlatness() throws -> (Double, Double) {
        print("\nmemory (small conv+BN+BiLSTM, CTC, AdamW, batch 8, 3x32x64; \(memorySteps) forward/backward steps):")
        Torch.seed(1)
        let model = try BenchCRNN(classes: 11, widths: [8, 16], hidden: 16, layers: 1)
        let opt = try Optimizer(.adamW, parameters: model.parameters(), options: OptimizerOptions(lr: 1e-3))
        let x = try Tensor.randn([8, 3, 32, 64])
        let targets = try Tensor.randint(1, 11, [8, 5])
        let il = [Int](repeating: 16, count: 8), tl = [Int](repeating: 5, count: 8)
        func step() throws {
            let loss = try F.ctcLoss(logProbs: model(x), targets: targets, inputLengths: il, targetLengths: tl)
            try opt.zeroGrad()
            try loss.backward()
            try opt.step()
        }
        for _ in 0..<200 { try step() }                  // warm-up: allocator caches fill
        let start = ProcessStats.residentMiB()
        var line = String(format: "  RSS %.1f MiB at step 0", start)
        let t0 = ProcessStats.now()
        for s in 1...memorySteps {
            try step()
            if s % (memorySteps / 4) == 0 { line += String(format: ", %.1f at %d", ProcessStats.residentMiB(), s) }
        }
        let end = ProcessStats.residentMiB()
        print(line)
        print(String(format: "  %.2f ms/step", (ProcessStats.now() - t0) * 1000 / Double(memorySteps)))
        return (start, end)
    }

    private func runReference(_ args: [String], key: String) throws -> Double {
        let (status, out) = try ProcessStats.run(reference!, args)
        guard status == 0,
              let line = out.split(separator: "\n").first(where: { $0.hasPrefix(key) }),
              let value = Double(line.split(separator: " ").last ?? "")
        else { throw ValidationError("\(reference!) \(args.joined(separator: " ")) failed: \(out)") }
        return value
    }
}
