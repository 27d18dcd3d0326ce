import XCTest
@testable import OCRData

/// A rendered page's sample carries its layout as the group page evaluation breaks figures down by.
final class SyntheticPagesGroupTests: XCTestCase {
    func testSampleGroupIsTheLayout() throws {
        for (name, layout) in [("receipt", \SyntheticPagesConfig.LayoutWeights.receipt), ("id_card", \.idCard)] {
            let pages = try SyntheticPagesTests.pages(layout)
            let sample = try XCTUnwrap(pages.sample(at: 0, datasetSeed: 3))
            XCTAssertEqual(sample.group, name)
        }
    }
}
