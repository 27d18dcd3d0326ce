import ArgumentParser
import Foundation
import Imaging
import OCRCLI
import OCRData
import OCRInference

/// `ocr-bench pipeline`: the whole-page pipeline's speed on a fixed set of pages - ms per page
/// and per stage (det, cls, rec) reading one page at a time, pages/s with 1 and with 2 pages read
/// concurrently (two threads sharing one `PageReader`, as a server would), and peak resident
/// memory - for a model set given as `ocr predict` takes it (PP-OCRv4 from .deps/models by
/// default; OCRKit's own det/cls/rec files, FP32 or INT8, with --det/--cls/--rec or --models).
///
/// The pages are a folder's images (`--pages`), or pages `SyntheticPages` renders in memory
/// with a fixed seed - the same ones `ocr data render-pages` writes with the same options, which
/// is how scripts/bench-rapidocr.sh gives RapidOCR the same pages. Figures go to
/// bench-results/pipeline-NAME.json, compared with the previous run of the same NAME.
struct PipelineBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Page pipeline speed: ms per page and per stage, pages/s with 1 and 2 concurrent pages, peak RSS.")

    @OptionGroup(title: "Models (as ocr predict)") var pipeline: PageModelOptions

    @Option(help: "A folder of page images (read in name order); default: pages rendered by SyntheticPages.")
    var pages: String?
    @Option(help: "Rendered pages: how many.") var count = 20
    @Option(help: "Rendered pages: the seed (the same seed renders the same pages).") var seed: UInt64 = 1
    // Under 960 px a side: RapidOCR 1.4.4 then uses PaddleOCR's detector limit (960) too.
    @Option(help: "Rendered pages: WIDTH,HEIGHT in pixels.") var pageSize = "800,800"
    @Option(parsing: .upToNextOption, help: "Rendered pages: font files or folders.")
    var fonts = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"]
    @Option(help: "Rendered pages: the corpus their words come from.") var corpus = "datasets/corpus.txt"
    @Option(help: "Timed passes over the pages for each concurrency (after one untimed warm-up pass).") var rounds = 3
    @Option(help: "Names the model set in the results file (default: ppocrv4 for the default models, else the detector file's name).")
    var name: String?
    @Option(help: "Where the figures are written as JSON (default bench-results/pipeline-NAME.json; read back next time for comparison).")
    var results: String?

    func validate() throws {
        guard count > 0, rounds > 0 else { throw ValidationError("--count and --rounds must be positive") }
        guard Self.size(pageSize) != nil else { throw ValidationError("--page-size is WIDTH,HEIGHT with each in 64...8192, got '\(pageSize)'") }
    }

    static func size(_ text: String) -> [Int]? {
        let wh = text.split(separator: ",").compactMap { Int($0) }
        return wh.count == 2 && wh.allSatisfy({ (64...8192).contains($0) }) ? wh : nil
    }

    func run() throws {
        let models = try pipeline.pageModels()
        let setName = name ?? (pipeline.pageOnlyOptions.isEmpty && pipeline.rec == nil ? "ppocrv4"
            : ((models.detector as NSString).lastPathComponent as NSString).deletingPathExtension)
        let (images, what) = try loadPages()
        let loadStart = ProcessStats.now()
        let reader = try pipeline.reader(models)
        let loadMs = (ProcessStats.now() - loadStart) * 1000
        print("OCRKit page pipeline benchmark - ONNX Runtime \(InferenceSession.runtimeVersion), "
              + "\(pipeline.threads == 0 ? "default" : "\(pipeline.threads)") intra-op threads, \(images.count) pages (\(what)), "
              + "\(rounds) rounds; load average \(OnnxBench.loadAverage()) at start")
        print("models: det \(models.detector), cls \(models.classifier ?? "none"), rec \(models.recognizer) (loaded in "
              + String(format: "%.0f ms)", loadMs))

        for image in images.prefix(min(images.count, 3)) { _ = try reader.read(image) }   // warm-up: first runs allocate

        // One page at a time: per-stage times from the reader's own timings.
        var stage = PageReader.Timings()
        var lines = 0
        let t1 = ProcessStats.now()
        for _ in 0..<rounds {
            for image in images {
                let page = try reader.read(image)
                stage += page.timings
                lines += page.lines.count
            }
        }
        let serialSeconds = ProcessStats.now() - t1
        let read = Double(images.count * rounds)
        let rssSerial = ProcessStats.peakResidentMiB()

        // Two pages at a time: two threads take pages in turn from one shared list.
        let (concurrentSeconds, concurrentLatency) = try concurrent(reader, images, workers: 2)
        let rssConcurrent = ProcessStats.peakResidentMiB()

        let ms = { (s: Double) in s * 1000 / read }
        print("\nconcurrency  pages/s   ms/page   det ms   cls ms   rec ms   lines/page   peak RSS MiB")
        print(String(format: "1            %7.2f  %8.1f  %7.1f  %7.1f  %7.1f  %11.1f  %13.0f", read / serialSeconds, ms(stage.total),
                     ms(stage.det), ms(stage.cls), ms(stage.rec), Double(lines) / read, rssSerial))
        // Stage times are not split out at concurrency 2 (two pages share the cores).
        print(String(format: "2            %7.2f  %8.1f", read / concurrentSeconds, concurrentLatency * 1000)
              + "        -        -        -             " + String(format: "  %13.0f", rssConcurrent))
        print("(ms/page at concurrency 2: each page's own time with another page read beside it; stage times are measured one page at a time)")
        let figures: [String: Double] = [
            "ms_per_page": ms(stage.total), "det_ms": ms(stage.det), "cls_ms": ms(stage.cls), "rec_ms": ms(stage.rec),
            "pages_per_s_1": read / serialSeconds, "pages_per_s_2": read / concurrentSeconds,
            "ms_per_page_2": concurrentLatency * 1000, "lines_per_page": Double(lines) / read,
            "peak_rss_mib": rssConcurrent, "load_ms": loadMs,
        ]
        try BenchResults.compareAndSave(figures, to: results ?? "bench-results/pipeline-\(setName).json")
    }

    /// Wall seconds for `rounds` passes over `images` by `workers` threads, and the mean seconds
    /// per page.
    func concurrent(_ reader: PageReader, _ images: [Image], workers: Int) throws -> (seconds: Double, latency: Double) {
        let total = images.count * rounds
        let state = SharedProgress()
        let t0 = ProcessStats.now()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = state.take(below: total) {
                let t = ProcessStats.now()
                do {
                    _ = try reader.read(images[i % images.count])
                    state.record(seconds: ProcessStats.now() - t)
                } catch {
                    state.fail(error)
                }
            }
        }
        let seconds = ProcessStats.now() - t0
        if let error = state.error { throw error }
        return (seconds, state.seconds / Double(total))
    }

    /// The page images: a folder's (decoded as `ocr predict` decodes them), or rendered ones.
    func loadPages() throws -> ([Image], String) {
        if let pages {
            let files = try ImageFiles.expand([pages])
            return (try files.map { try PageImage.read($0) }, pages)
        }
        var config = SyntheticPagesConfig(fonts: fonts, corpus: corpus)
        config.pageSize = Self.size(pageSize)!
        config.count = count
        let renderer = try SyntheticPages(config: config)
        // As `ocr data render-pages --fonts ... --corpus ... --seed S --page-size W,H` renders them.
        let images = try (0..<count).map { try renderer.render(index: $0, seed: seed).image }
        return (images, "SyntheticPages seed \(seed), \(pageSize), \(corpus)")
    }
}

/// The concurrent pass's shared state: the next page index, time summed, the first error.
private final class SharedProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private(set) var seconds = 0.0
    private(set) var error: Error?

    func take(below limit: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard error == nil, next < limit else { return nil }
        next += 1
        return next - 1
    }

    func record(seconds s: Double) {
        lock.lock()
        seconds += s
        lock.unlock()
    }

    func fail(_ e: Error) {
        lock.lock()
        if error == nil { error = e }
        lock.unlock()
    }
}
