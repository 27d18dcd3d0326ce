import ArgumentParser
import Foundation
import OCRServe

/// `ocr-bench serve`: a load generator for a running `ocr serve` on loopback. For each
/// concurrency, that many clients (a thread and a keep-alive connection each) send the pages
/// round-robin until `--requests` have been answered; it prints requests/s, p50/p99 latency,
/// failures by status and the server's resident memory (`--pid`) before and after. The server is
/// started by the caller (with batching on or off in its config), so both sides are measured as
/// deployed; run nothing else on the machine while it measures. `--rapidocr-api` sends the body
/// RapidOCR's own HTTP service expects instead (scripts/bench-serve.sh's side by side).
///
/// `--reloads N` (with `--admin-token` and `--pid`) then reloads the models N times under load
/// (ServeBench+Reloads.swift): the server's RSS after N reloads against before them, and the model
/// generations still alive. The key figures go to bench-results/serve-NAME.json, compared with the
/// previous run of the same `--name` (the server's setting: batching, no-batching, rapidocr-api).
struct ServeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Load a running ocr serve: requests/s, p50/p99 ms, failures and server RSS at each concurrency.")

    @Argument(help: "Page images sent round-robin.")
    var pages: [String]
    @Option(help: "The server's IPv4 address.") var host = "127.0.0.1"
    @Option(help: "The server's port.") var port = 18080
    @Option(help: "/ocr (raw bytes) or /predict/ocr_system (PaddleOCR's JSON, one image per request).") var route = "/ocr"
    @Option(parsing: .upToNextOption, help: "Concurrent clients, one run each.") var concurrency = [1, 8, 32]
    @Flag(help: "Load RapidOCR's rapidocr_api service instead: POST /ocr, multipart/form-data with the page as part `image_file`.")
    var rapidocrApi = false
    @Option(help: "Requests answered per run.") var requests = 200
    @Option(help: "Requests per client before timing starts (warm-up, not counted).") var warmup = 2
    @Option(help: "The server's process id, for its resident memory (/proc/PID/status).") var pid: Int32?
    @Option(help: "Write every run (failures included) as JSON here, for scripts/bench_serve_report.py.") var results: String?
    @Option(help: "Names the server's setting in the figures file (batching, no-batching, rapidocr-api).") var name = "ocr"
    @Option(help: "Where the key figures are written as JSON (default bench-results/serve-NAME.json; read back next time for comparison).")
    var figures: String?
    @Option(help: "Reload the models this many times under load after the runs (needs --admin-token and --pid).") var reloads = 0
    @Option(help: "Requests answered between two reloads.") var requestsPerReload = 40
    @Option(help: "Clients loading the server while it reloads.") var reloadConcurrency = 4
    @Option(help: "The server's admin token (default: $OCR_SERVE_TOKEN).") var adminToken: String?

    struct Run: Codable {
        var concurrency: Int
        var requests: Int
        var seconds: Double
        var requestsPerSecond: Double
        var p50Ms: Double
        var p99Ms: Double
        var failures: [String: Int]
        var serverRSSMiBBefore: Double?
        var serverRSSMiBAfter: Double?
    }

    func validate() throws {
        guard !pages.isEmpty else { throw ValidationError("name at least one page image") }
        guard requests >= 1, concurrency.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--requests and --concurrency must be positive") }
        guard ["/ocr", "/predict/ocr_system", "/predict/ppocr"].contains(route) else { throw ValidationError("--route: /ocr or /predict/ocr_system") }
        guard !rapidocrApi || route == "/ocr" else { throw ValidationError("--rapidocr-api posts to /ocr: leave --route out") }
        guard reloads >= 0, requestsPerReload >= 1, reloadConcurrency >= 1 else {
            throw ValidationError("--reloads must be >= 0, --requests-per-reload and --reload-concurrency positive")
        }
        guard reloads == 0 || (pid != nil && token != nil && !rapidocrApi) else {
            throw ValidationError("--reloads: give the ocr serve process's --pid and --admin-token (or set OCR_SERVE_TOKEN)")
        }
    }

    /// The admin token: the option, else `OCR_SERVE_TOKEN` as `ocr serve` reads it.
    var token: String? { adminToken ?? ProcessInfo.processInfo.environment["OCR_SERVE_TOKEN"] }

    /// The request body for one page file and its Content-Type.
    func body(_ data: Data, path: String) throws -> ([UInt8], String) {
        if rapidocrApi {
            // rapidocr_api's `image_file: UploadFile` form field.
            let boundary = "ocrkit-bench-boundary-7d1f"
            let head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"image_file\"; filename=\"\((path as NSString).lastPathComponent)\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
            return (Array(head.utf8) + Array(data) + Array("\r\n--\(boundary)--\r\n".utf8), "multipart/form-data; boundary=\(boundary)")
        }
        if route == "/ocr" { return (Array(data), "application/octet-stream") }
        let json = try JSONSerialization.data(withJSONObject: ["images": [data.base64EncodedString()]])
        return (Array(json), "application/json")
    }

    func run() throws {
        let prepared = try pages.map { path in try body(try Data(contentsOf: URL(fileURLWithPath: path)), path: path) }
        let bodies = prepared.map(\.0)
        let headers = [("Content-Type", prepared[0].1)]
        var runs = [Run]()
        print("ocr-bench serve: \(pages.count) pages to http://\(host):\(port)\(route)\(rapidocrApi ? " (rapidocr_api multipart)" : ""), "
              + "\(requests) requests per run")
        for clients in concurrency {
            let before = pid.map { ProcessStats.residentMiB(pid: $0) }
            let run = try load(clients: clients, bodies: bodies, headers: headers)
            var r = run
            r.serverRSSMiBBefore = before
            r.serverRSSMiBAfter = pid.map { ProcessStats.residentMiB(pid: $0) }
            runs.append(r)
            let failures = r.failures.isEmpty ? "none" : r.failures.map { "\($0.key): \($0.value)" }.sorted().joined(separator: ", ")
            let rss = r.serverRSSMiBAfter.map { String(format: ", server RSS %.0f -> %.0f MiB", r.serverRSSMiBBefore ?? 0, $0) } ?? ""
            print(String(format: "  concurrency %3d: %7.2f requests/s  p50 %8.1f ms  p99 %8.1f ms  failures %@%@",
                         clients, r.requestsPerSecond, r.p50Ms, r.p99Ms, failures, rss))
        }
        var figures = Self.figures(runs)
        var reloadRun: ReloadRun?
        if reloads > 0 {
            let r = try reloadUnderLoad(bodies: bodies, headers: headers)
            reloadRun = r
            figures.merge(r.figures) { $1 }
        }
        if let results {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(Output(runs: runs, reload: reloadRun)).write(to: URL(fileURLWithPath: results))
        }
        try BenchResults.compareAndSave(figures, to: self.figures ?? "bench-results/serve-\(name).json")
    }

    /// What `--results` holds: every run, and the reloads when there were some.
    struct Output: Codable {
        var runs: [Run]
        var reload: ReloadRun?
    }

    /// The figures compared between runs: requests/s, p50 and p99 per concurrency (`c8_rps`), and
    /// the server's RSS after the last run.
    static func figures(_ runs: [Run]) -> [String: Double] {
        var figures = [String: Double]()
        for r in runs {
            figures["c\(r.concurrency)_rps"] = r.requestsPerSecond
            figures["c\(r.concurrency)_p50_ms"] = r.p50Ms
            figures["c\(r.concurrency)_p99_ms"] = r.p99Ms
        }
        if let rss = runs.last?.serverRSSMiBAfter { figures["rss_mib"] = rss }
        return figures
    }

    /// `clients` threads share a request counter (`tally`, default: `--requests`); each keeps one
    /// connection (a new one after an error).
    func load(clients: Int, bodies: [[UInt8]], headers: [(String, String)], tally given: Tally? = nil) throws -> Run {
        let tally = given ?? Tally(total: requests)
        let group = DispatchGroup()
        let start = ProcessStats.now()
        for client in 0..<clients {
            group.enter()
            let thread = Thread { [host, port, route, warmup] in
                defer { group.leave() }
                var connection: HTTPConnection?
                var sent = 0
                while true {
                    let counted = sent >= warmup
                    if counted && !tally.take() { return }
                    let body = bodies[(client + sent) % bodies.count]
                    sent += 1
                    let t = ProcessStats.now()
                    var outcome: String?
                    do {
                        if connection == nil { connection = try HTTPConnection(host: host, port: port) }
                        let r = try connection!.send("POST", route, headers: headers, body: body)
                        if r.status != 200 { outcome = "HTTP \(r.status)" }
                    } catch {
                        outcome = "connection error"
                        connection = nil
                    }
                    if counted { tally.record(ms: (ProcessStats.now() - t) * 1000, failure: outcome) }
                }
            }
            thread.start()
        }
        group.wait()
        let seconds = ProcessStats.now() - start
        let (sorted, failures) = tally.results
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        return Run(concurrency: clients, requests: tally.total, seconds: seconds, requestsPerSecond: Double(sorted.count) / seconds,
                   p50Ms: percentile(0.5), p99Ms: percentile(0.99), failures: failures)
    }
}

/// The clients' shared request counter and what they measured.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    let total: Int
    private var next = 0
    private var latencies = [Double]()
    private var failures = [String: Int]()

    init(total: Int) { self.total = total }

    /// Claims one of the requests still to send; false when all are claimed.
    func take() -> Bool {
        lock.withLock {
            guard next < total else { return false }
            next += 1
            return true
        }
    }

    func record(ms: Double, failure: String?) {
        lock.withLock {
            if let failure { failures[failure, default: 0] += 1 } else { latencies.append(ms) }
        }
    }

    /// Requests answered so far (failed ones included).
    var answered: Int { lock.withLock { latencies.count + failures.values.reduce(0, +) } }

    /// Latencies of the successful requests (sorted) and failures by kind.
    var results: ([Double], [String: Int]) { lock.withLock { (latencies.sorted(), failures) } }
}
