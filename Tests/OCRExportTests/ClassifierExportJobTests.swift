import Foundation
import Imaging
import NN
import OCRCore
import OCRData
import OCRExport
import OCRInference
import OCRModels
import OCRRun
import Torch
import XCTest

/// `ocr-export` on an angle-classifier checkpoint: the shared pipeline with the classifier's part
/// (`ClassificationExport`). The model is configs/cls/cls_mv3.yml's AngleClassifier, random-init
/// with BatchNorm statistics of image-like input and a widened head (so its probabilities depend
/// on the input), written as a cls checkpoint; the data are the config's synthetic lines from the
/// fonts scripts/setup.sh installs, over a small corpus written here, with tiny counts.
final class ClassifierExportJobTests: XCTestCase {
    var dir: URL!
    var config: ClassificationRunConfig!
    var classifier: AngleClassifier!
    var checkpointPath: String!

    static let words = ["apple", "Bridge", "candle 42", "delta-7", "$19.99", "Echo", "forest", "granite", "(311)", "harbor",
                        "ivory", "JUNCTION", "kettle", "lantern", "2024-05-17", "meadow", "nickel", "orbit", "pepper", "quartz"]

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("cls-export-job-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let corpus = dir.appendingPathComponent("corpus.txt").path
        try (Self.words.joined(separator: "\n") + "\n").write(toFile: corpus, atomically: true, encoding: .utf8)
        config = try ClassificationRunConfig(path: ClassifierExportTests.configPath, overrides: [
            "Train.dataset.corpus=\(corpus)", "Eval.dataset.corpus=\(corpus)", "Train.dataset.count=32", "Eval.dataset.count=48",
            "Train.loader.batch_size_per_card=16", "Eval.loader.batch_size_per_card=16", "Global.threads=2",
        ])
        Torch.seed(5)
        classifier = try config.makeModel()
        try calibrateBatchNorms(in: classifier, on: lines([8, 3, 48, 192])) { try self.classifier($0) }
        try noGrad {
            try classifier.head.fc.weight.normal(mean: 0, std: 0.3)
            try classifier.head.fc.bias!.normal(mean: 0, std: 0.1)
        }
        checkpointPath = try writeCheckpoint(kind: .cls, name: "best.h5")
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// The classifier as the trainer writes it: weights under their module paths, the resolved
    /// config, the task group (kind cls, labels).
    func writeCheckpoint(kind: TaskKind, name: String) throws -> String {
        var c = Checkpoint()
        c.model = Dictionary(uniqueKeysWithValues: classifier.stateDict().map { ($0.path, $0.tensor) })
        c.config = try config.base.tree.yaml()
        c.preprocess = config.preprocess
        c.task = kind == .cls ? TaskEntries(kind: .cls, strings: ["labels": "0\n180"]) : TaskEntries(kind: .rec, strings: ["charset": "a\nb\n"])
        let path = dir.appendingPathComponent("run/\(name)").path
        try c.write(to: path)
        return path
    }

    func options(_ out: String) -> ExportJob.Options {
        var o = ExportJob.Options(out: out)
        o.int8 = true
        o.calibrationImages = 32
        o.threads = 2
        return o
    }

    func files(in out: String) throws -> Set<String> { Set(try FileManager.default.contentsOfDirectory(atPath: out)) }

    /// FP32 + INT8 through `ExportJob(config: RunConfig)` (what `ocr-export` runs): parity of
    /// `probs` on random and real prepared lines, the cls metadata, accuracy on the Eval lines
    /// equal to LibTorch's on the same lines, INT8 written or rejected as the gate decides,
    /// sensitivity on `probs`, nothing staged left behind.
    func testExportWithINT8() throws {
        let out = dir.appendingPathComponent("export").path
        var log: [String] = []
        let report = try ExportJob(config: config.base, checkpoint: checkpointPath, options: options(out)).run { print($0); log.append($0) }
        print(report.markdown())

        print("cls export parity: max |diff| = \(String(format: "%.2e", report.parityMaxAbsDiff)) (limit 1e-4)")
        XCTAssertTrue(report.parityPassed)
        XCTAssertLessThanOrEqual(report.parityMaxAbsDiff, 1e-4)
        XCTAssertTrue(report.parity[0].contains("LibTorch probs"), "\(report.parity)")
        XCTAssertTrue(report.parity.contains { $0.contains("real lines, batch 16, width 192") }, "parity on real Eval lines: \(report.parity)")
        XCTAssertEqual(report.kind, "cls")
        XCTAssertEqual(report.metric, "accuracy")

        // The metadata the inference side reads.
        let fp32 = out + "/model.onnx"
        let meta = try InferenceSession(path: fp32).metadata.custom
        XCTAssertEqual(meta["ocrkit.kind"], "cls")
        XCTAssertEqual(meta["ocrkit.labels"], "0,180")
        XCTAssertEqual(meta["ocrkit.threshold"], "0.9")
        XCTAssertEqual(meta["ocrkit.output"], "probs")
        XCTAssertEqual(meta["ocrkit.precision"], "fp32")
        XCTAssertEqual(meta["ocrkit.source_checkpoint"], checkpointPath)
        XCTAssertEqual(meta["ocrkit.config_sha256"], SHA256Digest(of: try Checkpoint.read(from: checkpointPath).config).hex)
        let info = try TextClassifier(modelPath: fp32).info
        XCTAssertEqual(info.labels, ["0", "180"])
        XCTAssertEqual(info.threshold, 0.9)
        XCTAssertEqual(info.resize.imageShape, [3, 48, 192])

        // Accuracy of the ONNX file on the Eval lines = LibTorch's on the same lines (the loader's batches).
        let fp32Accuracy = try XCTUnwrap(report.fp32.accuracy)
        XCTAssertEqual(report.fp32.samples, 48)
        let torch = try libTorchAccuracy()
        print("FP32 accuracy: ONNX \(fp32Accuracy), LibTorch \(torch)")
        XCTAssertEqual(fp32Accuracy, torch, accuracy: 1.5 / 48, "at most one near-tie may flip")
        XCTAssertTrue(log.contains { $0.hasPrefix("accuracy of the FP32 model: ") && $0.contains("(48 samples)") }, "\(log)")

        // INT8: accepted or rejected as the gate says, under the matching name only.
        let int8 = try XCTUnwrap(report.int8)
        let drop = try XCTUnwrap(report.accuracyDropPoints), accepted = try XCTUnwrap(report.int8Accepted)
        XCTAssertEqual(drop, (fp32Accuracy - (int8.accuracy ?? -1)) * 100, accuracy: 1e-9)
        XCTAssertEqual(accepted, drop <= 0.5)
        let int8Name = accepted ? "model.int8.onnx" : "model.int8.rejected.onnx"
        XCTAssertEqual(int8.file, out + "/" + int8Name)
        XCTAssertEqual(try files(in: out), ["model.onnx", int8Name, "export-report.json", "export-report.md"], "nothing staged is left")
        let int8Meta = try InferenceSession(path: int8.file).metadata.custom
        XCTAssertEqual(int8Meta["ocrkit.precision"], "int8")
        XCTAssertEqual(int8Meta["ocrkit.kind"], "cls")
        XCTAssertEqual(try TextClassifier(modelPath: int8.file).info.labels, ["0", "180"])
        // int8 weights; per-channel scales and int32 biases weigh more in a model this narrow (0.35x), so not 1/4
        XCTAssertLessThan(Double(int8.bytes), Double(report.fp32.bytes) * 0.75, "int8 weights")
        XCTAssertFalse(report.sensitivity.isEmpty, "sensitivity measured on probs")
        XCTAssertEqual(Set(report.fp32.latency.map(\.batch)), [1, 8])

        let json = try JSONDecoder().decode(ExportJob.Report.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/export-report.json")))
        XCTAssertEqual(json.int8Accepted, accepted)
        XCTAssertEqual(json.fp32.accuracy, fp32Accuracy)
    }

    /// The classifier's accuracy in LibTorch on the Eval section, as training evaluates it.
    func libTorchAccuracy() throws -> Double {
        let loader = try config.makeLoader(config.eval!.evaluating, seed: config.global.evalSeed)
        let stream = LineBatchStream(loader)
        try stream.start(epoch: 0, skipping: 0)
        defer { stream.close() }
        var result = ClassificationEvaluation(labels: config.labels.labels)
        classifier.eval()
        while let b = try stream.next() {
            let probs = try noGrad { try classifier.probabilities(Tensor(b.pixels, shape: b.shape)) }
            try result.add(scores: probs.toArray(Float.self), truths: b.texts.map { config.labels.index(of: $0)! }, sources: b.sources)
        }
        return result.accuracy
    }

    /// Eval label files whose labels are the float model's own predictions: FP32 scores 100%, so
    /// an INT8 model can lose but never gain - with `maxAccuracyDrop = -1` the gate must reject
    /// it. The rejected file keeps its rejected name, an older model.int8.onnx is removed, a
    /// stale `.partial` from a killed run is cleared.
    func testGateRejectsINT8() throws {
        let data = dir.appendingPathComponent("eval-data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let loader = try config.makeLoader(config.eval!.evaluating, seed: 7)
        let resize = config.train.dataset.transforms.resize
        classifier.eval()
        var labels: [String] = []
        for b in 0..<2 {
            for (i, sample) in try loader.samples(epoch: 0, index: b).enumerated() {
                let name = "line\(b)_\(i).png"
                try sample.image.encoded(as: .png).write(to: data.appendingPathComponent(name))
                var pixels = [Float](repeating: 0, count: resize.channels * resize.height * resize.maxWidth)
                resize.place(try resize(Image(contentsOf: data.appendingPathComponent(name).path)), into: &pixels, at: 0,
                             batchWidth: resize.maxWidth)
                let p = try noGrad { try classifier.probabilities(Tensor(pixels, shape: [1] + resize.imageShape)) }.toArray(Float.self)
                labels.append("\(name)\t\(p[1] > p[0] ? "180" : "0")")
            }
        }
        let labelFile = data.appendingPathComponent("labels.txt").path
        try (labels.joined(separator: "\n") + "\n").write(toFile: labelFile, atomically: true, encoding: .utf8)
        print("model-labelled eval lines: \(labels.count), \(labels.filter { $0.hasSuffix("180") }.count) of them '180'")

        let out = dir.appendingPathComponent("gate").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for stale in ["model.int8.onnx", "model.onnx.partial"] { try Data("older".utf8).write(to: URL(fileURLWithPath: out + "/" + stale)) }
        var o = options(out)
        o.evalData = [labelFile]
        o.maxAccuracyDrop = -1
        o.sensitivity = false
        let report = try ExportJob(config: config.base, checkpoint: checkpointPath, options: o).run { print($0) }
        let md = report.markdown()
        print(md)

        XCTAssertEqual(report.fp32.accuracy, 1, "the ONNX float model reads the label files as LibTorch labelled them")
        XCTAssertEqual(report.fp32.samples, labels.count)
        XCTAssertEqual(report.int8Accepted, false)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(report.accuracyDropPoints), 0)
        XCTAssertEqual(report.int8?.file, out + "/model.int8.rejected.onnx")
        XCTAssertTrue(md.contains("REJECTED"), md)
        XCTAssertEqual(try files(in: out), ["model.onnx", "model.int8.rejected.onnx", "export-report.json", "export-report.md"],
                       "the older model.int8.onnx and the stale .partial are gone")
    }

    /// A parity failure (limit -1: no export can meet it) keeps the float model as
    /// model.rejected.onnx, writes the report, removes an older model.onnx and model.int8.onnx (not
    /// this checkpoint's) and throws.
    func testParityFailureKeepsOnlyTheRejectedModel() throws {
        let out = dir.appendingPathComponent("parity").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for older in ["model.onnx", "model.int8.onnx"] { try Data("older".utf8).write(to: URL(fileURLWithPath: out + "/" + older)) }
        var o = options(out)
        o.parityTolerance = ParityTolerance(absolute: -1)
        XCTAssertThrowsError(try ExportJob(config: config.base, checkpoint: checkpointPath, options: o).run { print($0) }) { error in
            XCTAssertTrue("\(error)".contains("parity") && "\(error)".contains("FAILED"), "\(error)")
        }
        XCTAssertEqual(try files(in: out), ["model.rejected.onnx", "export-report.json", "export-report.md"])
        let report = try JSONDecoder().decode(ExportJob.Report.self, from: Data(contentsOf: URL(fileURLWithPath: out + "/export-report.json")))
        XCTAssertFalse(report.parityPassed)
        XCTAssertNil(report.int8)
        XCTAssertEqual(report.fp32.file, out + "/model.rejected.onnx")
        XCTAssertEqual(try InferenceSession(path: out + "/model.rejected.onnx").metadata.custom["ocrkit.kind"], "cls")
    }

    /// A run that throws before its checks finish (calibration data that does not exist) leaves
    /// the folder as it was: the older export, untouched, and nothing staged.
    func testFailedRunLeavesTheFolderAsItWas() throws {
        let out = dir.appendingPathComponent("failed").path
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let older = ["model.onnx", "model.int8.onnx", "export-report.json", "export-report.md"]
        for f in older { try Data("older \(f)".utf8).write(to: URL(fileURLWithPath: out + "/" + f)) }
        var o = options(out)
        o.calibrationData = [dir.appendingPathComponent("missing/labels.txt").path]
        XCTAssertThrowsError(try ExportJob(config: config.base, checkpoint: checkpointPath, options: o).run { print($0) }) { print("\($0)") }
        XCTAssertEqual(try files(in: out), Set(older))
        for f in older { XCTAssertEqual(try String(contentsOfFile: out + "/" + f, encoding: .utf8), "older \(f)") }
    }

    /// The checkpoint's task must be the config's (Architecture.model_type): both named.
    func testTaskMismatchIsRefused() throws {
        let rec = try writeCheckpoint(kind: .rec, name: "rec.h5")
        XCTAssertThrowsError(try ExportJob(config: config.base, checkpoint: rec, options: options(dir.appendingPathComponent("a").path)).run { _ in }) {
            XCTAssertTrue("\($0)".contains("it is a rec checkpoint") && "\($0)".contains("model_type is cls"), "\($0)")
        }
        let recConfig = try RunConfig(path: PythonONNXCheck.packageRoot + "/configs/ci/tiny_rec.yml")
        XCTAssertThrowsError(try ExportJob(config: recConfig, checkpoint: checkpointPath, options: options(dir.appendingPathComponent("b").path)).run { _ in }) {
            XCTAssertTrue("\($0)".contains("it is a cls checkpoint") && "\($0)".contains("model_type is rec"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("a").path), "refused before anything is written")
    }

    /// What the classifier's reader refuses: another kind, labels that do not fit the output, a
    /// missing key - each naming the file and the key.
    func testClassificationModelInfoChecksTheContract() throws {
        let fresh = try ClassifierExporter.export(model: classifier, metadata: ClassifierMetadata())
        func file(_ change: (inout [(key: String, value: String)]) -> Void) throws -> String {
            var m = fresh
            change(&m.metadataProps)
            let path = dir.appendingPathComponent("m-\(UUID().uuidString).onnx").path
            try m.write(to: path)
            return path
        }
        func info(_ change: (inout [(key: String, value: String)]) -> Void) throws -> ClassificationModelInfo {
            try ClassificationModelInfo(session: InferenceSession(path: file(change)))
        }
        XCTAssertEqual(try info { _ in }.labels, ["0", "180"])

        // The threshold decides whether a line is turned: at 0 every "180" is, at 1 none is.
        let images = try (0..<6).map { k in
            try Image(width: 60 + 20 * k, height: 24, colorOrder: .bgr, pixels: (0..<(24 * (60 + 20 * k) * 3)).map { UInt8(($0 * (k + 3)) % 251) })
        }
        func classify(threshold: String) throws -> [TextClassifier.Classification] {
            try TextClassifier(modelPath: file { $0 = $0.map { $0.key == "ocrkit.threshold" ? ($0.key, threshold) : $0 } }).classify(images)
        }
        let (low, high) = (try classify(threshold: "0"), try classify(threshold: "1"))
        print("classified: \(low.map { "\($0.label) \(String(format: "%.3f", $0.confidence))" })")
        XCTAssertTrue(low.contains { $0.label == "180" }, "some line is classified '180', so turning is exercised")
        XCTAssertEqual(low.map(\.index), high.map(\.index))
        XCTAssertEqual(low.map(\.shouldTurn), low.map { $0.label == "180" })
        XCTAssertEqual(high.map(\.shouldTurn), Array(repeating: false, count: images.count))
        XCTAssertEqual(low.map(\.label), low.map { ["0", "180"][$0.index] })
        let cases: [((inout [(key: String, value: String)]) -> Void, String)] = [
            ({ $0 = $0.map { $0.key == "ocrkit.kind" ? ($0.key, "rec") : $0 } }, "ocrkit.kind is 'rec', not 'cls'"),
            ({ $0 = $0.map { $0.key == "ocrkit.labels" ? ($0.key, "0,90,180") : $0 } }, "has 2 classes but ocrkit.labels lists 3"),
            ({ $0.removeAll { $0.key == "ocrkit.threshold" } }, "metadata 'ocrkit.threshold' is missing (OCRKit classifiers"),
            ({ $0 = $0.map { $0.key == "ocrkit.input_width" ? ($0.key, "320") : $0 } }, "the metadata says input [3, 48, 320]"),
        ]
        for (change, message) in cases {
            XCTAssertThrowsError(try info(change)) { XCTAssertTrue("\($0)".contains(message), "\($0)") }
        }
    }
}
