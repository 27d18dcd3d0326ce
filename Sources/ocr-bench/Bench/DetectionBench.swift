import ArgumentParser
import Foundation
import OCRData
import OCRTrain

/// `ocr-bench detection`: DB detection training measured end to end - pages rendered from font
/// files, augmented, cropped, labelled with shrink and threshold maps by the loader, and trained
/// on - for MobileNetV3-large x0.5 with DBFPN 256 (PaddleOCR's det_mv3_db) and RSEFPN 96 (the
/// demo's), at PaddleOCR's 640x640 crop and the demo's 320x320; and the page renderer alone.
/// Each case runs in a child process so its peak memory is its own.
struct DetectionBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detection",
        abstract: "Det training samples/s end to end, data-wait share, peak RSS; loader and page-renderer pages/s.")

    @Option(parsing: .upToNextOption, help: "Cases: NECK-SIZE, NECK dbfpn or rsefpn, e.g. dbfpn-640.")
    var cases = ["dbfpn-640", "rsefpn-640", "rsefpn-320"]
    @Option(help: "Crops per step.") var batch = 8
    @Option(help: "Timed training steps per case, after the warm-up steps.") var steps = 6
    @Option(help: "Untimed warm-up steps.") var warmup = 2
    @Option(help: "Intra-op threads.") var threads = 2
    @Option(help: "Pages the renderer draws alone (one thread, 960x960), timed.") var pages = 40
    @Option(help: "The synthetic-pages det config the cases start from.") var config = "configs/det/det_mv3_db_synth.yml"
    @Option(help: "Where the figures are written as JSON (and read back next time for comparison).")
    var results = "bench-results/detection.json"
    @Option(help: .hidden) var child: String?

    struct Figures: Codable {
        var samplesPerSecond: Double, stepMs: Double, dataWaitShare: Double, loaderPagesPerSecond: Double, peakRSSMiB: Double
    }

    func run() throws {
        if let child {
            let figures = try measure(child)
            print(String(decoding: try JSONEncoder().encode(figures), as: UTF8.self))
            return
        }
        print("OCRKit detection benchmark - batch \(batch), \(threads) threads, \(steps) timed steps after \(warmup) warm-up; "
              + "pages rendered on the fly (\(config))")
        var all: [String: Double] = [:]
        let renderRate = try renderPagesPerSecond()
        print(String(format: "page renderer: %.1f pages/s at 960x960 on one thread", renderRate))
        all["render.pages_per_s"] = renderRate
        print("case          samples/s   ms/step  data-wait  loader pages/s  peak RSS")
        for name in cases {
            let f: Figures = try ProcessStats.runChild(["detection", "--child", name, "--batch", "\(batch)", "--steps", "\(steps)",
                                                        "--warmup", "\(warmup)", "--threads", "\(threads)", "--config", config], name: name)
            print(name.padding(toLength: 12, withPad: " ", startingAt: 0)
                  + String(format: "  %9.1f  %8.0f  %8.1f%%  %14.1f  %6.0f MiB", f.samplesPerSecond, f.stepMs,
                           f.dataWaitShare * 100, f.loaderPagesPerSecond, f.peakRSSMiB))
            all[name + ".samples_per_s"] = f.samplesPerSecond
            all[name + ".data_wait_pct"] = f.dataWaitShare * 100
            all[name + ".peak_rss_mib"] = f.peakRSSMiB
        }
        try BenchResults.compareAndSave(all, to: results)
    }

    /// The renderer alone: the config's training pages at 960x960, one thread.
    private func renderPagesPerSecond() throws -> Double {
        let run = try DetectionRunConfig(path: config, overrides: ["Train.dataset.page_size=[960, 960]"])
        guard let source = try run.resolved(run.train).dataset.pages?.makeDataset() else {
            throw BenchError("\(config): Train.dataset is not SyntheticPages")
        }
        _ = try source.sample(at: 0, datasetSeed: 1)
        let t0 = ProcessStats.now()
        for i in 1...pages { _ = try source.sample(at: i, datasetSeed: 1) }
        return Double(pages) / (ProcessStats.now() - t0)
    }

    private func measure(_ name: String) throws -> Figures {
        let parts = name.split(separator: "-")
        guard parts.count == 2, let size = Int(parts[1]), ["dbfpn", "rsefpn"].contains(parts[0]) else {
            throw ValidationError("bench case '\(name)': expected NECK-SIZE with NECK dbfpn or rsefpn, e.g. dbfpn-640")
        }
        let runDir = FileManager.default.temporaryDirectory.appendingPathComponent("ocrkit-bench-det-\(name)-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: runDir) }
        let base = try DetectionRunConfig(path: config)
        var transforms = base.train.dataset.transforms
        transforms.crop?.width = size
        transforms.crop?.height = size
        var run = try DetectionRunConfig(path: config, overrides: [
            "Global.max_steps=\(warmup + steps)", "Global.print_batch_step=1", "Global.threads=\(threads)",
            "Global.save_model_dir=\(runDir)", "Global.eval_batch_step=[100000, 100000]", "Global.train_minutes=1000",
            "Train.loader.batch_size_per_card=\(batch)",
            "Train.dataset.page_size=[\(max(size * 3 / 2, 640)), \(max(size * 3 / 2, 640))]",
        ])
        // The config's neck replaced whole (an override would merge RSEFPN's keys into DBFPN's).
        run.architecture.neck = parts[0] == "dbfpn" ? .dbFPN(outChannels: 256) : .rseFPN(outChannels: 96, shortcut: true)
        var section = run.train
        section.dataset.transforms = transforms

        // The loader on its own: render, augment, crop, label maps, batch.
        let stream = DetectionBatchStream(try run.makeLoader(section, seed: 1))
        try stream.start(epoch: 0, skipping: 0)
        _ = try stream.next()
        let t0 = ProcessStats.now()
        let loaderBatches = 4
        for _ in 0..<loaderBatches { _ = try stream.next() }
        let loaderRate = Double(loaderBatches * batch) / (ProcessStats.now() - t0)
        stream.close()

        var training = run
        training.train = section
        training.eval = nil
        var events: [TrainEvent.Step] = []
        let trainer = try training.makeTrainer { _ in }
        _ = try trainer.run { if case .step(let s) = $0 { events.append(s) } }
        let timed = events.filter { $0.step > warmup }
        guard !timed.isEmpty else { throw ValidationError("bench case \(name): no timed steps") }
        let seconds = timed.map { Double(batch) / $0.samplesPerSecond }
        let total = seconds.reduce(0, +)
        let waited = zip(timed, seconds).map { $0.dataWaitShare * $1 }.reduce(0, +)
        return Figures(samplesPerSecond: Double(timed.count * batch) / total, stepMs: total / Double(timed.count) * 1000,
                       dataWaitShare: waited / total, loaderPagesPerSecond: loaderRate, peakRSSMiB: ProcessStats.peakResidentMiB())
    }
}
