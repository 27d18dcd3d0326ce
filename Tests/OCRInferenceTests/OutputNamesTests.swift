import XCTest
@testable import OCRInference

/// `ocr predict --draw`'s file names: one per input, never two inputs on one file.
final class OutputNamesTests: XCTestCase {
    func testUniqueBaseNamesAreKept() {
        XCTAssertEqual(ImageFiles.outputNames(for: ["scans/a.jpg", "b.png", "/tmp/c.tiff"], extension: "png"), ["a.png", "b.png", "c.png"])
    }

    func testSharedBaseNamesGetNumbersInInputOrder() {
        let names = ImageFiles.outputNames(for: ["jan/page.jpg", "feb/page.jpg", "feb/page.png", "page-2.jpg", "jan/page.jpg"],
                                           extension: "png")
        // page-2.png belongs to the input named page-2, so the second "page" skips it; the same
        // path given twice is drawn twice.
        XCTAssertEqual(names, ["page.png", "page-3.png", "page-4.png", "page-2.png", "page-5.png"])
        XCTAssertEqual(Set(names).count, names.count)
    }
}
