import Foundation
import XCTest
@testable import OCRServe

/// Replaced model sets are freed. A model set holds three ONNX Runtime sessions and their arenas
/// (hundreds of MiB once warm), so one kept alive by anything - a worker's finished job, the
/// batcher, a cache - grows the server by a model set per reload. The server counts its live sets
/// itself (`ocr_model_generations_alive`, decremented in `ModelSet.deinit`); after K reloads with
/// requests before, during and after each, that count must be back to 1. Memory figures (RSS)
/// belong to `ocr-bench serve --reloads`, not to a test.
final class ServeReloadMemoryTests: XCTestCase {
    func testReplacedModelSetsAreFreedAfterReloadsUnderRequests() async throws {
        var config = try ServeFixtures.config()
        config.adminToken = "m"
        let s = try await RunningServer.start(config)
        let page = try ServeFixtures.page()
        let alive0 = try await Self.generationsAlive(s)
        XCTAssertEqual(alive0, 1, "one model set at start")

        let reloads = 5
        for k in 1...reloads {
            // Requests sent while the reload runs: some start on the old set and finish after the switch.
            async let during = Self.read(s, page, times: 4)
            let r = try await s.request("POST", "/admin/reload", headers: [("Authorization", "Bearer m")])
            XCTAssertEqual(r.status, 200, r.text)
            let duringStatuses = try await during
            XCTAssertEqual(duringStatuses, [200, 200, 200, 200])
            let after = try await s.request("POST", "/ocr", body: page)
            XCTAssertEqual(after.json["generation"] as? Int, k + 1, after.text)
            // Every request has been answered: the replaced set must be gone (2 only if one drains late).
            let alive = try await Self.generationsAlive(s)
            XCTAssertLessThanOrEqual(alive, 2, "model sets alive after reload \(k) (a leak keeps one per reload)")
        }
        // Nothing in flight now: the count settles at 1 (a short wait for a batch thread's last
        // reference; a leaked set never goes).
        var alive = try await Self.generationsAlive(s)
        for _ in 0..<100 where alive != 1 {
            try await Task.sleep(for: .milliseconds(50))
            alive = try await Self.generationsAlive(s)
        }
        XCTAssertEqual(alive, 1, "model sets alive after \(reloads) reloads: only the serving one should be")
        XCTAssertEqual(s.service.metrics.generationsAlive, 1)
        XCTAssertEqual(s.service.models?.generation, reloads + 1)
        try await s.stop()
    }

    /// POST /ocr `times` at once; their statuses.
    static func read(_ s: RunningServer, _ page: Data, times: Int) async throws -> [Int] {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<times { group.addTask { try await s.request("POST", "/ocr", body: page).status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// `ocr_model_generations_alive` from GET /metrics; fails the test when the line is missing.
    static func generationsAlive(_ s: RunningServer) async throws -> Int {
        let text = try await s.request("GET", "/metrics").text
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ocr_model_generations_alive ") }),
              let value = Double(line.split(separator: " ").last ?? "") else {
            XCTFail("/metrics has no ocr_model_generations_alive:\n\(text)")
            return -1
        }
        return Int(value)
    }
}
