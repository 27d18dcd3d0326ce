import Foundation
import OCRCore
import OCRTrain
import XCTest

/// Every config shipped under configs/ decodes strictly through the task `Architecture.model_type`
/// chooses and builds its model: a renamed key or a wrong architecture setting fails here, not in
/// a user's first run. And a key no code reads is an error naming it, in every section.
final class ShippedConfigTests: XCTestCase {
    static let configsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("configs").path

    static var files: [String] {
        (FileManager.default.enumerator(atPath: configsDirectory)?.allObjects as? [String] ?? [])
            // serve.yml is `ocr serve`'s config, not a training one (OCRServeTests decode it).
            .filter { $0.hasSuffix(".yml") && !$0.hasPrefix("serve") }.sorted()
    }

    func testEveryShippedConfigDecodesAndBuildsItsModel() throws {
        let files = Self.files
        XCTAssertGreaterThanOrEqual(files.count, 6, "configs under \(Self.configsDirectory): \(files)")
        var tasks: Set<TaskKind> = []
        for file in files {
            let path = Self.configsDirectory + "/" + file
            do {
                let base = try RunConfig(path: path)
                tasks.insert(base.task)
                switch base.task {
                case .rec:
                    let config = try RecognitionRunConfig(base)
                    let model = try config.makeModel(charset: try config.charset())
                    XCTAssertGreaterThan(model.parameterCount, 10_000, file)
                    XCTAssertGreaterThan(model.outputLength(forWidth: config.inputShape[2]), 0, file)
                case .cls:
                    let config = try ClassificationRunConfig(base)
                    let model = try config.makeModel()
                    XCTAssertEqual(model.classes, config.labels.count, file)
                case .det:
                    let config = try DetectionRunConfig(base)
                    XCTAssertGreaterThan(try config.makeModel().parameterCount, 100_000, file)
                }
            } catch {
                XCTFail("\(file): \(error)")
            }
        }
        XCTAssertEqual(tasks, [.rec, .cls, .det], "shipped configs cover recognition, classification and detection")
    }

    /// A key no code reads, added anywhere a config has settings, fails with the key's name.
    func testAnUnreadKeyInAnySectionIsAnErrorNamingIt() throws {
        for file in Self.files {
            let path = Self.configsDirectory + "/" + file
            let tree = try ConfigTree(contentsOf: path)
            var probes = ["Global.no_such_key", "Optimizer.no_such_key", "Optimizer.lr.no_such_key", "Architecture.no_such_key",
                          "Architecture.Backbone.no_such_key", "Architecture.Head.no_such_key", "Train.no_such_key",
                          "Train.dataset.no_such_key", "Train.loader.no_such_key"]
            // (an absent Loss/Metric/PostProcess section takes the task's defaults: probe those the file has)
            probes += ["Loss", "Metric", "PostProcess"].filter(tree.contains).map { $0 + ".no_such_key" }
            if tree.contains("Eval") { probes += ["Eval.dataset.no_such_key", "Eval.loader.no_such_key"] }
            for key in probes {
                var t = tree
                try t.applyOverrides(["\(key)=1"], allowNewKeys: true)
                do {
                    let base = try RunConfig(tree: t, directory: Self.configsDirectory + "/" + (file as NSString).deletingLastPathComponent)
                    switch base.task {
                    case .rec: _ = try RecognitionRunConfig(base)
                    case .cls: _ = try ClassificationRunConfig(base)
                    case .det: _ = try DetectionRunConfig(base)
                    }
                    XCTFail("\(file): \(key) was accepted")
                } catch {
                    XCTAssertTrue("\(error)".contains(key), "\(file): the error for \(key) does not name it: \(error)")
                }
            }
        }
    }

    func testModelTypeChoosesTheTaskAndAWrongOneIsNamed() throws {
        var tree = try ConfigTree(contentsOf: Self.configsDirectory + "/rec/crnn_mv3.yml")
        try tree.applyOverrides(["Architecture.model_type=table"], allowNewKeys: false)
        XCTAssertThrowsError(try RunConfig(tree: tree)) { XCTAssertTrue("\($0)".contains("model_type 'table'"), "\($0)") }
        var cls = try ConfigTree(contentsOf: Self.configsDirectory + "/rec/crnn_mv3.yml")
        try cls.applyOverrides(["Loss.name=ClsLoss"], allowNewKeys: true)
        XCTAssertThrowsError(try RecognitionRunConfig(tree: cls)) { XCTAssertTrue("\($0)".contains("Loss.name"), "\($0)") }
    }
}
