import XCTest
@testable import OCRCore

/// Config structs written the way STYLE.md asks: every field has a default.
struct LRConfig: Decodable, Equatable {
    var name = "Const"
    var learningRate = 0.001
    var warmupEpoch = 0

    enum CodingKeys: String, CodingKey { case name, learningRate = "learning_rate", warmupEpoch = "warmup_epoch" }
    init() {}
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = LRConfig()
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? d.name
        learningRate = try c.decodeIfPresent(Double.self, forKey: .learningRate) ?? d.learningRate
        warmupEpoch = try c.decodeIfPresent(Int.self, forKey: .warmupEpoch) ?? d.warmupEpoch
    }
}

struct OptimizerConfig: Decodable, Equatable {
    var name: String              // required
    var beta1 = 0.9
    var beta2 = 0.999
    var lr = LRConfig()
    var regularizer: ConfigValue? // free-form, not checked

    enum CodingKeys: String, CodingKey { case name, beta1, beta2, lr, regularizer }
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        beta1 = try c.decodeIfPresent(Double.self, forKey: .beta1) ?? beta1
        beta2 = try c.decodeIfPresent(Double.self, forKey: .beta2) ?? beta2
        lr = try c.decodeIfPresent(LRConfig.self, forKey: .lr) ?? lr
        regularizer = try c.decodeIfPresent(ConfigValue.self, forKey: .regularizer)
    }
}

/// Synthesised Decodable with optionals, lists of structs, a dictionary and small integers.
struct LoaderConfig: Decodable, Equatable {
    struct Item: Decodable, Equatable { var path: String; var ratio: Double? }
    var shuffle: Bool
    var batchSize: UInt16
    var items: [Item]
    var extra: [String: Int]?
    var imageShape: [Int]?
    enum CodingKeys: String, CodingKey { case shuffle, batchSize = "batch_size", items, extra, imageShape = "image_shape" }
}

final class ConfigDecodingTests: XCTestCase {
    func testDecodesSectionWithDefaultsAndFreeFormParts() throws {
        let c = try ConfigTree(yaml: sampleConfig, source: "rec.yml")
        let opt = try c.decode(OptimizerConfig.self, at: "Optimizer")
        XCTAssertEqual(opt.name, "Adam")
        XCTAssertEqual(opt.beta2, 0.999)
        XCTAssertEqual(opt.lr.learningRate, 0.001)
        XCTAssertEqual(opt.lr.warmupEpoch, 2)
        XCTAssertEqual(opt.regularizer?.mapValue?["factor"], .double(3e-5))
        // Defaults fill absent keys.
        let minimal = try ConfigTree(yaml: "Optimizer:\n  name: SGD\n").decode(OptimizerConfig.self, at: "Optimizer")
        XCTAssertEqual(minimal.beta1, 0.9)
        XCTAssertEqual(minimal.lr, LRConfig())
    }

    func testUnknownKeyIsRejectedWithSuggestion() throws {
        let c = try ConfigTree(yaml: "Optimizer:\n  name: Adam\n  lrr:\n    learning_rate: 0.1\n", source: "o.yml")
        let e = assertThrows(ConfigError.self) { try c.decode(OptimizerConfig.self, at: "Optimizer") }
        XCTAssertEqual(e?.kind, .unknownKey)
        XCTAssertEqual(e?.path, "Optimizer.lrr")
        XCTAssertEqual(e?.description, "o.yml:3: unknown key 'Optimizer.lrr' (did you mean 'lr'?); "
                       + "valid keys under 'Optimizer': beta1, beta2, lr, name, regularizer")
    }

    func testNestedUnknownKeysAreAllReported() throws {
        let c = try ConfigTree(yaml: "Optimizer:\n  name: Adam\n  beta_1: 0.5\n  lr:\n    learnin_rate: 0.1\n", source: "o.yml")
        let e = assertThrows(ConfigError.self) { try c.decode(OptimizerConfig.self, at: "Optimizer") }
        let lines = e?.description.split(separator: "\n").map(String.init) ?? []
        XCTAssertEqual(lines.count, 2, e?.description ?? "")
        XCTAssertTrue(lines[0].hasPrefix("o.yml:3: unknown key 'Optimizer.beta_1' (did you mean 'beta1'?)"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("o.yml:5: unknown key 'Optimizer.lr.learnin_rate' (did you mean 'learning_rate'?)"), lines[1])
    }

    func testTypoOfRequiredKeyReportsTheTypoNotJustTheMissingKey() throws {
        let c = try ConfigTree(yaml: "Optimizer:\n  nme: Adam\n")
        let e = assertThrows(ConfigError.self) { try c.decode(OptimizerConfig.self, at: "Optimizer") }
        XCTAssertEqual(e?.kind, .unknownKey)
        XCTAssertTrue(e?.description.contains("unknown key 'Optimizer.nme' (did you mean 'name'?)") ?? false, e?.description ?? "")
    }

    func testMissingRequiredKeyAndTypeMismatchNamePaths() throws {
        let missing = assertThrows(ConfigError.self) { try ConfigTree(yaml: "Optimizer:\n  beta1: 0.5\n", source: "o.yml").decode(OptimizerConfig.self, at: "Optimizer") }
        XCTAssertEqual(missing?.kind, .missingKey)
        XCTAssertEqual(missing?.path, "Optimizer.name")
        XCTAssertTrue(missing?.description.contains("missing key 'Optimizer.name'") ?? false, missing?.description ?? "")

        let c = try ConfigTree(yaml: "Optimizer:\n  name: Adam\n  beta1: fast\n", source: "o.yml")
        let e = assertThrows(ConfigError.self) { try c.decode(OptimizerConfig.self, at: "Optimizer") }
        XCTAssertEqual(e?.kind, .typeMismatch)
        XCTAssertEqual(e?.description, "o.yml:3: 'Optimizer.beta1': expected a number, got string 'fast'")

        let missingSection = assertThrows(ConfigError.self) { try c.decode(OptimizerConfig.self, at: "Optimzer") }
        XCTAssertTrue(missingSection?.description.contains("(did you mean 'Optimizer'?)") ?? false, missingSection?.description ?? "")
    }

    func testOverrideLocationIsReportedForBadOverrideValue() throws {
        var c = try ConfigTree(yaml: "Optimizer:\n  name: Adam\n  beta1: 0.9\n", source: "o.yml")
        try c.applyOverride("Optimizer.beta1=high")
        let e = assertThrows(ConfigError.self) { try c.decode(OptimizerConfig.self, at: "Optimizer") }
        XCTAssertEqual(e?.description, "override 'Optimizer.beta1=high': 'Optimizer.beta1': expected a number, got string 'high'")
    }

    func testListsOfStructsDictionariesAndIntegerRanges() throws {
        let yaml = """
        Train:
          loader:
            shuffle: false
            batch_size: 64
            items:
              - path: a.txt
                ratio: 0.5
              - path: b.txt
            extra: {anything: 1, goes: 2}
            image_shape: [3, 48, 320]
        """
        let c = try ConfigTree(yaml: yaml, source: "t.yml")
        let l = try c.decode(LoaderConfig.self, at: "Train.loader")
        XCTAssertEqual(l.items, [.init(path: "a.txt", ratio: 0.5), .init(path: "b.txt", ratio: nil)])
        XCTAssertEqual(l.extra, ["anything": 1, "goes": 2])
        XCTAssertEqual(l.imageShape, [3, 48, 320])
        XCTAssertEqual(l.batchSize, 64)

        var typo = c
        try typo.applyOverride("Train.loader.items.1={ratoi: 0.3}", allowNewKeys: true)
        let e = assertThrows(ConfigError.self) { try typo.decode(LoaderConfig.self, at: "Train.loader") }
        XCTAssertTrue(e?.description.contains("unknown key 'Train.loader.items.1.ratoi' (did you mean 'ratio'?)") ?? false, e?.description ?? "")

        var big = c
        try big.applyOverride("Train.loader.batch_size=70000")
        let range = assertThrows(ConfigError.self) { try big.decode(LoaderConfig.self, at: "Train.loader") }
        XCTAssertTrue(range?.description.contains("expected an integer in 0...65535") ?? false, range?.description ?? "")

        var frac = c
        try frac.applyOverride("Train.loader.batch_size=6.5")
        XCTAssertEqual(assertThrows(ConfigError.self) { try frac.decode(LoaderConfig.self, at: "Train.loader") }?.kind, .typeMismatch)
    }

    func testDecodeWholeTree() throws {
        struct Root: Decodable { var Optimizer: OptimizerConfig }
        let c = try ConfigTree(yaml: "Optimizer:\n  name: Adam\nGlobal:\n  x: 1\n")
        let e = assertThrows(ConfigError.self) { try c.decode(Root.self, at: "") }
        XCTAssertEqual(e?.path, "Global")
        XCTAssertEqual(try ConfigTree(yaml: "Optimizer:\n  name: Adam\n").decode(Root.self, at: "").Optimizer.name, "Adam")
    }
}
