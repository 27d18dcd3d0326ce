import Foundation
import Imaging
import XCTest
@testable import OCRInference

final class ImageFilesTests: XCTestCase {
    func testFoldersExpandToImageFilesSortedByName() throws {
        let dir = try Fixtures.scratchDirectory("files")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let png = try ColumnCode.image([1, 2]).encoded(as: .png)
        for name in ["b.png", "a.PNG", "c.jpg", "notes.txt"] {
            XCTAssertTrue(FileManager.default.createFile(atPath: "\(dir)/\(name)", contents: name == "notes.txt" ? Data("x".utf8) : png))
        }
        XCTAssertEqual(try ImageFiles.expand([dir, "\(dir)/notes.txt"]),
                       ["\(dir)/a.PNG", "\(dir)/b.png", "\(dir)/c.jpg", "\(dir)/notes.txt"])
        XCTAssertEqual(assertThrows(InferenceError.self) { try ImageFiles.expand(["\(dir)/missing"]) }?.message,
                       "\(dir)/missing: no such file or folder")
    }

    func testAnUndecodableImageIsNamed() throws {
        let dir = try Fixtures.scratchDirectory("bad-image")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bad = "\(dir)/broken.png"
        try "not a png".write(toFile: bad, atomically: true, encoding: .utf8)
        let e = assertThrows(InferenceError.self) { try ImageFiles.read(bad) }
        XCTAssertEqual(e?.kind, .image)
        XCTAssertTrue(e?.message.hasPrefix("\(bad): not an image OpenCV can decode (") == true, e?.message ?? "")
        let good = "\(dir)/good.png"
        XCTAssertTrue(FileManager.default.createFile(atPath: good, contents: try ColumnCode.image([3]).encoded(as: .png)))
        XCTAssertEqual(try ImageFiles.read(good), try ColumnCode.image([3]))
    }
}

final class RecognizeFilesTests: XCTestCase {
    /// A file that does not decode is reported by name; the others are still read, in order.
    func testUndecodableFileDoesNotStopTheOthers() throws {
        let dir = try Fixtures.scratchDirectory("rec-files")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let paths = ["\(dir)/1.png", "\(dir)/2.png", "\(dir)/3.png"]
        XCTAssertTrue(FileManager.default.createFile(atPath: paths[0], contents: try ColumnCode.image([1, 2, 3]).encoded(as: .png)))
        try "not an image".write(toFile: paths[1], atomically: true, encoding: .utf8)
        XCTAssertTrue(FileManager.default.createFile(atPath: paths[2], contents: try ColumnCode.image([3, 3, 0, 3]).encoded(as: .png)))
        let results = try TextRecognizer(modelPath: Fixtures.path("rec_ocrkit.onnx")).recognize(files: paths)
        XCTAssertEqual(results.map(\.path), paths)
        XCTAssertEqual(try results[0].result.get().text, "abc")
        XCTAssertEqual(try results[2].result.get().text, "cc")
        guard case .failure(let e) = results[1].result else { return XCTFail("2.png should have failed") }
        XCTAssertEqual(e.kind, .image)
        XCTAssertTrue(e.message.hasPrefix(paths[1] + ": not an image"), e.message)
    }
}
