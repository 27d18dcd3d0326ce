import Foundation
import HDF5
import OCRCore

/// Renders `dataset`'s samples 0..<count with `seed` into `output`, for `ocr data render`:
///
/// - a directory (any path not ending in .h5/.hdf5): `images/NNN/NNNNNNN.png` and a PaddleOCR
///   label file `labels.txt` with one `images/NNN/NNNNNNN.png<TAB>text` line per image (written
///   last, through a temporary file, so it never names an image that is not there);
/// - an HDF5 file (.h5/.hdf5), written atomically, in the packed-dataset layout (`PackedDataSet`):
///
///       /                         attributes: ocrkit.kind = "rec-lines", ocrkit.version = 1,
///                                   count = n, created_by = "ocr data render",
///                                   synthetic.seed, synthetic.fonts (paths), synthetic.corpus,
///                                   synthetic.options (RenderOptions as JSON)
///   (the layout is `PackedLineLayout`'s, written by `PackedLineWriter`):
///       /images/bytes   uint8[]   H5BlobArray of the n PNG files, back to back
///       /images/offsets int64[n+1]  image i is bytes[offsets[i] ..< offsets[i+1]]
///       /labels         string[n] the text of image i (UTF-8)
///       /groups         string[n] the font file name of image i (metrics per font)
///       /sources        string[n] `font DejaVuSans.ttf #i`
///
/// Lines are rendered on `threads` threads in batches and written in index order, so the output
/// is the same for any thread count. `progress` is called on the calling thread after each batch.
public func renderDataset(_ dataset: SyntheticLineDataset, to output: String, seed: UInt64 = 0, threads: Int = 1,
                          progress: ((SyntheticRenderProgress) -> Void)? = nil) throws -> SyntheticRenderSummary {
    let started = Date()
    let ext = (output as NSString).pathExtension.lowercased()
    let toHDF5 = ext == "h5" || ext == "hdf5"
    var perFont: [String: Int] = [:]
    let total = dataset.count
    let threads = max(1, threads)
    let batchSize = 64 * threads

    // Renders samples lo..<hi in parallel; returns (png, text, font) in index order.
    func batch(_ lo: Int, _ hi: Int) throws -> [(png: [UInt8], text: String, font: String)] {
        let results = RenderSlots(count: hi - lo)
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            var i = lo + worker
            while i < hi && !results.failed {
                do {
                    let line = try dataset.line(at: i, seed: seed)
                    results.set(i - lo, ([UInt8](try line.image.encoded(as: .png)), line.text, line.font))
                } catch {
                    results.fail(error)
                }
                i += threads
            }
        }
        return try results.values()
    }

    if toHDF5 {
        try H5File.writeAtomically(to: output) { file in
            let writer = try PackedLineWriter(file: file, createdBy: "ocr data render")
            let attrs = file.attributes
            try attrs.set("synthetic.seed", String(seed))
            try attrs.set("synthetic.fonts", dataset.fonts.map(\.path))
            try attrs.set("synthetic.corpus", dataset.corpus.report.source)
            let json = try JSONEncoder().encode(dataset.renderer.options)
            try attrs.set("synthetic.options", String(decoding: json, as: UTF8.self))
            var done = 0
            while done < total {
                let hi = min(total, done + batchSize)
                let lines = try batch(done, hi)
                for (k, l) in lines.enumerated() {
                    try writer.append(imageBytes: l.png, label: l.text, group: l.font, source: "font \(l.font) #\(done + k)")
                    perFont[l.font, default: 0] += 1
                }
                done = hi
                progress?(SyntheticRenderProgress(done: done, total: total))
            }
            try writer.finish()
        }
    } else {
        let fm = FileManager.default
        let labelPath = (output as NSString).appendingPathComponent("labels.txt")
        guard !fm.fileExists(atPath: labelPath) else {
            throw SyntheticError("render into '\(output)': it already holds labels.txt; choose a new directory or delete it")
        }
        do {
            try fm.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            throw SyntheticError("render into '\(output)': cannot create the directory (\(error.localizedDescription))")
        }
        let digits = max(7, String(total - 1).count)
        func padded(_ n: Int, _ width: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        var labelText = ""
        var done = 0
        while done < total {
            let hi = min(total, done + batchSize)
            let lines = try batch(done, hi)
            for (k, line) in lines.enumerated() {
                let i = done + k
                let folder = "images/" + padded(i / 10_000, 3)
                if i % 10_000 == 0 || k == 0 {
                    try fm.createDirectory(atPath: (output as NSString).appendingPathComponent(folder),
                                           withIntermediateDirectories: true)
                }
                let relative = folder + "/" + padded(i, digits) + ".png"
                let path = (output as NSString).appendingPathComponent(relative)
                guard fm.createFile(atPath: path, contents: Data(line.png)) else {
                    throw SyntheticError("render into '\(output)': cannot write '\(path)'")
                }
                labelText += relative + "\t" + line.text + "\n"
                perFont[line.font, default: 0] += 1
            }
            done = hi
            progress?(SyntheticRenderProgress(done: done, total: total))
        }
        do {
            try Data(labelText.utf8).write(to: URL(fileURLWithPath: labelPath), options: .atomic)   // written whole, or not at all
        } catch {
            throw SyntheticError("render into '\(output)': cannot write labels.txt (\(error.localizedDescription))")
        }
    }

    let seconds = Date().timeIntervalSince(started)
    return SyntheticRenderSummary(
        output: output, rendered: total,
        perFont: dataset.fonts.map { FontLineCount(font: $0.name, lines: perFont[$0.name] ?? 0) },
        coverage: dataset.coverage, corpus: dataset.corpus.report, fontRemarks: dataset.fontRemarks,
        seconds: seconds, linesPerSecond: seconds > 0 ? Double(total) / seconds : 0)
}

/// Loads fonts (files or directories) and a corpus and renders `count` lines into `output`; see
/// `renderDataset(_:to:seed:threads:progress:)` for the output layouts.
public func renderDataset(fonts: [String], corpus: String, count: Int, output: String,
                          mode: CorpusSampler.Mode = .lines(), charset: Charset? = nil,
                          options: RenderOptions = RenderOptions(), seed: UInt64 = 0, threads: Int = 1,
                          progress: ((SyntheticRenderProgress) -> Void)? = nil) throws -> SyntheticRenderSummary {
    let sampler = try CorpusSampler(contentsOf: corpus, mode: mode, charset: charset)
    let dataset = try SyntheticLineDataset(fontPaths: fonts, corpus: sampler, options: options, count: count)
    return try renderDataset(dataset, to: output, seed: seed, threads: threads, progress: progress)
}

/// Lines rendered so far, of `total`.
public struct SyntheticRenderProgress: Sendable, Equatable {
    public var done: Int
    public var total: Int
}

/// Lines rendered with one font.
public struct FontLineCount: Sendable, Equatable {
    public var font: String
    public var lines: Int
}

/// What `renderDataset` wrote, and what it left out.
public struct SyntheticRenderSummary: Sendable, CustomStringConvertible {
    public var output: String
    public var rendered: Int
    /// Per font, in font order (fonts that draw none of the texts show 0).
    public var perFont: [FontLineCount]
    /// Corpus texts no font draws (skipped, with examples), and texts per font.
    public var coverage: FontCoverageReport
    /// Corpus lines read and left out (outside the charset, empty, invalid UTF-8).
    public var corpus: CorpusReport
    /// Font loading remarks: skipped files, duplicates, symbol and caps-only fonts.
    public var fontRemarks: [String]
    public var seconds: Double
    public var linesPerSecond: Double

    public var description: String {
        var lines = ["rendered \(rendered) lines to \(output) in \(String(format: "%.1f", seconds)) s "
            + "(\(String(format: "%.1f", linesPerSecond)) lines/s)"]
        lines.append("corpus \(corpus.source): \(corpus.summary)")
        lines.append("coverage: \(coverage.summary)")
        lines += perFont.map { "  \($0.font): \($0.lines)" }
        lines += fontRemarks.map { "note: \($0)" }
        return lines.joined(separator: "\n")
    }
}

/// Result slots filled by concurrent workers, each writing its own indices.
private final class RenderSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [([UInt8], String, String)?]
    private var error: Error?

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    var failed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return error != nil
    }

    func set(_ i: Int, _ value: ([UInt8], String, String)) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    func fail(_ e: Error) {
        lock.lock()
        if error == nil { error = e }
        lock.unlock()
    }

    func values() throws -> [(png: [UInt8], text: String, font: String)] {
        if let error { throw error }
        return slots.map { ($0!.0, $0!.1, $0!.2) }
    }
}
