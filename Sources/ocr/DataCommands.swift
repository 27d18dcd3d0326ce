import ArgumentParser
import Foundation
import OCRCLI
import OCRCore
import OCRData

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data", abstract: "Render synthetic lines and pages and pack datasets.",
        subcommands: [RenderCommand.self, RenderPagesCommand.self, PackCommand.self, LinesCommand.self])
}

/// Optional charset options shared by the data commands.
struct CharsetOptions: ParsableArguments {
    @Option(help: "Charset dictionary (one character per line): texts with other characters are reported and left out.")
    var dict: String?
    @Flag(help: "Add a space class to the dictionary's characters.")
    var useSpaceChar = false

    func charset() throws -> Charset? { try dict.map { try Charset(contentsOf: $0, useSpaceChar: useSpaceChar) } }
}

/// A progress bar on stderr for the data commands.
func drawProgress(_ done: Int, _ total: Int, started: Date, what: String) {
    let rate = Double(done) / max(Date().timeIntervalSince(started), 1e-9)
    let eta = rate > 0 ? Double(total - done) / rate : .infinity
    let text = "\(what) \(done)/\(total) \(ProgressPrinter.bar(Double(done) / Double(max(total, 1)), width: 24)) "
        + String(format: "%.0f/s", rate) + " ETA \(ProgressPrinter.duration(eta))"
    FileHandle.standardError.write(Data(((isatty(STDERR_FILENO) != 0 ? "\r\u{1B}[2K" : "") + text
        + (isatty(STDERR_FILENO) != 0 && done < total ? "" : "\n")).utf8))
}

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render text lines from font files: a folder (PNG + labels.txt) or one packed .h5 file.")

    @Option(parsing: .upToNextOption, help: "Font files or folders of them (not family names).")
    var fonts: [String]
    @Option(help: "Text corpus, one text per line.") var corpus: String
    @Option(help: "Lines to render.") var count: Int
    @Option(help: "Output folder, or a file ending in .h5.") var out: String
    @Option(help: "lines: each corpus line is a text; words: random runs of corpus words.") var textMode = "lines"
    @Option(help: "Words mode: text length range in characters, e.g. 5,30.") var textLength = "5,30"
    @Option(help: "Seed: the same seed renders the same lines.") var seed: UInt64 = 0
    @Option(help: "Rendering threads.") var threads = 2
    @Flag(help: "Render every line in handwriting mode (elastic distortion, stroke and baseline jitter).") var handwriting = false
    @Option(name: .customLong("rotate-180"), help: "Angle-classifier set (folder output): turn this fraction of lines by 180 degrees and label each 0 or 180.")
    var rotate180: Double?
    @OptionGroup var charsetOptions: CharsetOptions

    func run() throws {
        let lengths = textLength.split(separator: ",").compactMap { Int($0) }
        guard textMode == "lines" || (textMode == "words" && lengths.count == 2) else {
            throw ValidationError("--text-mode is lines or words; words needs --text-length MIN,MAX")
        }
        let mode: CorpusSampler.Mode = textMode == "lines" ? .lines() : .words(minLength: lengths[0], maxLength: lengths[1])
        if let rotate180, !(0...1).contains(rotate180) || out.hasSuffix(".h5") || out.hasSuffix(".hdf5") {
            throw ValidationError("--rotate-180 is a fraction in 0...1 and writes a folder, not an .h5 file")
        }
        let started = Date()
        let summary = try renderDataset(fonts: fonts, corpus: corpus, count: count, output: out, mode: mode,
                                        charset: try charsetOptions.charset(), options: handwriting ? .handwriting : RenderOptions(),
                                        seed: seed, threads: threads) { p in
            drawProgress(p.done, p.total, started: started, what: "render")
        }
        print(summary)
        if let rotate180 { try relabelForClassifier(mode: mode, fraction: rotate180) }
    }

    /// Rewrites the folder as PaddleOCR cls data (`path<TAB>0` / `path<TAB>180`) with the
    /// classifier's own mechanism, `RotatedLineDataset`: its samples are the same (seed, index)
    /// renderings, turned or not, so each image is rendered once more - fine for the small sets
    /// this is for.
    private func relabelForClassifier(mode: CorpusSampler.Mode, fraction: Double) throws {
        let sampler = try CorpusSampler(contentsOf: corpus, mode: mode, charset: try charsetOptions.charset())
        let lines = try SyntheticLineDataset(fontPaths: fonts, corpus: sampler,
                                             options: handwriting ? .handwriting : RenderOptions(), count: count)
        let turned = try RotatedLineDataset(base: lines, rotatedFraction: fraction)
        let labelPath = (out as NSString).appendingPathComponent("labels.txt")
        var relabelled = ""
        for (i, line) in try String(contentsOfFile: labelPath, encoding: .utf8).split(separator: "\n").enumerated() {
            let path = String(line.split(separator: "\t", maxSplits: 1)[0])
            let sample = try turned.sample(at: i, seed: seed)
            try sample.image.encoded(as: .png).write(to: URL(fileURLWithPath: (out as NSString).appendingPathComponent(path)))
            relabelled += path + "\t" + sample.text + "\n"
        }
        try relabelled.write(toFile: labelPath, atomically: true, encoding: .utf8)
        print("relabelled \(count) lines for the angle classifier (0 / 180) in \(labelPath)")
    }
}

struct PackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack", abstract: "Pack PaddleOCR label files and their images into one .h5 file for fast training reads.",
        discussion: "Recognition lines by default; --det packs detection pages (path<TAB>[{\"transcription\", \"points\"}]) for a det config's PackedDataSet.")

    @Option(parsing: .upToNextOption, help: "Label files: relative/path.png<TAB>text per line (with --det: det label lines).") var labels: [String]
    @Flag(help: "The label files are PaddleOCR detection labels: pack pages and their polygons.") var det = false
    @Option(help: "With --det: pixels a point may lie outside its image before its line is reported.") var pointTolerance = 0.0
    @Option(help: "Folder the image paths are relative to (default: the first label file's folder).") var dataDir: String?
    @Option(help: "Output .h5 file.") var out: String
    @Option(help: "Texts longer than this are reported and left out.") var maxTextLength: Int?
    @Flag(help: "Stop at the first bad line or image instead of reporting it and going on.") var failOnIssue = false
    @OptionGroup var charsetOptions: CharsetOptions

    func run() throws {
        var options = PackOptions()
        options.maxTextLength = maxTextLength
        options.policy = failOnIssue ? .fail : .skip
        let started = Date()
        let dir = dataDir ?? (labels.first.map { ($0 as NSString).deletingLastPathComponent } ?? ".")
        if det {
            var o = DetectionLabelDataset.Options(dataDir: dir.isEmpty ? "." : dir, labelFiles: labels, policy: failOnIssue ? .fail : .skip)
            o.pointTolerance = pointTolerance
            let dataset = try DetectionLabelDataset(o)
            guard dataset.count > 0 else {
                throw ValidationError("no usable page in \(labels.joined(separator: ", ")); nothing written:\n\(dataset.report.description)")
            }
            let (pages, report) = try dataset.pack(to: out)
            print("packed \(pages) pages into \(out) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
            if !report.description.isEmpty { print(report.description) }
            return
        }
        let summary = try packDataset(labelFiles: labels, dataDir: dir.isEmpty ? "." : dir, charset: try charsetOptions.charset(),
                                      out: out, options: options) { p in
            drawProgress(p.done, p.total, started: started, what: "pack")
        }
        print(summary)
    }
}

struct RenderPagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render-pages",
        abstract: "Render detection pages (documents, receipts, forms, labels, cards, scenes) with polygon labels: "
            + "images/ and a PaddleOCR det_gt.txt.")

    @Option(help: "YAML with a SyntheticPages dataset: the file's top level, or its Train.dataset section (see --section).")
    var config: String?
    @Option(help: "Section of --config holding the dataset (default: the top level when it has 'name', else Train.dataset).")
    var section: String?
    @Option(parsing: .upToNextOption, help: "Font files or folders of them (without --config).") var fonts: [String] = []
    @Option(help: "Corpus whose words the pages show (without --config).") var corpus: String?
    @Option(help: "Pages to render (default: the config's count).") var count: Int?
    @Option(help: "Output folder (new, or without det_gt.txt).") var out: String
    @Option(help: "line: one polygon per text line; word: one per word (overrides the config).") var granularity: String?
    @Option(help: "Page width,height in pixels, e.g. 960,960 (overrides the config).") var pageSize: String?
    @Option(help: "Seed: the same seed renders the same pages (default: the config's seed).") var seed: UInt64?
    @Option(help: "Rendering threads.") var threads = 2
    @Option(help: "JPEG quality of the written pages; 0 writes PNG.") var jpegQuality = 90
    @Flag(help: "Also write overlays/: each page with its label polygons drawn.") var overlays = false

    func validate() throws {
        guard config != nil || (!fonts.isEmpty && corpus != nil) else {
            throw ValidationError("give --config, or --fonts and --corpus")
        }
        guard config == nil || (fonts.isEmpty && corpus == nil) else {
            throw ValidationError("--fonts and --corpus replace --config; give one or the other")
        }
        if let granularity, SyntheticPagesConfig.Granularity(rawValue: granularity) == nil {
            throw ValidationError("--granularity is line or word, got '\(granularity)'")
        }
        guard (0...100).contains(jpegQuality) else { throw ValidationError("--jpeg-quality is 0 (PNG) or 1...100") }
    }

    func run() throws {
        var cfg: SyntheticPagesConfig
        var baseDirectory: String?
        if let config {
            let tree = try ConfigTree(contentsOf: config)
            let path = section ?? (tree.contains("name") ? "" : "Train.dataset")
            cfg = try tree.decode(SyntheticPagesConfig.self, at: path)
            baseDirectory = (config as NSString).deletingLastPathComponent
        } else {
            cfg = SyntheticPagesConfig(fonts: fonts, corpus: corpus!)
        }
        if let granularity { cfg.granularity = SyntheticPagesConfig.Granularity(rawValue: granularity)! }
        if let pageSize {
            let wh = pageSize.split(separator: ",").compactMap { Int($0) }
            guard wh.count == 2, wh.allSatisfy({ (64...8192).contains($0) }) else {
                throw ValidationError("--page-size is WIDTH,HEIGHT with each in 64...8192, got '\(pageSize)'")
            }
            cfg.pageSize = wh
        }
        let pages = try cfg.makeDataset(baseDirectory: baseDirectory)
        let started = Date()
        let summary = try renderPages(pages, to: out, count: count, seed: seed ?? cfg.seed, threads: threads,
                                      format: jpegQuality == 0 ? .png : .jpeg(quality: jpegQuality),
                                      overlays: overlays) { p in
            drawProgress(p.done, p.total, started: started, what: "render-pages")
        }
        print(summary)
    }
}
