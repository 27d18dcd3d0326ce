import Foundation
import OCRCore
import XCTest
@testable import OCRServe

/// The service's YAML config is decoded strictly, like the training configs; the request body
/// parsing needs no server.
final class ServeConfigTests: XCTestCase {
    func write(_ yaml: String) throws -> String {
        let path = ServeFixtures.scratchDirectory("config") + "/serve.yml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testShippedConfigDecodesWithItsDefaults() throws {
        let config = try ServeConfig.load(ServeFixtures.packageRoot + "/configs/serve.yml")
        var expected = ServeConfig()
        expected.healthSample = ServeFixtures.packageRoot + "/configs/serve/health_gt.txt"
        XCTAssertEqual(config, expected, "configs/serve.yml should spell out the defaults")
        XCTAssertTrue(FileManager.default.fileExists(atPath: config.healthSample!))
    }

    func testUnknownKeyIsNamedWithItsLine() throws {
        let path = try write("port: 9000\nbatching:\n  max_batch: 8\n  max_wiat_ms: 3\n")
        XCTAssertThrowsError(try ServeConfig.load(path)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("unknown key 'batching.max_wiat_ms'"), message)
            XCTAssertTrue(message.contains("max_wait_ms"), "suggests the right key: \(message)")
            XCTAssertTrue(message.contains(":4"), "names the line: \(message)")
        }
    }

    func testBadValuesAreNamed() throws {
        for (yaml, key) in [("workers: 0", "workers"), ("drop_score: 2", "drop_score"), ("batching:\n  threads: 0", "batching.threads"),
                            ("port: many", "port"), ("admin_token: ''", "admin_token")] {
            XCTAssertThrowsError(try ServeConfig.load(try write(yaml + "\n")), yaml) { error in
                XCTAssertTrue("\(error)".contains(key), "\(yaml): \(error)")
            }
        }
        let loaded = try ServeConfig.load(try write("port: 9000\nbatching:\n  enabled: false\n"))
        XCTAssertEqual(loaded.port, 9000)
        XCTAssertFalse(loaded.batching.enabled)
        XCTAssertEqual(loaded.batching.maxBatch, 24, "unset keys keep their defaults")
    }

    func testAdminTokenFromConfigOrEnvironment() {
        var config = ServeConfig()
        XCTAssertNil(config.resolvedAdminToken(environment: [:]))
        XCTAssertNil(config.resolvedAdminToken(environment: ["OCR_SERVE_TOKEN": ""]))
        XCTAssertEqual(config.resolvedAdminToken(environment: ["OCR_SERVE_TOKEN": "env"]), "env")
        config.adminToken = "file"
        XCTAssertEqual(config.resolvedAdminToken(environment: ["OCR_SERVE_TOKEN": "env"]), "file")
    }

    func testMultipartPartIsFoundByName() throws {
        let body = Array("--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\nPNGDATA\r\n--b--\r\n".utf8)
        XCTAssertEqual(try RequestImages.single(body, contentType: "multipart/form-data; boundary=b"), Data("PNGDATA".utf8))
        XCTAssertThrowsError(try RequestImages.single(Array("no parts".utf8), contentType: "multipart/form-data; boundary=b")) { error in
            XCTAssertEqual((error as? ServeError)?.kind, "invalid_multipart")
        }
        XCTAssertThrowsError(try RequestImages.single(body, contentType: "multipart/form-data")) { error in
            XCTAssertTrue("\(error)".contains("boundary"))
        }
    }
}
