import Foundation
import VenvPython
import XCTest
@testable import OCRServe

/// The page at GET / in a real browser: the real server on a free port, and Python/webpage_test.py
/// (Selenium in the test venv, Debian's headless chromium and chromedriver) choosing an image in
/// the page's file input, waiting for the boxes and checking the texts listed and the boxes drawn
/// on the canvas. Missing chromium or venv fails the test (run scripts/setup.sh), never skips it.
final class WebPageBrowserTests: XCTestCase {
    static let script = "Tests/OCRServeTests/Python/webpage_test.py"

    struct Case: Encodable {
        var image: String
        var expected: [String]
        /// Lines that must be shown exactly as expected (spaces ignored); every line must be listed.
        var minExact: Int
        enum CodingKeys: String, CodingKey { case image, expected, minExact = "min_exact" }
    }

    func testPageShowsTextsAndBoxes() async throws {
        let dir = ServeFixtures.scratchDirectory("browser")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A rendered page PP-OCRv4 reads exactly, and the first page of the health sample that
        // configs/serve.yml ships (read with the loader the server uses): PP-OCRv4 reads 13 of its
        // 15 lines exactly (it reads "Item" as "ltem"; RapidOCR with these models too).
        let rendered = dir + "/rendered.png"
        try ServeFixtures.page().write(to: URL(fileURLWithPath: rendered))
        let sample = try HealthSample(file: ServeFixtures.packageRoot + "/configs/serve/health_gt.txt", minAccuracy: 0.5)
        let page = try XCTUnwrap(sample.pages.first)
        let cases = [Case(image: rendered, expected: ServeFixtures.texts, minExact: ServeFixtures.texts.count),
                     Case(image: page.path, expected: page.expected, minExact: 13)]
        let casesFile = dir + "/cases.json"
        try JSONEncoder().encode(cases).write(to: URL(fileURLWithPath: casesFile))

        let server = try await RunningServer.start(try ServeFixtures.config())
        // The script blocks for seconds: run it off the cooperative pool the server answers on.
        let outcome: Result<Data, VenvPython.Failure> = await OCRService.offThread {
            do {
                return .success(try VenvPython.run(Self.script, ["http://127.0.0.1:\(server.port)/", casesFile],
                                                   hint: "exit 1: the page showed something else; exit 2: chromium or chromedriver missing (scripts/setup.sh)"))
            } catch {
                return .failure(error as? VenvPython.Failure ?? VenvPython.Failure(description: "\(error)"))
            }
        }
        try await server.stop()
        let output = try outcome.get()
        print(String(decoding: output, as: UTF8.self), terminator: "")
        XCTAssertEqual(String(decoding: output, as: UTF8.self).split(separator: "\n").count, cases.count, "one line per page checked")
    }
}
