import Foundation
import OCRServe

/// `ocr-bench serve --reloads N`: memory across model reloads. A replaced model set should be
/// freed once the requests that started on it finish; if something keeps it, every reload adds a
/// model set's sessions and arenas to the server's resident memory. This loads the server with
/// `--reload-concurrency` clients, posts `/admin/reload` after every `--requests-per-reload`
/// answers, and reports the RSS before the first reload against after the last (the load ended),
/// with the server's own count of live model sets (`ocr_model_generations_alive`: 1 when no old
/// set is kept).
extension ServeBench {
    struct ReloadRun: Codable {
        var reloads: Int
        /// Reloads the server answered 200 (switched); the others count as failures in the figures.
        var switched: Int
        var load: Run
        var serverRSSMiBBefore: Double
        /// After each reload returned (requests still running).
        var serverRSSMiBPerReload: [Double]
        /// After the last reload and the load have ended.
        var serverRSSMiBAfter: Double
        var generationsAlive: Double?

        var figures: [String: Double] {
            var f = ["reload_rss_before_mib": serverRSSMiBBefore, "reload_rss_after_mib": serverRSSMiBAfter,
                     "reload_rss_growth_pct": (serverRSSMiBAfter - serverRSSMiBBefore) / serverRSSMiBBefore * 100,
                     "reload_rps": load.requestsPerSecond, "reload_p99_ms": load.p99Ms,
                     "reload_failed": Double(load.failures.values.reduce(0, +) + reloads - switched)]
            if let generationsAlive { f["reload_generations_alive"] = generationsAlive }
            return f
        }
    }

    func reloadUnderLoad(bodies: [[UInt8]], headers: [(String, String)]) throws -> ReloadRun {
        guard let pid, let token else { throw BenchError("--reloads needs --pid and --admin-token") }
        // Requests after the last reload too, so the last one is also reloaded under load.
        let tally = Tally(total: (reloads + 1) * requestsPerReload)
        let before = ProcessStats.residentMiB(pid: pid)
        print("\nreloads under load: \(reloads) x POST /admin/reload, one after every \(requestsPerReload) requests "
              + "at concurrency \(reloadConcurrency); server RSS before: " + String(format: "%.0f MiB", before))
        let loaded = LoadOutcome()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            loaded.set(Result { try load(clients: reloadConcurrency, bodies: bodies, headers: headers, tally: tally) })
            done.signal()
        }
        thread.start()
        let admin = try HTTPConnection(host: host, port: port, timeout: 300)
        var switched = 0, perReload = [Double]()
        for i in 1...reloads {
            // Wait for this round's requests, unless the load has ended (a failing server).
            while tally.answered < i * requestsPerReload && !loaded.finished { usleep(20_000) }
            let r = try admin.send("POST", "/admin/reload", headers: [("Authorization", "Bearer \(token)")])
            if r.status == 200 { switched += 1 }
            perReload.append(ProcessStats.residentMiB(pid: pid))
            print(String(format: "  reload %2d: HTTP %d, server RSS %.0f MiB", i, r.status, perReload.last!))
        }
        done.wait()
        let run = try loaded.result!.get()
        let after = ProcessStats.residentMiB(pid: pid)
        let alive = try generationsAlive(admin)
        let result = ReloadRun(reloads: reloads, switched: switched, load: run, serverRSSMiBBefore: before,
                               serverRSSMiBPerReload: perReload, serverRSSMiBAfter: after, generationsAlive: alive)
        print(String(format: "  after %d reloads: server RSS %.0f MiB (%+.1f%% from %.0f), model generations alive %@; "
                     + "%.2f requests/s, p99 %.1f ms, failures %d", reloads, after, result.figures["reload_rss_growth_pct"]!, before,
                     alive.map { String(Int($0)) } ?? "not reported", run.requestsPerSecond, run.p99Ms,
                     Int(result.figures["reload_failed"]!)))
        return result
    }

    /// `ocr_model_generations_alive` from the server's /metrics (nil from a server without it).
    func generationsAlive(_ connection: HTTPConnection) throws -> Double? {
        let text = try connection.send("GET", "/metrics").text
        let line = text.split(separator: "\n").first { $0.hasPrefix("ocr_model_generations_alive ") }
        return line.flatMap { Double($0.split(separator: " ").last ?? "") }
    }
}

/// The load thread's result, read by the thread posting the reloads.
private final class LoadOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<ServeBench.Run, Error>?

    func set(_ result: Result<ServeBench.Run, Error>) { lock.withLock { value = result } }
    var result: Result<ServeBench.Run, Error>? { lock.withLock { value } }
    var finished: Bool { result != nil }
}
