import Foundation
import Hummingbird
import XCTest
@testable import OCRServe

/// What needs a server of its own: the queue limit (503 + Retry-After) and the request timeout
/// (504), admin auth and hot reload (success, refusal, in-flight requests on their old models),
/// and graceful shutdown (a request in flight finishes, then the server stops).
final class ServeLifecycleTests: XCTestCase {
    /// One worker, one queue place: with the worker held, one request waits, the next is refused,
    /// and the waiting one times out.
    func testQueueFullAndTimeout() async throws {
        var config = try ServeFixtures.config()
        config.workers = 1
        config.queueSize = 1
        config.requestTimeout = 1.5
        config.retryAfter = 7
        let s = try await RunningServer.start(config)
        let page = try ServeFixtures.page()
        let blocked = try await BlockedWorker(s.service)
        let waiting = Task { try await s.request("POST", "/ocr", body: page) }
        for _ in 0..<200 where s.service.pool.depth < 1 { try await Task.sleep(for: .milliseconds(10)) }
        XCTAssertEqual(s.service.pool.depth, 1, "the first request should be queued")

        let refused = try await s.request("POST", "/ocr", body: page)
        XCTAssertEqual(refused.status, 503, refused.text)
        XCTAssertEqual(refused.header("Retry-After"), "7")
        XCTAssertEqual(refused.json["kind"] as? String, "queue_full")

        let timedOut = try await waiting.value
        XCTAssertEqual(timedOut.status, 504, timedOut.text)
        XCTAssertEqual(timedOut.json["kind"] as? String, "timeout")
        blocked.release()

        let ok = try await s.request("POST", "/ocr", body: page)
        XCTAssertEqual(ok.status, 200, "the server serves again once the worker is free: \(ok.text)")
        try await s.stop()
    }

    /// Admin routes want the bearer token; a broken model folder is refused with the reason and
    /// the old models go on serving; a good one is switched to, while a request that started
    /// before the switch finishes on the models it started with.
    func testReloadRefusesBrokenModelsAndSwitchesToGoodOnes() async throws {
        var config = try ServeFixtures.config()
        config.adminToken = "s3cret"
        let s = try await RunningServer.start(config)
        let auth = [("Authorization", "Bearer s3cret"), ("Content-Type", "application/json")]

        let anonymous = try await s.request("POST", "/admin/reload")
        XCTAssertEqual(anonymous.status, 401)
        XCTAssertEqual(anonymous.header("WWW-Authenticate"), "Bearer")
        let wrong = try await s.request("POST", "/admin/reload", headers: [("Authorization", "Bearer s3cre")])
        XCTAssertEqual(wrong.status, 401)

        // A folder whose detector is not an ONNX model: refused, generation 1 goes on serving.
        let broken = ServeFixtures.scratchDirectory("broken")
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: broken + "/det.onnx"))
        try FileManager.default.createSymbolicLink(atPath: broken + "/rec.onnx", withDestinationPath: ServeFixtures.models + "/ch_PP-OCRv4_rec_infer.onnx")
        let refused = try await s.request("POST", "/admin/reload", headers: auth, body: Data(#"{"models": "\#(broken)"}"#.utf8))
        XCTAssertEqual(refused.status, 422, refused.text)
        XCTAssertEqual(refused.json["switched"] as? Bool, false)
        XCTAssertTrue((refused.json["reason"] as? String ?? "").contains(broken + "/det.onnx"), refused.text)
        XCTAssertEqual((refused.json["serving"] as? [String: Any])?["generation"] as? Int, 1)
        let stillServing = try await s.predict([try ServeFixtures.page()])
        XCTAssertEqual(stillServing.status, 200)

        // A good folder: switched. A request queued behind a held worker took generation 1 and keeps it.
        let good = try ServeFixtures.linkedModelFolder()
        let blocked = try await BlockedWorker(s.service, count: config.workers)
        let inFlight = Task { try await s.request("POST", "/ocr", body: try ServeFixtures.page()) }
        for _ in 0..<200 where s.service.pool.depth < 1 { try await Task.sleep(for: .milliseconds(10)) }
        let switched = try await s.request("POST", "/admin/reload", headers: auth, body: Data(#"{"models": "\#(good)"}"#.utf8))
        XCTAssertEqual(switched.status, 200, switched.text)
        XCTAssertEqual(switched.json["switched"] as? Bool, true)
        XCTAssertEqual((switched.json["serving"] as? [String: Any])?["generation"] as? Int, 2)
        blocked.release(config.workers)
        let old = try await inFlight.value
        XCTAssertEqual(old.status, 200, old.text)
        XCTAssertEqual(old.json["generation"] as? Int, 1, "a request finishes on the models it started with")
        let new = try await s.request("POST", "/ocr", body: try ServeFixtures.page())
        XCTAssertEqual(new.json["generation"] as? Int, 2)
        let ready = try await s.request("GET", "/ready")
        XCTAssertEqual(ready.json["directory"] as? String, good)

        let metrics = try await s.request("GET", "/metrics").text
        XCTAssertTrue(metrics.contains("ocr_reloads_total{result=\"refused\"} 1"), metrics)
        XCTAssertTrue(metrics.contains("ocr_reloads_total{result=\"switched\"} 1"))
        XCTAssertTrue(metrics.contains("generation=\"2\"} 1") && !metrics.contains("generation=\"1\"} 1"),
                      "ocr_model_info lists the serving models only")
        try await s.stop()
    }

    /// A health sample the candidate models cannot read keeps the old ones (the fixture
    /// recogniser from OCRInferenceTests reads nothing of a real page).
    func testReloadRefusesModelsThatFailTheHealthSample() async throws {
        var config = try ServeFixtures.config()
        config.adminToken = "t"
        let sampleDir = ServeFixtures.scratchDirectory("health")
        try ServeFixtures.page().write(to: URL(fileURLWithPath: sampleDir + "/page.png"))
        let regions = ServeFixtures.texts.enumerated().map { i, t in
            #"{"transcription": "\#(t)", "points": [[30,\#(20 + i * 70)],[300,\#(20 + i * 70)],[300,\#(60 + i * 70)],[30,\#(60 + i * 70)]]}"#
        }
        try Data("page.png\t[\(regions.joined(separator: ", "))]\n".utf8).write(to: URL(fileURLWithPath: sampleDir + "/health.txt"))
        config.healthSample = sampleDir + "/health.txt"
        config.healthMinAccuracy = 1
        let s = try await RunningServer.start(config)   // PP-OCRv4 reads both lines: it starts

        let fixture = ServeFixtures.packageRoot + "/Tests/OCRInferenceTests/Fixtures/rec_ocrkit.onnx"
        let weak = try ServeFixtures.linkedModelFolder(replacing: ["ch_PP-OCRv4_rec_infer.onnx": fixture])
        let r = try await s.request("POST", "/admin/reload", headers: [("Authorization", "Bearer t")], body: Data(#"{"models": "\#(weak)"}"#.utf8))
        XCTAssertEqual(r.status, 422, r.text)
        XCTAssertEqual(r.json["switched"] as? Bool, false)
        XCTAssertTrue((r.json["reason"] as? String ?? "").contains("health sample"), r.text)
        let ready = try await s.request("GET", "/ready")
        XCTAssertEqual(ready.json["generation"] as? Int, 1)
        XCTAssertEqual(ready.json["directory"] as? String, config.models)
        try await s.stop()
    }

    /// SIGHUP reloads the configured folder, as POST /admin/reload without a body.
    func testHangupReloads() async throws {
        let s = try await RunningServer.start(try ServeFixtures.config())
        let hangup = s.service.reloadOnHangup()
        defer { hangup.cancel() }
        kill(getpid(), SIGHUP)   // process-directed, as `kill -HUP` (raise() targets this thread only)
        // Up to 90 s: a debug reload loads three models and warms them up (about 4 s on a quiet
        // machine, over 12 s while a build runs); the log line follows the switch.
        let switched = "reload \(s.service.config.models): switched to generation 2"
        for _ in 0..<4500 where !s.log.all.contains(where: { $0.contains(switched) }) { try await Task.sleep(for: .milliseconds(20)) }
        XCTAssertEqual(s.service.models?.generation, 2, "SIGHUP should have switched to a second generation: \(s.log.all)")
        XCTAssertTrue(s.log.all.contains { $0.contains(switched) }, "\(s.log.all)")
        try await s.stop()
    }

    /// SIGTERM's path: a request in flight when shutdown begins is answered; then the server stops
    /// and the service's threads end.
    func testGracefulShutdownDrainsRequestsInFlight() async throws {
        var config = try ServeFixtures.config()
        config.workers = 1
        let s = try await RunningServer.start(config)
        let blocked = try await BlockedWorker(s.service)
        let inFlight = Task { try await s.request("POST", "/ocr", body: try ServeFixtures.page()) }
        for _ in 0..<200 where s.service.pool.depth < 1 { try await Task.sleep(for: .milliseconds(10)) }
        let stopping = Task { try await s.stop() }
        try await Task.sleep(for: .milliseconds(300))
        blocked.release()
        let answered = try await inFlight.value
        XCTAssertEqual(answered.status, 200, "the request in flight is answered: \(answered.text)")
        try await stopping.value
        XCTAssertFalse(s.service.isReady)
        do {
            _ = try await s.request("GET", "/health")
            XCTFail("the server still answers after shutdown")
        } catch {}
    }
}
