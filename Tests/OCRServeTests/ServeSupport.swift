import Foundation
import Hummingbird
import Imaging
import Logging
import OCRData
import ServiceLifecycle
import XCTest
@testable import OCRServe

/// PP-OCRv4's models from .deps/models (as the page pipeline's tests use them) and small pages of
/// lines rendered by OCRData's line renderer, which PP-OCRv4 reads exactly.
enum ServeFixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let models = packageRoot + "/.deps/models"
    static let font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
    /// The lines of `page()`.
    static let texts = ["Invoice 2026-11-26", "Total 42.00"]

    /// A server config on a free port with PP-OCRv4's models (a folder of links to them: .deps/models
    /// may hold other models too); fails (never skips) without them.
    static func config() throws -> ServeConfig {
        guard FileManager.default.fileExists(atPath: models + "/ch_PP-OCRv4_det_infer.onnx") else {
            throw ServeError(.internalServerError, "setup", "\(models) has no PP-OCRv4 models: run scripts/setup.sh")
        }
        var config = ServeConfig()
        config.models = try linkedModelFolder()
        config.port = 0
        config.workers = 2
        config.intraOpThreads = 1
        config.batching.enabled = true          // the tests cover the batching path; it is off by default
        return config
    }

    /// A white page with `texts` rendered one under another: its PNG bytes.
    static func page(_ texts: [String] = texts, width: Int = 420) throws -> Data {
        let renderer = try LineRenderer(options: .clean)
        let face = try FontFile(path: font)
        let lines = try texts.enumerated().map { i, text in try renderer.render(text, font: face, seed: 11, index: i).image }
        let height = 30 + lines.count * 70
        var pixels = [UInt8](repeating: 255, count: width * height * 3)
        for (i, line) in lines.enumerated() {
            precondition(30 + line.width <= width, "\(texts[i]) does not fit the page")
            let top = 20 + i * 70
            for y in 0..<line.height {
                for x in 0..<line.width {
                    for k in 0..<3 { pixels[((top + y) * width + 30 + x) * 3 + k] = line.pixels[(y * line.width + x) * line.channels + min(k, line.channels - 1)] }
                }
            }
        }
        return try Image(width: width, height: height, colorOrder: .bgr, pixels: pixels).encoded(as: .png)
    }

    /// A folder holding links to the test models (a second model folder to reload).
    static func linkedModelFolder(replacing replacements: [String: String] = [:]) throws -> String {
        let dir = scratchDirectory("models")
        for name in ["ch_PP-OCRv4_det_infer.onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx"] {
            try FileManager.default.createSymbolicLink(atPath: dir + "/" + name, withDestinationPath: replacements[name] ?? models + "/" + name)
        }
        return dir
    }

    static func scratchDirectory(_ name: String) -> String {
        let dir = NSTemporaryDirectory() + "ocrkit-serve-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func withoutSpaces(_ s: String) -> String { s.filter { !$0.isWhitespace } }
}

/// Lines the service logged.
final class LogLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines = [String]()
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}

/// The real server on a free loopback port, in-process, run by a ServiceGroup as `ocr serve`
/// runs it (graceful shutdown triggered by the test instead of a signal).
final class RunningServer: @unchecked Sendable {
    let service: OCRService
    let port: Int
    let log: LogLines
    private let group: ServiceGroup
    private let task: Task<Void, Error>

    private init(service: OCRService, port: Int, log: LogLines, group: ServiceGroup, task: Task<Void, Error>) {
        self.service = service
        self.port = port
        self.log = log
        self.group = group
        self.task = task
    }

    static func start(_ config: ServeConfig) async throws -> RunningServer {
        let log = LogLines()
        let service = try OCRService(config: config) { log.append($0) }
        var logger = Logger(label: "ocr-serve-test")
        logger.logLevel = .error
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = OCRServer.buildApplication(service: service, logger: logger) { continuation.yield($0) }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw ServeError(.internalServerError, "test", "the server did not start") }
        return RunningServer(service: service, port: port, log: log, group: group, task: task)
    }

    /// One request on a new connection (real sockets, off the cooperative pool).
    func request(_ method: String, _ uri: String, headers: [(String, String)] = [], body: Data = Data()) async throws -> HTTPConnection.Response {
        try await HTTPConnection.request(port: port, method, uri, headers: headers, body: Array(body))
    }

    /// POST /predict/ppocr with these images' base64.
    func predict(_ images: [Data], route: String = "/predict/ppocr") async throws -> HTTPConnection.Response {
        let body = try JSONSerialization.data(withJSONObject: ["images": images.map { $0.base64EncodedString() }])
        return try await request("POST", route, headers: [("Content-Type", "application/json")], body: body)
    }

    /// Graceful shutdown, as on SIGTERM; returns when the server and the service's threads have stopped.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}

extension HTTPConnection.Response {
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
}

/// Keeps the page workers busy until `release()`: a real job in the real pool, so the queue and
/// timeout paths are reached without timing luck.
final class BlockedWorker: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 0)
    private var task: Task<Void, Never>?

    init(_ service: OCRService, count: Int = 1) async throws {
        let semaphore = self.semaphore
        for _ in 0..<count {
            let started = DispatchSemaphore(value: 0)
            let pool = service.pool
            task = Task { _ = try? await pool.run(deadline: .now() + .seconds(60)) { started.signal(); semaphore.wait() } }
            // Wait (off the cooperative pool) until a worker runs it.
            await OCRService.offThread { started.wait() }
        }
    }

    func release(_ count: Int = 1) { for _ in 0..<count { semaphore.signal() } }
}
