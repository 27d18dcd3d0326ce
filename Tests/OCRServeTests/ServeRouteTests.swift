import Foundation
import Hummingbird
import XCTest
@testable import OCRServe

/// The real server on a free port with PP-OCRv4: every route, the PaddleOCR contract, metrics,
/// and each bad-input status. One server for the whole class keeps the suite's time small.
final class ServeRouteTests: XCTestCase {
    nonisolated(unsafe) static var shared: RunningServer?

    /// Limits small enough to reach from a test: 1 MB bodies, 3 images per request. It starts only
    /// when PP-OCRv4 passes the health sample that configs/serve.yml ships.
    func server() async throws -> RunningServer {
        if let s = Self.shared { return s }
        var config = try ServeFixtures.config()
        config.maxBodyBytes = 1_000_000
        config.maxImages = 3
        config.healthSample = try ServeConfig.load(ServeFixtures.packageRoot + "/configs/serve.yml").healthSample
        let s = try await RunningServer.start(config)
        Self.shared = s
        return s
    }

    override class func tearDown() {
        if let s = shared {
            let done = DispatchSemaphore(value: 0)
            Task { try? await s.stop(); done.signal() }
            done.wait()
        }
        shared = nil
        super.tearDown()
    }

    /// PaddleHub's envelope {"msg", "results", "status"} with one list of {text, confidence,
    /// text_region} per image, in order; both routes answer alike.
    func testPredictKeepsPaddleOCRContract() async throws {
        let s = try await server()
        let page = try ServeFixtures.page()
        let blank = try ServeFixtures.page([])
        for route in ["/predict/ppocr", "/predict/ocr_system"] {
            let response = try await s.predict([page, blank], route: route)
            XCTAssertEqual(response.status, 200, response.text)
            let json = response.json
            XCTAssertEqual(json["status"] as? String, "000")
            XCTAssertEqual(json["msg"] as? String, "")
            let results = try XCTUnwrap(json["results"] as? [[[String: Any]]], response.text)
            XCTAssertEqual(results.count, 2)
            XCTAssertEqual(results[0].map { ServeFixtures.withoutSpaces($0["text"] as? String ?? "") },
                           ServeFixtures.texts.map(ServeFixtures.withoutSpaces), route)
            XCTAssertEqual(results[1].count, 0, "a blank page reads no lines")
            for line in results[0] {
                XCTAssertEqual(Set(line.keys), ["text", "confidence", "text_region"])
                XCTAssertGreaterThan(line["confidence"] as? Double ?? 0, 0.9)
                let region = try XCTUnwrap(line["text_region"] as? [[Int]])
                XCTAssertEqual(region.count, 4)
                XCTAssertTrue(region.allSatisfy { $0.count == 2 })
            }
        }
    }

    /// /ocr: raw bytes and multipart give the same lines, with per-stage timings.
    func testOCRRawAndMultipart() async throws {
        let s = try await server()
        let page = try ServeFixtures.page()
        let raw = try await s.request("POST", "/ocr", headers: [("Content-Type", "image/png")], body: page)
        XCTAssertEqual(raw.status, 200, raw.text)
        let lines = try XCTUnwrap(raw.json["results"] as? [[String: Any]])
        XCTAssertEqual(lines.map { ServeFixtures.withoutSpaces($0["text"] as? String ?? "") }, ServeFixtures.texts.map(ServeFixtures.withoutSpaces))
        let timings = try XCTUnwrap(raw.json["timings"] as? [String: Double])
        for key in ["decode_ms", "queue_ms", "det_ms", "cls_ms", "rec_wait_ms", "rec_ms", "total_ms"] { XCTAssertNotNil(timings[key], key) }
        XCTAssertGreaterThan(timings["det_ms"]!, 0)
        XCTAssertGreaterThanOrEqual(timings["total_ms"]!, timings["det_ms"]! + timings["rec_ms"]!)
        XCTAssertEqual(raw.json["generation"] as? Int, 1)

        let boundary = "ocrkit-test-boundary"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n".utf8)
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"page.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
        body += page + Data("\r\n--\(boundary)--\r\n".utf8)
        let multipart = try await s.request("POST", "/ocr", headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")], body: body)
        XCTAssertEqual(multipart.status, 200, multipart.text)
        XCTAssertEqual((multipart.json["results"] as? [[String: Any]])?.map { $0["text"] as? String }, lines.map { $0["text"] as? String })
        XCTAssertTrue(s.log.all.contains { $0.contains("POST /ocr 200") && $0.contains("det: ") && $0.contains("rec: ") },
                      "access log: \(s.log.all.suffix(3))")
    }

    func testHealthReadyPageAndNoAdminWithoutToken() async throws {
        let s = try await server()
        let health = try await s.request("GET", "/health")
        XCTAssertEqual(health.status, 200)
        XCTAssertEqual(health.json["status"] as? String, "ok")
        let ready = try await s.request("GET", "/ready")
        XCTAssertEqual(ready.status, 200, ready.text)
        XCTAssertEqual(ready.json["generation"] as? Int, 1)
        XCTAssertEqual((ready.json["models"] as? [[String: Any]])?.compactMap { $0["role"] as? String }, ["det", "cls", "rec"])

        let page = try await s.request("GET", "/")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.header("Content-Type"), "text/html; charset=utf-8")
        for id in ["id=\"file\"", "id=\"drop\"", "id=\"canvas\"", "id=\"result\"", "id=\"status\"", "fetch('/ocr'"] {
            XCTAssertTrue(page.text.contains(id), "the page lacks \(id)")
        }
        XCTAssertFalse(page.text.contains("src=\"http") || page.text.contains("href=\"http"), "the page must not load external assets")

        // No token configured: the admin routes do not exist.
        let reload = try await s.request("POST", "/admin/reload", headers: [("Authorization", "Bearer x")])
        XCTAssertEqual(reload.status, 404)
    }

    /// Each bad request is a 400 (413 for the body limit) naming what was wrong, counted by kind;
    /// the server goes on reading pages afterwards.
    func testBadInputIsRefusedWithReasons() async throws {
        let s = try await server()
        let page = try ServeFixtures.page()
        func post(_ body: Data) async throws -> HTTPConnection.Response {
            try await s.request("POST", "/predict/ocr_system", headers: [("Content-Type", "application/json")], body: body)
        }
        // A PNG header claiming 60000 x 60000 px: refused from the header, nothing decoded.
        var bomb = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13]) + Data("IHDR".utf8)
        bomb += Data([0x00, 0x00, 0xEA, 0x60, 0x00, 0x00, 0xEA, 0x60, 8, 2, 0, 0, 0, 0, 0, 0, 0])
        let cases: [(String, Data, String, String)] = [
            ("invalid JSON", Data("{\"images\": [".utf8), "invalid_json", "not valid JSON"),
            ("missing images", Data(#"{"imgs": []}"#.utf8), "missing_images", "missing key 'images'"),
            ("empty list", Data(#"{"images": []}"#.utf8), "empty_images", "empty list"),
            ("not a list", Data(#"{"images": "abc"}"#.utf8), "missing_images", "must be a list"),
            ("invalid base64", try JSONSerialization.data(withJSONObject: ["images": [page.base64EncodedString(), "%%%not base64"]]),
             "invalid_base64", "images[1]: invalid base64"),
            ("not an image", try JSONSerialization.data(withJSONObject: ["images": [Data("hello, world".utf8).base64EncodedString()]]),
             "bad_image", "images[0]: not an image"),
            ("decompression bomb", try JSONSerialization.data(withJSONObject: ["images": [bomb.base64EncodedString()]]),
             "image_too_large", "images[0]: 60000 x 60000 px"),
            ("too many images", try JSONSerialization.data(withJSONObject: ["images": Array(repeating: "AAAA", count: 4)]),
             "too_many_images", "at most 3"),
        ]
        for (name, body, kind, message) in cases {
            let r = try await post(body)
            XCTAssertEqual(r.status, 400, "\(name): \(r.text)")
            XCTAssertEqual(r.json["kind"] as? String, kind, name)
            XCTAssertTrue((r.json["error"] as? String ?? "").contains(message), "\(name): \(r.text)")
            XCTAssertEqual(r.json["status"] as? String, "101", "\(name): PaddleHub's failure code")
        }
        let empty = try await s.request("POST", "/ocr")
        XCTAssertEqual(empty.status, 400)
        XCTAssertEqual(empty.json["kind"] as? String, "empty_body")

        let big = try await s.request("POST", "/ocr", headers: [("Content-Type", "image/png")], body: Data(count: 1_500_000))
        XCTAssertEqual(big.status, 413, big.text)
        XCTAssertEqual(big.json["kind"] as? String, "body_too_large")

        let after = try await s.predict([page])
        XCTAssertEqual(after.status, 200, "the server still reads pages after bad input: \(after.text)")
        let metrics = try await s.request("GET", "/metrics").text
        for kind in ["invalid_json", "invalid_base64", "bad_image", "image_too_large", "body_too_large"] {
            XCTAssertTrue(metrics.contains("ocr_errors_total{kind=\"\(kind)\"}"), "no error count for \(kind)")
        }
        XCTAssertTrue(metrics.contains("ocr_requests_total{route=\"/predict/ocr_system\",status=\"400\"}"))
    }

    /// The Prometheus text has requests by route and status, stage histograms, queue depth, batch
    /// sizes, confidences, and the serving models with their checksums.
    func testMetrics() async throws {
        let s = try await server()
        _ = try await s.predict([try ServeFixtures.page()])
        let r = try await s.request("GET", "/metrics")
        XCTAssertEqual(r.status, 200)
        let text = r.text
        for needle in ["ocr_requests_total{route=\"/predict/ppocr\",status=\"200\"}", "ocr_request_duration_seconds_bucket{route=\"/predict/ppocr\"",
                       "ocr_stage_duration_seconds_bucket{stage=\"det\"", "ocr_stage_duration_seconds_bucket{stage=\"rec\"",
                       "ocr_stage_duration_seconds_count{stage=\"rec_wait\"}", "ocr_queue_depth", "ocr_rec_batch_crops_bucket",
                       "ocr_line_confidence_bucket"] {
            XCTAssertTrue(text.contains(needle), "/metrics lacks \(needle)")
        }
        let rec = ServeFixtures.models + "/ch_PP-OCRv4_rec_infer.onnx"
        let sha = try ModelSet.sha256(of: rec)
        XCTAssertTrue(text.contains("ocr_model_info{role=\"rec\",name=\"ch_PP-OCRv4_rec_infer.onnx\",sha256=\"\(sha)\",generation=\"1\"} 1"),
                      text.split(separator: "\n").filter { $0.contains("model_info") }.joined(separator: "\n"))
    }
}
