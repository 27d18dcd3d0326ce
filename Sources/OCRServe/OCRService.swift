import Foundation
import Imaging
import OCRInference

/// The service behind the routes, without HTTP: the models serving now, the page workers, the
/// recognition batcher, metrics, and reload. `OCRServer.buildApplication` puts routes on it.
///
///     let service = try OCRService(config: config)      // loads, checks and warms the models
///     let page = try await service.read(imageBytes, name: "images[0]", models: service.models!, deadline: ...)
public final class OCRService: Sendable {
    public let config: ServeConfig
    public let metrics: ServeMetrics
    let pool: WorkerPool
    let batcher: RecognitionBatcher?
    let healthSample: HealthSample?
    /// Where access-log lines and reload reports go (stderr from `ocr serve`).
    let log: @Sendable (String) -> Void
    private let state = ServiceState()

    /// Loads the models in `config.models`, reads the health sample with them (or a blank page),
    /// and starts the worker and batch threads. Throws when the models cannot be loaded or fail
    /// the sample: a server never starts unready.
    public init(config: ServeConfig, log: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) throws {
        try config.validate()
        self.config = config
        self.log = log
        let metrics = ServeMetrics()
        self.metrics = metrics
        healthSample = try config.healthSample.map { try HealthSample(file: $0, minAccuracy: config.healthMinAccuracy) }
        let models = try ModelSet.load(directory: config.models, config: config, generation: 1, metrics: metrics)
        if let healthSample {
            let report = try healthSample.check(models.reader)
            guard report.passed else {
                throw InferenceError(.invalidInput, "\(config.models): the models read \(report.read) of \(report.lines) lines of the health "
                                     + "sample \(healthSample.file) (\(Self.percent(report.accuracy)), \(Self.percent(report.required)) required); "
                                     + "not read: \(report.missing.joined(separator: " | "))")
            }
        }
        try models.warmUp()
        pool = WorkerPool(threads: config.workers, capacity: config.queueSize, name: "ocr-page") { metrics.queueDepth($0) }
        batcher = config.batching.enabled
            ? RecognitionBatcher(options: .init(maxBatch: config.batching.maxBatch, maxWait: config.batching.maxWaitMs / 1000,
                                                threads: config.batching.threads)) { crops, _ in metrics.batch(crops: crops) }
            : nil
        state.serve(models)
        metrics.serving(models)
    }

    /// The models serving now (a request keeps the set it took for its whole life).
    public var models: ModelSet? { state.current }
    /// Models loaded and warmed up, and not shutting down.
    public var isReady: Bool { state.current != nil && !state.stopping }

    // MARK: pages

    /// One page read, with what each stage took (seconds).
    public struct PageResult: Sendable {
        public var page: PageReader.Page
        public var width: Int
        public var height: Int
        public var decode = 0.0
        /// Waiting for a page worker.
        public var queue = 0.0
        /// Waiting for the recognition batch to start (0 without batching).
        public var recWait = 0.0
        public var total = 0.0

        /// Seconds per stage, in order: the access log, /ocr's timings and the metrics name them so.
        public var stages: [(name: String, seconds: Double)] {
            let t = page.timings
            return [("decode", decode), ("queue", queue), ("det", t.det), ("cls", t.cls), ("rec_wait", recWait), ("rec", t.rec), ("total", total)]
        }

        /// `name: 12.34ms` per stage, the seed's log form.
        public var stageLog: String {
            stages.map { "\($0.name): \(String(format: "%.2f", $0.seconds * 1000))ms" }.joined(separator: " ")
        }
    }

    /// Decodes `data` (an image file's bytes; errors name `name`) and reads it with `models`:
    /// decoding, detection, crops and the classifier on a page worker, recognition in a shared
    /// batch (or on the worker when batching is off). Throws `ServeError` for what the client can
    /// act on (a bad image 400, queue full 503, past `deadline` 504).
    public func read(_ data: Data, name: String, models: ModelSet, deadline: DispatchTime) async throws -> PageResult {
        let submitted = DispatchTime.now()
        let maxPixels = Int(config.maxMegapixels * 1e6)
        let batched = batcher != nil
        do {
            // On the worker: decode and the stages before recognition (all of them without batching).
            struct Worked: Sendable {
                var width: Int, height: Int, decode: Double, queue: Double
                var prepared: PageReader.PreparedPage?
                var page: PageReader.Page?
            }
            let worked = try await pool.run(deadline: deadline) { () throws -> Worked in
                let queue = PageReader.seconds(since: submitted)
                let t = DispatchTime.now()
                let image = try PageImage.decode(data, path: name, maxPixels: maxPixels)
                let decode = PageReader.seconds(since: t)
                return batched
                    ? Worked(width: image.width, height: image.height, decode: decode, queue: queue, prepared: try models.reader.prepare(image))
                    : Worked(width: image.width, height: image.height, decode: decode, queue: queue, page: try models.reader.read(image))
            }
            var recWait = 0.0
            let page: PageReader.Page
            if let prepared = worked.prepared, let batcher {
                let recognized = try await batcher.recognize(prepared.crops, models: models,
                                                             deadline: Date(timeIntervalSinceNow: Self.seconds(until: deadline)))
                page = try models.reader.finish(prepared, recognitions: recognized.recognitions, recognitionSeconds: recognized.seconds)
                recWait = recognized.waited
            } else {
                page = worked.page!
            }
            var result = PageResult(page: page, width: worked.width, height: worked.height, decode: worked.decode, queue: worked.queue,
                                    recWait: recWait)
            result.total = PageReader.seconds(since: submitted)
            record(result)
            return result
        } catch let refusal as WorkerPool.Refusal {
            switch refusal {
            case .full:
                throw ServeError(.serviceUnavailable, "queue_full", "the queue is full (\(config.queueSize) pages waiting); retry later",
                                 retryAfter: config.retryAfter)
            case .timedOut:
                throw ServeError(.gatewayTimeout, "timeout", "\(name): not read within request_timeout (\(config.requestTimeout) s)")
            case .stopped:
                throw ServeError(.serviceUnavailable, "shutting_down", "the server is shutting down", retryAfter: config.retryAfter)
            }
        } catch let error as InferenceError where error.kind == .image {
            // PageImage refuses a page over the limit from its header, before decoding (a decompression bomb).
            throw ServeError.badRequest(error.message.contains("megapixels") ? "image_too_large" : "bad_image", error.message)
        } catch let error as InferenceError {
            throw ServeError(.internalServerError, "inference", "\(name): \(error.message)")
        }
    }

    private func record(_ r: PageResult) {
        // rec_wait only with batching; the whole page is the "page" stage.
        for (stage, seconds) in r.stages where stage != "rec_wait" || batcher != nil {
            metrics.stage(stage == "total" ? "page" : stage, seconds: seconds)
        }
        for line in r.page.lines { metrics.confidence(line.confidence) }
    }

    static func seconds(until deadline: DispatchTime) -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        return deadline.uptimeNanoseconds > now ? Double(deadline.uptimeNanoseconds - now) / 1e9 : 0
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }

    // MARK: reload

    /// What a reload did: `switched`, or why not (`reason`), with the models serving afterwards.
    public struct ReloadReport: Sendable, Codable {
        public var switched: Bool
        public var reason: String?
        /// The folder that was tried.
        public var candidate: String
        public var health: HealthSample.Report?
        public var serving: Serving
        public var seconds: Double

        public struct Serving: Sendable, Codable {
            public var directory: String
            public var generation: Int
            public var models: [ModelSet.File]
        }
    }

    /// Loads the models in `directory` (default: the configured folder) beside the ones serving,
    /// reads the health sample with them (a blank page without one), and switches to them only
    /// when that passes; otherwise the old models go on serving and the report says why. Requests
    /// in flight finish on the models they started with. One reload at a time: nil while another runs.
    public func reload(directory: String? = nil) async -> ReloadReport? {
        guard state.beginReload() else { return nil }
        defer { state.endReload() }
        let candidate = directory ?? config.models
        let start = Date()
        let attempt: (ModelSet?, HealthSample.Report?, String?) = await Self.offThread { [self] in
            let generation = (state.current?.generation ?? 0) + 1
            let models: ModelSet
            do { models = try ModelSet.load(directory: candidate, config: config, generation: generation, metrics: metrics) } catch {
                return (nil, nil, "cannot load the models: \(error)")
            }
            do {
                if let healthSample {
                    let report = try healthSample.check(models.reader)
                    guard report.passed else {
                        return (nil, report, "the new models read \(report.read) of \(report.lines) lines of the health sample "
                                + "(\(Self.percent(report.accuracy)), \(Self.percent(report.required)) required)")
                    }
                    try models.warmUp()
                    return (models, report, nil)
                }
                try models.warmUp()
                return (models, nil, nil)
            } catch {
                return (nil, nil, "the new models failed on the health sample: \(error)")
            }
        }
        let (models, health, reason) = attempt
        if let models {
            state.serve(models)
            metrics.serving(models)
        }
        metrics.reload(switched: models != nil)
        let serving = state.current!
        let report = ReloadReport(switched: models != nil, reason: reason, candidate: candidate, health: health,
                                  serving: .init(directory: serving.directory, generation: serving.generation, models: serving.files),
                                  seconds: Date().timeIntervalSince(start))
        log("[\(PageReader.logTimestamp(Date()))] reload \(candidate): " + (report.switched
            ? "switched to generation \(serving.generation)" : "refused, generation \(serving.generation) goes on serving: \(reason ?? "")"))
        return report
    }

    /// Runs blocking work (model loading, a health check) on a thread of its own, off the
    /// cooperative pool and the page workers.
    static func offThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: work()) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// SIGHUP reloads the configured model folder (as POST /admin/reload without a body), the
    /// report going to the log. Cancel the returned source to stop listening.
    ///
    /// Not a dispatch signal source: on Linux that needs SIGHUP ignored, and the kernel drops an
    /// ignored process-directed signal unless the main thread happens to block it - it worked
    /// alone in a test and was lost after other tests had run. A real handler writes a byte to a
    /// pipe (async-signal-safe) and a read source on the pipe starts the reload.
    public func reloadOnHangup() -> DispatchSourceRead {
        var fds: [Int32] = [-1, -1]
        precondition(pipe(&fds) == 0, "pipe: \(String(cString: strerror(errno)))")
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        hangupWriteEnd = fds[1]
        signal(SIGHUP, { _ in
            var byte: UInt8 = 1
            _ = write(hangupWriteEnd, &byte, 1)
        })
        let source = DispatchSource.makeReadSource(fileDescriptor: fds[0], queue: .global())
        source.setEventHandler { [self] in
            var buffer = [UInt8](repeating: 0, count: 64)
            while Glibc.read(fds[0], &buffer, buffer.count) > 0 {}     // one reload for a burst of signals
            Task {
                if await reload() == nil { log("[\(PageReader.logTimestamp(Date()))] SIGHUP: a reload is already running") }
            }
        }
        source.setCancelHandler {
            signal(SIGHUP, SIG_IGN)          // a later SIGHUP must not end the server
            hangupWriteEnd = -1
            close(fds[0])
            close(fds[1])
        }
        source.resume()
        return source
    }

    // MARK: shutdown

    /// Stops taking pages (later ones get 503), lets the queued ones finish, and ends the threads.
    public func shutdown() async {
        guard state.beginStopping() else { return }
        await Self.offThread { [pool, batcher] in
            pool.shutdown()
            batcher?.shutdown()
        }
    }
}

/// The mutable part of `OCRService`, behind one lock.
private final class ServiceState: @unchecked Sendable {
    private let lock = NSLock()
    private var models: ModelSet?
    private var reloading = false
    private var stopped = false

    var current: ModelSet? { lock.withLock { models } }
    var stopping: Bool { lock.withLock { stopped } }

    func serve(_ new: ModelSet) { lock.withLock { models = new } }

    func beginReload() -> Bool {
        lock.withLock {
            guard !reloading else { return false }
            reloading = true
            return true
        }
    }

    func endReload() { lock.withLock { reloading = false } }

    func beginStopping() -> Bool {
        lock.withLock {
            defer { stopped = true }
            return !stopped
        }
    }
}

/// The SIGHUP handler's pipe (write end): a C signal handler cannot capture, so it reads a global.
nonisolated(unsafe) private var hangupWriteEnd: Int32 = -1
