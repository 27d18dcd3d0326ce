import ArgumentParser
import Foundation
import Imaging
import OCRCLI
import OCRInference

/// `ocr predict IMAGES_OR_DIRS...`: reads whole pages (detector, angle classifier, recogniser:
/// `PageReader`), or, with only `--rec` (or `--lines`), text-line images with the recogniser alone.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Read pages (det -> cls -> rec) or text-line images with ONNX models (OCRKit's, or PaddleOCR's/RapidOCR's).",
        discussion: """
            Pages: PaddleOCR's PP-OCRv4 det + v2.0 cls + v4 rec from .deps/models unless --models or --det/--cls/--rec \
            name others. Prints path<TAB>index<TAB>text<TAB>confidence<TAB>x1,y1 x2,y2 x3,y3 x4,y4 per line read (--tsv, \
            the default), or one JSON object per image, {"path", "results": [{"text", "confidence", "text_region"}]} \
            (--json). Per-stage times go to stderr with --timing.
            Lines: with only --rec (or --lines), each image is one text line: path<TAB>text<TAB>confidence, or \
            {"confidence", "path", "text"} with --json.
            An image that cannot be read is reported on stderr naming it and the others still run; the exit status is then 1.
            """)

    @Argument(help: "Images, or folders whose image files are read in name order.")
    var images: [String]

    @OptionGroup var pipeline: PageModelOptions

    @Flag(help: "Each image is one text line (the recogniser only); the default when --rec is the only model given.")
    var lines = false

    @Flag(help: "Print one JSON object per image.")
    var json = false

    @Flag(help: "Print tab-separated values (the default).")
    var tsv = false

    @Option(help: "Write NAME.png per page into this folder (NAME: the image's file name without extension; NAME-2.png, NAME-3.png ... when several inputs share a name, said on stderr): the page with its boxes beside the texts read.")
    var draw: String?

    @Option(help: "The font texts are drawn with (--draw).")
    var font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

    @Option(help: "Refuse pages larger than this many megapixels.")
    var maxMegapixels = Double(PageImage.defaultMaxPixels) / 1e6

    @Flag(help: "Print to stderr how long each stage took.")
    var timing = false

    @Option(help: "Pages read at once (0: 2 when several pages are given on a machine with 2+ cores, else 1). With --threads 0 each page's ONNX Runtime threads are then cores / jobs. Output stays in input order.")
    var jobs = 0

    /// Options that only pages have; any of them means pages.
    var pageOptions: [String] { pipeline.pageOnlyOptions + (draw != nil ? ["--draw"] : []) }

    /// Lines with --lines, or when --rec is the only model option.
    var lineMode: Bool { lines || (pipeline.rec != nil && pageOptions.isEmpty) }

    func validate() throws {
        guard !(json && tsv) else { throw ValidationError("--json and --tsv: choose one output format") }
        guard maxMegapixels > 0 else { throw ValidationError("--max-megapixels must be positive") }
        guard jobs >= 0 else { throw ValidationError("--jobs must be 0 (automatic) or more") }
        if lineMode {
            guard pipeline.rec != nil else { throw ValidationError("--lines reads with the recogniser alone: name it with --rec") }
            guard pageOptions.isEmpty else {
                throw ValidationError("--lines reads line images with --rec alone; leave out " + pageOptions.joined(separator: ", "))
            }
        }
    }

    func run() throws {
        if lineMode { try runLines() } else { try runPages() }
    }

    func report(_ message: String) { FileHandle.standardError.write(Data("ocr predict: \(message)\n".utf8)) }

    // MARK: pages

    /// Pages in flight and ONNX Runtime threads per session for `pages` pages (see `--jobs`).
    func layout(pages: Int, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> (jobs: Int, threads: Int?) {
        let jobs = max(1, min(pages, self.jobs > 0 ? self.jobs : (cores >= 2 ? 2 : 1)))
        return (jobs, pipeline.threads == 0 && jobs > 1 ? max(1, cores / jobs) : nil)
    }

    func runPages() throws {
        // A missing file or an empty folder is reported like a bad page: the other pages still run.
        var files = [String](), missing = 0
        for argument in images {
            do { files += try ImageFiles.expand([argument]) } catch {
                missing += 1
                report("\(error)")
            }
        }
        let (jobs, threads) = layout(pages: files.count)
        let started = Date()
        let m = try pipeline.pageModels()
        let reader = try pipeline.reader(m, intraOpThreads: threads)
        let loadSeconds = Date().timeIntervalSince(started)
        let drawing = try draw.map { folder in
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            return try PageDrawing(fontPath: font)
        }
        if timing {
            report("models: det \(m.detector), cls \(m.classifier ?? "none"), rec \(m.recognizer); "
                   + "ONNX Runtime \(InferenceSession.runtimeVersion), loaded in \(String(format: "%.0f", loadSeconds * 1000)) ms; "
                   + "\(jobs) page(s) at once, \(threads.map(String.init) ?? (pipeline.threads == 0 ? "default" : "\(pipeline.threads)")) thread(s) each")
        }
        var failed = missing
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Inputs with one base name (a/page.jpg, b/page.jpg) would overwrite each other's drawing.
        let drawingNames = ImageFiles.outputNames(for: files, extension: "png")
        var index = 0       // results arrive in input order
        try reader.read(files: files, maxPixels: Int(maxMegapixels * 1e6), jobs: jobs) { file in
            let path = file.path, drawingName = drawingNames[index]
            index += 1
            do {
                let page = try file.result.get()
                try printPage(path, page, encoder: encoder)
                if timing {
                    // The log form: [2026-12-03 18:00:00] det: 12.34ms
                    let log = ["[\(PageReader.logTimestamp(Date()))] \(path): \(page.lines.count) lines (\(page.detected) boxes)"]
                        + page.timings.logLines()
                    FileHandle.standardError.write(Data(log.map { $0 + "\n" }.joined().utf8))
                }
                if let drawing, let folder = draw, let image = file.image {
                    let out = (folder as NSString).appendingPathComponent(drawingName)
                    if drawingName != ((path as NSString).lastPathComponent as NSString).deletingPathExtension + ".png" {
                        report("\(path): drawn as \(out) (another input has the same file name)")
                    }
                    try drawing.draw(image, lines: page.lines).encoded(as: .png).write(to: URL(fileURLWithPath: out))
                }
            } catch {
                failed += 1
                let message = "\(error)"
                report(message.hasPrefix(path) ? message : "\(path): \(message)")
            }
        }
        if failed > 0 {
            report("\(failed) of \(files.count + missing) images could not be read")
            throw ExitCode.failure
        }
    }

    /// One JSON object per page, {"path", "results"}: PaddleOCR's serving result for the page.
    struct PageOutput: Encodable {
        var path: String
        var results: [PageReader.Line]
    }

    func printPage(_ path: String, _ page: PageReader.Page, encoder: JSONEncoder) throws {
        if json {
            print(String(decoding: try encoder.encode(PageOutput(path: path, results: page.lines)), as: UTF8.self))
            return
        }
        for (i, line) in page.lines.enumerated() {
            let region = line.textRegion.map { "\($0[0]),\($0[1])" }.joined(separator: " ")
            print("\(path)\t\(i)\t\(line.text)\t\(String(format: "%.5f", line.confidence))\t\(region)")
        }
    }

    // MARK: lines

    /// One output line for --json in line mode.
    struct Line: Encodable {
        var path: String
        var text: String
        var confidence: Float
    }

    func runLines() throws {
        let batchSize = pipeline.batchSize ?? 8
        let started = Date()
        let recognizer = try TextRecognizer(modelPath: pipeline.rec!, options: pipeline.sessionOptions, batchSize: batchSize)
        let loadSeconds = Date().timeIntervalSince(started)
        let files = try ImageFiles.expand(images)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var failed = 0, read = 0
        var seconds = 0.0
        // Chunks keep memory bounded and let output flow on long lists; lines are sorted within a chunk.
        let chunk = recognizer.chunkSize
        for start in stride(from: 0, to: files.count, by: chunk) {
            let t = Date()
            let results = try recognizer.recognize(files: Array(files[start..<min(start + chunk, files.count)]))
            seconds += Date().timeIntervalSince(t)
            for file in results {
                switch file.result {
                case .failure(let error):
                    failed += 1
                    report("\(error)")
                case .success(let r) where json:
                    read += 1
                    print(String(decoding: try encoder.encode(Line(path: file.path, text: r.text, confidence: r.confidence)), as: UTF8.self))
                case .success(let r):
                    read += 1
                    print("\(file.path)\t\(r.text)\t\(String(format: "%.5f", r.confidence))")
                }
            }
        }
        if timing {
            let perLine = String(format: "%.2f", read > 0 ? seconds * 1000 / Double(read) : 0)
            report("\(read) lines, batch \(batchSize), \(pipeline.threads == 0 ? "default" : "\(pipeline.threads)") threads, "
                   + "ONNX Runtime \(InferenceSession.runtimeVersion): model load \(String(format: "%.0f", loadSeconds * 1000)) ms, "
                   + "\(perLine) ms/line (image decode + resize + model + CTC decoding)")
        }
        if failed > 0 {
            report("\(failed) of \(files.count) images could not be read")
            throw ExitCode.failure
        }
    }
}
