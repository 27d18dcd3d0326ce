import Foundation
import Imaging
import OCRCore

/// Renders pages 0..<count of `pages` with `seed` into the directory `output`, for
/// `ocr data render-pages`, in PaddleOCR's detection layout:
///
///     output/images/0000000.jpg ...
///     output/det_gt.txt     images/0000000.jpg<TAB>[{"transcription": "...", "points": [[x, y], ...]}, ...]
///
/// Points are pixels, rounded to 0.1. With `overlays`, a copy of each page with its polygons drawn
/// (green lines, red first point) goes to `output/overlays/`, to look at the labels. Pages are rendered on `threads` threads in batches and
/// written in index order, so the output is the same for any thread count; det_gt.txt is written
/// last, through a temporary file, so it never names an image that is not there. `progress` is
/// called on the calling thread after each batch.
public func renderPages(_ pages: SyntheticPages, to output: String, count: Int? = nil, seed: UInt64 = 0, threads: Int = 1,
                        format: ImageFormat = .jpeg(quality: 90), overlays: Bool = false,
                        progress: ((SyntheticRenderProgress) -> Void)? = nil) throws -> PageRenderSummary {
    let started = Date()
    let total = count ?? pages.count
    guard total > 0 else { throw SyntheticError("render-pages: count must be positive, got \(total)") }
    let fm = FileManager.default
    let labelPath = (output as NSString).appendingPathComponent("det_gt.txt")
    guard !fm.fileExists(atPath: labelPath) else {
        throw SyntheticError("render-pages into '\(output)': it already holds det_gt.txt; choose a new directory or delete it")
    }
    do {
        try fm.createDirectory(atPath: (output as NSString).appendingPathComponent("images"), withIntermediateDirectories: true)
        if overlays {
            try fm.createDirectory(atPath: (output as NSString).appendingPathComponent("overlays"), withIntermediateDirectories: true)
        }
    } catch {
        throw SyntheticError("render-pages into '\(output)': cannot create the directory (\(error.localizedDescription))")
    }
    let ext = if case .png = format { "png" } else { "jpg" }
    let digits = max(7, String(total - 1).count)
    let threads = max(1, threads)
    let batchSize = 8 * threads
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    var labels = ""
    var regionCount = 0
    var perLayout: [String: Int] = [:]
    var done = 0
    while done < total {
        let hi = min(total, done + batchSize)
        let slots = PageSlots(count: hi - done)
        let lo = done
        DispatchQueue.concurrentPerform(iterations: threads) { worker in
            var i = lo + worker
            while i < hi && !slots.failed {
                do {
                    let page = try pages.render(index: i, seed: seed)
                    slots.set(i - lo, (page, try page.image.encoded(as: format)))
                } catch {
                    slots.fail(error)
                }
                i += threads
            }
        }
        for (k, (page, bytes)) in try slots.values().enumerated() {
            let name = String(lo + k)
            let relative = "images/" + String(repeating: "0", count: max(0, digits - name.count)) + name + "." + ext
            let path = (output as NSString).appendingPathComponent(relative)
            guard fm.createFile(atPath: path, contents: bytes) else {
                throw SyntheticError("render-pages into '\(output)': cannot write '\(path)'")
            }
            let rounded = page.regions.map { r in
                TextRegion(transcription: r.transcription, polygon: Polygon(r.polygon.points.map {
                    Point(($0.x * 10).rounded() / 10, ($0.y * 10).rounded() / 10)
                }))
            }
            if overlays {
                var image = page.image
                let polygons = rounded.map { $0.polygon.points.map { Point2i(Int($0.x.rounded()), Int($0.y.rounded())) } }
                try image.polylines(polygons, value: [0, 200, 0], thickness: 1)
                for p in polygons { try image.fillPoly([[p[0], Point2i(p[0].x + 3, p[0].y), Point2i(p[0].x, p[0].y + 3)]], value: [0, 0, 255]) }
                let overlay = (output as NSString).appendingPathComponent("overlays/" + (relative as NSString).lastPathComponent)
                guard fm.createFile(atPath: overlay, contents: try image.encoded(as: .jpeg(quality: 90))) else {
                    throw SyntheticError("render-pages into '\(output)': cannot write '\(overlay)'")
                }
            }
            labels += relative + "\t" + (try detLabelJSON(rounded, encoder: encoder)) + "\n"
            regionCount += rounded.count
            perLayout[page.layout, default: 0] += 1
        }
        done = hi
        progress?(SyntheticRenderProgress(done: done, total: total))
    }
    do {
        try Data(labels.utf8).write(to: URL(fileURLWithPath: labelPath), options: .atomic)   // written whole, or not at all
    } catch {
        throw SyntheticError("render-pages into '\(output)': cannot write det_gt.txt (\(error.localizedDescription))")
    }
    let seconds = Date().timeIntervalSince(started)
    return PageRenderSummary(output: output, pages: total, regions: regionCount, perLayout: perLayout, fontRemarks: pages.fontRemarks,
                             seconds: seconds, threads: threads)
}

/// The regions as PaddleOCR writes them, keys in its order (`JSONEncoder` orders a struct's keys
/// differently from run to run, and the files must come out the same every time).
func detLabelJSON(_ regions: [TextRegion], encoder: JSONEncoder) throws -> String {
    func number(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
    let items = try regions.map { r in
        let points = r.polygon.points.map { "[\(number($0.x)),\(number($0.y))]" }.joined(separator: ",")
        return "{\"transcription\":" + String(decoding: try encoder.encode(r.transcription), as: UTF8.self)
            + ",\"points\":[" + points + "]}"
    }
    return "[" + items.joined(separator: ",") + "]"
}

/// What `renderPages` wrote.
public struct PageRenderSummary: Sendable, CustomStringConvertible {
    public var output: String
    public var pages: Int
    /// Label polygons written (lines or words).
    public var regions: Int
    /// Pages per layout name.
    public var perLayout: [String: Int]
    public var fontRemarks: [String]
    public var seconds: Double
    public var threads: Int

    public var pagesPerSecond: Double { seconds > 0 ? Double(pages) / seconds : 0 }

    public var description: String {
        var lines = ["rendered \(pages) pages (\(regions) regions) to \(output) in \(String(format: "%.1f", seconds)) s: "
            + String(format: "%.1f pages/s on %d threads, %.1f pages/s per thread", pagesPerSecond, threads,
                     pagesPerSecond / Double(threads))]
        lines += perLayout.keys.sorted().map { "  \($0): \(perLayout[$0]!)" }
        lines += fontRemarks.map { "note: \($0)" }
        return lines.joined(separator: "\n")
    }
}

/// Result slots filled by concurrent workers, each writing its own indices.
private final class PageSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [(RenderedPage, Data)?]
    private var error: Error?

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    var failed: Bool {
        lock.lock()
        defer { lock.unlock() }
        return error != nil
    }

    func set(_ i: Int, _ value: (RenderedPage, Data)) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    func fail(_ e: Error) {
        lock.lock()
        if error == nil { error = e }
        lock.unlock()
    }

    func values() throws -> [(RenderedPage, Data)] {
        if let error { throw error }
        return slots.map { $0! }
    }
}
