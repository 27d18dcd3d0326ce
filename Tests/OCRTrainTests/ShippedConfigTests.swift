import Foundation
import OCRTrain
import XCTest

/// Every config shipped under configs/ decodes strictly and builds its model: a renamed key or a
/// wrong architecture setting fails here, not in a user's first run.
final class ShippedConfigTests: XCTestCase {
    static let configsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("configs").path

    func testEveryShippedRecognitionConfigDecodesAndBuildsItsModel() throws {
        let files = (FileManager.default.enumerator(atPath: Self.configsDirectory)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".yml") }.sorted()
            // Angle-classifier configs are no recognition runs: ClassifierExportTests and
            // ClsLabelFileTests decode configs/cls/ strictly until the training engine loads them.
            .filter { !$0.hasPrefix("cls/") }
        XCTAssertGreaterThanOrEqual(files.count, 5, "configs under \(Self.configsDirectory): \(files)")
        for file in files {
            let path = Self.configsDirectory + "/" + file
            do {
                let config = try RecognitionRunConfig(path: path)
                let model = try config.makeModel(charset: try config.charset())
                XCTAssertGreaterThan(model.parameterCount, 10_000, file)
                XCTAssertGreaterThan(model.outputLength(forWidth: config.inputShape[2]), 0, file)
            } catch {
                XCTFail("\(file): \(error)")
            }
        }
    }
}
