import Foundation
import Imaging

extension PageReader {
    /// What became of one page file.
    public struct FileResult: Sendable {
        public var path: String
        /// The page read, or why not: an `InferenceError` whose message starts with the path.
        public var result: Result<Page, InferenceError>
        /// The decoded page (for drawings); nil when it could not be read.
        public var image: Image?
    }

    /// Reads the page file at `path` (`PageImage.read`: grey, RGBA and 16-bit accepted, at most
    /// `maxPixels`). Never throws: a file that cannot be decoded or read fails alone, so a caller
    /// goes on with its other pages.
    public func read(file path: String, maxPixels: Int = PageImage.defaultMaxPixels) -> FileResult {
        var image: Image?
        do {
            image = try PageImage.read(path, maxPixels: maxPixels)
            return FileResult(path: path, result: .success(try read(image!)), image: image)
        } catch let error as InferenceError {
            let named = error.message.hasPrefix(path) ? error : InferenceError(error.kind, "\(path): \(error.message)")
            return FileResult(path: path, result: .failure(named), image: image)
        } catch {
            return FileResult(path: path, result: .failure(InferenceError(.runtime, "\(path): \(error)")), image: image)
        }
    }

    /// `read(file:)` for each path, in order.
    public func read(files paths: [String], maxPixels: Int = PageImage.defaultMaxPixels) -> [FileResult] {
        paths.map { read(file: $0, maxPixels: maxPixels) }
    }
}

extension PageReader {
    /// `read(file:)` for each path with up to `jobs` pages in flight at once (threads sharing this
    /// reader, whose sessions run concurrently), handing each result to `handle` on the calling
    /// thread in input order. Workers run at most `2 x jobs` pages ahead of `handle`, so a long
    /// list holds a few decoded pages, not all of them. When `handle` throws, no new page starts
    /// and the call returns once the pages in flight are done.
    ///
    /// On a 2-core machine two pages with one ONNX Runtime thread each read 1.3x the pages per
    /// second of one page with two threads (PP-OCRv4, 800 x 800 pages: 2.13 vs 1.64 pages/s,
    /// `ocr-bench pipeline --threads 1` and `--threads 2`): a page's many small operators keep
    /// a second thread of one session waiting more than working.
    public func read(files paths: [String], maxPixels: Int = PageImage.defaultMaxPixels, jobs: Int,
                     _ handle: (FileResult) throws -> Void) throws {
        guard jobs > 1, paths.count > 1 else {
            for path in paths { try handle(read(file: path, maxPixels: maxPixels)) }
            return
        }
        let pages = OrderedPages(count: paths.count, window: 2 * jobs)
        let group = DispatchGroup()
        for _ in 0..<min(jobs, paths.count) {
            DispatchQueue.global().async(group: group) {
                while let i = pages.next() { pages.finish(i, read(file: paths[i], maxPixels: maxPixels)) }
            }
        }
        defer {
            pages.stop()
            group.wait()
        }
        for i in paths.indices { try handle(pages.take(i)) }
    }
}

/// The shared state of `read(files:jobs:)`: the next page to start, the results not handed on
/// yet, and how far workers may run ahead.
private final class OrderedPages: @unchecked Sendable {
    private let condition = NSCondition()
    private var results: [PageReader.FileResult?]
    private var started = 0, taken = 0, stopped = false
    private let window: Int

    init(count: Int, window: Int) {
        results = Array(repeating: nil, count: count)
        self.window = window
    }

    /// The next page index to read; waits while the window is full; nil when all have started or `stop()` was called.
    func next() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !stopped && started < results.count && started >= taken + window { condition.wait() }
        guard !stopped, started < results.count else { return nil }
        started += 1
        return started - 1
    }

    func finish(_ i: Int, _ result: PageReader.FileResult) {
        condition.lock()
        results[i] = result
        condition.broadcast()
        condition.unlock()
    }

    /// Page `i`'s result once it is read (its slot is freed).
    func take(_ i: Int) -> PageReader.FileResult {
        condition.lock()
        defer { condition.unlock() }
        while results[i] == nil { condition.wait() }
        let result = results[i]!
        results[i] = nil
        taken = i + 1
        condition.broadcast()
        return result
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
