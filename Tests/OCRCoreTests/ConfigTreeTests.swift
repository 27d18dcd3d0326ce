import XCTest
@testable import OCRCore

/// A PaddleOCR-style recognition config (line numbers matter for the location tests).
let sampleConfig = """
Global:
  use_gpu: True
  epoch_num: 10
  save_model_dir: ./output/rec
  pretrained_model:
  character_dict_path: ppocr/utils/en_dict.txt
  max_text_length: 25
  use_space_char: true
  version: '123'
Architecture:
  model_type: rec
  algorithm: CRNN
Loss:
  name: CTCLoss
Optimizer:
  name: Adam
  beta1: 0.9
  beta2: 0.999
  lr:
    name: Cosine
    learning_rate: 1e-3
    warmup_epoch: 2
  regularizer:
    name: L2
    factor: 3.0e-05
PostProcess:
  name: CTCLabelDecode
Metric:
  name: RecMetric
  main_indicator: acc
Train:
  dataset:
    name: SimpleDataSet
    data_dir: ./train_data/
    label_file_list: [./train_data/train_list.txt]
    transforms:
      - DecodeImage:
          img_mode: BGR
      - RecResizeImg:
          image_shape: [3, 48, 320]
  loader:
    shuffle: true
    batch_size_per_card: 256
Eval:
  dataset:
    name: SimpleDataSet
"""

final class ConfigTreeTests: XCTestCase {
    func load() throws -> ConfigTree { try ConfigTree(yaml: sampleConfig, source: "rec.yml") }

    func testTypedAccessorsAndPaths() throws {
        let c = try load()
        XCTAssertEqual(try c.bool("Global.use_gpu"), true)             // YAML 1.1 "True"
        XCTAssertEqual(try c.int("Global.epoch_num"), 10)
        XCTAssertEqual(try c.string("Global.save_model_dir"), "./output/rec")
        XCTAssertNil(try c.string("Global.pretrained_model"))           // empty value = null
        XCTAssertTrue(c.contains("Global.pretrained_model"))
        XCTAssertEqual(c["Global.pretrained_model"], .null)
        XCTAssertEqual(try c.string("Global.version"), "123")           // quoted stays a string
        XCTAssertEqual(try c.double("Optimizer.lr.learning_rate"), 0.001)   // 1e-3 without a dot is a number here
        XCTAssertEqual(try c.double("Optimizer.regularizer.factor"), 3.0e-05)
        XCTAssertEqual(try c.double("Optimizer.lr.warmup_epoch"), 2)   // integers are numbers
        XCTAssertEqual(try c.strings("Train.dataset.label_file_list"), ["./train_data/train_list.txt"])
        XCTAssertEqual(try c.doubles("Train.dataset.transforms.1.RecResizeImg.image_shape"), [3, 48, 320])
        XCTAssertEqual(c["Train.dataset.transforms.0.DecodeImage.img_mode"], "BGR")
        XCTAssertNil(c["Train.dataset.transforms.5"])
        XCTAssertNil(try c.int("Global.nope"))
        XCTAssertEqual(c.root.keys, ConfigTree.paddleOCRSections)      // file order kept
        try c.checkSections(required: ["Global", "Train"])
    }

    func testTypeMismatchNamesPathAndLine() throws {
        let c = try load()
        let e = assertThrows(ConfigError.self) { try c.int("Global.save_model_dir") }
        XCTAssertEqual(e?.kind, .typeMismatch)
        XCTAssertEqual(e?.description, "rec.yml:4: Global.save_model_dir: expected an integer, got string './output/rec'")
    }

    func testRequireListsValidKeysAndSuggestion() throws {
        let e = assertThrows(ConfigError.self) { try load().require("Optimizer.lr.learning_rat") }
        XCTAssertEqual(e?.kind, .missingKey)
        let m = e?.description ?? ""
        XCTAssertTrue(m.contains("missing key 'Optimizer.lr.learning_rat' (did you mean 'learning_rate'?)"), m)
        XCTAssertTrue(m.contains("valid keys under 'Optimizer.lr': name, learning_rate, warmup_epoch"), m)
        XCTAssertTrue(m.hasPrefix("rec.yml:19: "), m)                  // where Optimizer.lr is
    }

    func testLoadErrorsNameFileAndLine() throws {
        let dir = try TemporaryDirectory()
        let missing = dir.url.appendingPathComponent("none.yml").path
        let notFound = assertThrows(ConfigError.self) { try ConfigTree(contentsOf: missing) }
        XCTAssertEqual(notFound?.kind, .fileNotFound)
        XCTAssertTrue(notFound?.description.contains(missing) ?? false)

        let bad = try dir.write("bad.yml", "Global:\n  a: 1\n  b: [1, 2\nTrain:\n  x: 1\n")
        let syntax = assertThrows(ConfigError.self) { try ConfigTree(contentsOf: bad) }
        XCTAssertEqual(syntax?.kind, .syntax)
        XCTAssertTrue(syntax?.location?.hasPrefix(bad + ":") ?? false, syntax?.description ?? "")
        print("syntax error message: \(syntax?.description ?? "")")

        let dup = assertThrows(ConfigError.self) { try ConfigTree(yaml: "Global:\n  lr: 1\n  epoch: 2\n  lr: 3\n", source: "d.yml") }
        XCTAssertEqual(dup?.kind, .duplicateKey)
        XCTAssertEqual(dup?.description, "d.yml:4: duplicate key 'Global.lr' (first at line 2)")

        XCTAssertEqual(assertThrows(ConfigError.self) { try ConfigTree(yaml: "- a\n- b\n") }?.kind, .notAMap)
        XCTAssertEqual(try ConfigTree(yaml: "").root, ConfigMap())
    }

    func testLoadFromFileRecordsLines() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("rec.yml", sampleConfig)
        let c = try ConfigTree(contentsOf: path)
        XCTAssertEqual(c.location(of: "Optimizer.beta2"), "\(path):18")
        XCTAssertEqual(c.location(of: "Train.dataset.transforms.1.RecResizeImg.image_shape"), "\(path):40")
    }

    func testMergeKeys() throws {
        let c = try ConfigTree(yaml: "base: &b\n  x: 1\n  y: 2\nGlobal:\n  <<: *b\n  y: 3\n")
        XCTAssertEqual(c["Global"], ["x": 1, "y": 3])
    }

    // MARK: - Overrides

    func testOverridesParseValuesAsYAML() throws {
        var c = try load()
        try c.applyOverrides([
            "Global.epoch_num=20",
            "Optimizer.lr.learning_rate=1e-4",
            "Global.use_gpu=False",
            "Global.pretrained_model=./models/best_accuracy",
            "Train.dataset.label_file_list=[a.txt, b.txt]",
            "Train.dataset.transforms.1.RecResizeImg.image_shape=[3, 32, 100]",
            "Global.save_model_dir=",
            "Optimizer={beta1: 0.8}",
        ])
        XCTAssertEqual(c["Global.epoch_num"], .int(20))
        XCTAssertEqual(c["Optimizer.lr.learning_rate"], .double(1e-4))
        XCTAssertEqual(c["Global.use_gpu"], .bool(false))
        XCTAssertEqual(c["Global.pretrained_model"], "./models/best_accuracy")
        XCTAssertEqual(try c.strings("Train.dataset.label_file_list"), ["a.txt", "b.txt"])
        XCTAssertEqual(c["Train.dataset.transforms.1.RecResizeImg.image_shape"], [3, 32, 100])
        XCTAssertEqual(c["Global.save_model_dir"], .null)               // empty value = null, as PaddleOCR
        XCTAssertEqual(c["Optimizer.beta1"], .double(0.8))              // merged, siblings kept
        XCTAssertEqual(c["Optimizer.name"], "Adam")
        XCTAssertEqual(c.location(of: "Optimizer.lr.learning_rate"), "override 'Optimizer.lr.learning_rate=1e-4'")
    }

    func testUnknownOverrideKeyListsValidKeysAndClosestMatch() throws {
        var c = try load()
        let e = assertThrows(ConfigError.self) { try c.applyOverride("Optimizer.lrr=0.1") }
        XCTAssertEqual(e?.kind, .unknownKey)
        XCTAssertEqual(e?.path, "Optimizer.lrr")
        XCTAssertEqual(e?.description, "override 'Optimizer.lrr=0.1': unknown key 'Optimizer.lrr' (did you mean 'lr'?); "
                       + "valid keys under 'Optimizer': name, beta1, beta2, lr, regularizer")
        let top = assertThrows(ConfigError.self) { try c.applyOverride("Globl.epoch_num=3") }
        XCTAssertTrue(top?.description.contains("(did you mean 'Global'?)") ?? false, top?.description ?? "")
        XCTAssertTrue(top?.description.contains("valid keys at the top level: Global, Architecture") ?? false)
        // Far from every key: no suggestion, still the list.
        let far = assertThrows(ConfigError.self) { try c.applyOverride("Optimizer.momentum_schedule=1") }
        XCTAssertFalse(far?.description.contains("did you mean") ?? true)
        // Nothing changed by the failed overrides.
        XCTAssertEqual(c, try load())
    }

    func testAllowNewKeysCreatesThem() throws {
        var c = try load()
        try c.applyOverride("Global.seed=42", allowNewKeys: true)
        try c.applyOverride("Global.distributed.backend=gloo", allowNewKeys: true)
        XCTAssertEqual(c["Global.seed"], 42)
        XCTAssertEqual(c["Global.distributed.backend"], "gloo")
        XCTAssertEqual(c.root["Global"]?.mapValue?.keys.suffix(2), ["seed", "distributed"])
    }

    func testOverrideMistakesAreRejected() throws {
        var c = try load()
        XCTAssertEqual(assertThrows(ConfigError.self) { try c.applyOverride("Global.epoch_num") }?.kind, .invalidOverride)
        XCTAssertEqual(assertThrows(ConfigError.self) { try c.applyOverride("Global..x=1") }?.kind, .invalidOverride)
        let section = assertThrows(ConfigError.self) { try c.applyOverride("Optimizer=Adam") }
        XCTAssertEqual(section?.kind, .invalidOverride)
        XCTAssertTrue(section?.description.contains("'Optimizer' is a section") ?? false, section?.description ?? "")
        let index = assertThrows(ConfigError.self) { try c.applyOverride("Train.dataset.transforms.7.X.y=1") }
        XCTAssertEqual(index?.kind, .indexOutOfRange)
        let scalar = assertThrows(ConfigError.self) { try c.applyOverride("Global.epoch_num.x=1") }
        XCTAssertEqual(scalar?.kind, .invalidOverride)
        let yaml = assertThrows(ConfigError.self) { try c.applyOverride("Global.epoch_num=[1, 2") }
        XCTAssertEqual(yaml?.kind, .invalidOverride)
        XCTAssertTrue(yaml?.description.contains("not valid YAML") ?? false, yaml?.description ?? "")
    }

    // MARK: - Emit and fingerprint

    func testYAMLRoundTripKeepsTypesAndOrder() throws {
        var c = try load()
        try c.applyOverride("Global.tricky=[True, '1.0', null, '', 'null', 1.0e-05, -3, 'a: b', 你好]", allowNewKeys: true)
        let text = try c.yaml()
        let back = try ConfigTree(yaml: text)
        XCTAssertEqual(back, c)
        XCTAssertEqual(back["Global.tricky"], [.bool(true), "1.0", .null, "", "null", .double(1e-5), -3, "a: b", "你好"])
        XCTAssertTrue(text.contains("image_shape: [3, 48, 320]"), text)
        XCTAssertTrue(text.contains("learning_rate: 0.001"), text)
        XCTAssertTrue(text.contains("1.0e-05"), text)                  // PyYAML reads "1e-05" as a string
        XCTAssertTrue(text.contains("你好"), text)
        // Sections in file order.
        let positions = ConfigTree.paddleOCRSections.map { text.range(of: "\n\($0):")?.lowerBound ?? text.startIndex }
        XCTAssertEqual(positions, positions.sorted())
    }

    func testFingerprintIgnoresKeyOrderButNotValues() throws {
        let a = try ConfigTree(yaml: "A:\n  x: 1\n  y: [true, null, 's']\nB:\n  z: 0.5\n")
        let b = try ConfigTree(yaml: "B:\n  z: 0.5\nA:\n  y: [true, null, s]\n  x: 1\n")
        XCTAssertEqual(a.canonicalString, #"{"A":{"x":1,"y":[true,null,"s"]},"B":{"z":0.5}}"#)
        XCTAssertEqual(a.fingerprint, b.fingerprint)
        XCTAssertNotEqual(a.fingerprint, try ConfigTree(yaml: "A:\n  x: 1.0\n  y: [true, null, 's']\nB:\n  z: 0.5\n").fingerprint)
        XCTAssertNotEqual(a.fingerprint, try ConfigTree(yaml: "A:\n  x: '1'\n  y: [true, null, 's']\nB:\n  z: 0.5\n").fingerprint)
        XCTAssertEqual(a.fingerprint.hex, SHA256Digest(of: #"{"A":{"x":1,"y":[true,null,"s"]},"B":{"z":0.5}}"#).hex)
    }

    func testCheckSectionsSuggestsClosest() throws {
        let c = try ConfigTree(yaml: "Gloabl:\n  x: 1\n", source: "c.yml")
        let e = assertThrows(ConfigError.self) { try c.checkSections() }
        XCTAssertEqual(e?.kind, .unknownKey)
        XCTAssertTrue(e?.description.hasPrefix("c.yml:1: unknown section 'Gloabl' (did you mean 'Global'?)") ?? false, e?.description ?? "")
        XCTAssertEqual(assertThrows(ConfigError.self) { try ConfigTree(yaml: "Global: {}\n").checkSections(required: ["Train"]) }?.kind, .missingKey)
    }
}
