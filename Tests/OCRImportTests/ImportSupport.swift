import Foundation
import Imaging
import NN
import OCRData
import OCREval
import OCRImport
import OCRModels
import OCRPreprocess
import OCRRun
import OCRTrain
import Torch
import XCTest

/// Paths and helpers shared by the import tests: the PP-OCRv4 file scripts/setup.sh places, the
/// Python reference (onnxruntime on the original file) and rendered input lines.
enum ImportFixtures {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let recModel = packageRoot + "/.deps/models/ch_PP-OCRv4_rec_infer.onnx"
    static let recConfig = packageRoot + "/configs/rec/ppocrv4_rec.yml"
    static let clsModel = packageRoot + "/.deps/models/ch_ppocr_mobile_v2.0_cls_infer.onnx"
    static let v6RecModel = packageRoot + "/.deps/models/PP-OCRv6_rec_small.onnx"
    static let v6RecConfig = packageRoot + "/configs/rec/ppocrv6_rec.yml"
    static let clsConfig = packageRoot + "/configs/cls/cls_mv3.yml"
    static let python = packageRoot + "/.deps/pyvenv/bin/python"
    static let fonts = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                        "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"]

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Fails (never skips) when setup.sh has not placed the model.
    static func requireModel(_ path: String = recModel) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            throw Failure(description: "\(path) is missing: run scripts/setup.sh (it takes it from the rapidocr-onnxruntime wheel)")
        }
    }

    static func scratchDirectory(_ name: String) throws -> String {
        let dir = NSTemporaryDirectory() + "ocrkit-import-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Lines rendered black on white by OCRData's renderer.
    static func renderLines(_ texts: [String]) throws -> [RenderedLine] {
        let renderer = try LineRenderer(options: .clean)
        let fonts = try Self.fonts.map { try FontFile(path: $0) }
        return try texts.enumerated().map { i, t in try renderer.render(t, font: fonts[i % fonts.count], seed: 7, index: i) }
    }

    /// `texts` rendered (`renderLines`) into `dir` as 0.png, 1.png, ... with a PaddleOCR label
    /// file `dir/labels.txt`.
    @discardableResult
    static func writeLabelledLines(_ texts: [String], to dir: String) throws -> [RenderedLine] {
        let lines = try renderLines(texts)
        var labels = ""
        for (i, line) in lines.enumerated() {
            try line.image.encoded(as: .png).write(to: URL(fileURLWithPath: dir + "/\(i).png"))
            labels += "\(i).png\t\(line.text)\n"
        }
        try labels.write(toFile: dir + "/labels.txt", atomically: true, encoding: .utf8)
        return lines
    }

    /// A run of `config` that fine-tunes from `model` (`Global.pretrained_model`) on `dir/labels.txt`
    /// for `steps` steps of `batch` lines, evaluated on the same lines after the last step.
    static func fineTuneRun(config: String, model: String, dir: String, steps: Int, batch: Int) throws -> RecognitionRunConfig {
        try RecognitionRunConfig(path: config, overrides: [
            "Global.pretrained_model=\(model)", "Global.max_steps=\(steps)", "Global.save_model_dir=\(dir)/run",
            "Global.eval_batch_step=[0, \(steps)]",
            "Train.dataset.data_dir=\(dir)", "Train.dataset.label_file_list=[\(dir)/labels.txt]", "Train.loader.batch_size_per_card=\(batch)",
            "Train.loader.num_workers=0",
            "Eval.dataset.data_dir=\(dir)", "Eval.dataset.label_file_list=[\(dir)/labels.txt]", "Eval.loader.num_workers=0",
        ])
    }

    /// Runs `body` (build a trainer and run it) with one event recorder for both: the messages
    /// (joined, and printed) and the evaluations.
    static func recordingEvents(_ body: (_ record: (TrainEvent) -> Void) throws -> Void) throws
        -> (text: String, evaluations: [TrainEvent.Evaluation]) {
        var messages: [String] = [], evaluations: [TrainEvent.Evaluation] = []
        func record(_ e: TrainEvent) {
            if case .message(let m) = e { messages.append(m) }
            if case .evaluation(let ev) = e { evaluations.append(ev) }
        }
        try body(record)
        let text = messages.joined(separator: "\n")
        print(text)
        return (text, evaluations)
    }

    /// Zero-shot equality: the checkpoint `ocr-train import` writes of `model` (with `config`),
    /// scored by ocr-eval's checkpoint path (LibTorch), and the original file scored by its ONNX
    /// path (onnxruntime, PaddleOCR's preprocessing) read `texts`, rendered, the same way: same
    /// accuracy, same edit distance, the same lines misread the same way.
    static func assertZeroShotEquality(model: String, config: String, texts: [String], name: String,
                                       file: StaticString = #filePath, line: UInt = #line) throws {
        try requireModel(model)
        let dir = try scratchDirectory("zeroshot-\(name)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let lines = try writeLabelledLines(texts, to: dir)
        let run = try RecognitionRunConfig(path: config,
                                           overrides: ["Eval.dataset.data_dir=\(dir)", "Eval.dataset.label_file_list=[\(dir)/labels.txt]"])
        let (_, checkpoint) = try PaddleModelImport.checkpoint(model, config: run.base)
        try checkpoint.write(to: dir + "/imported.h5")
        let torch = try CheckpointEvaluation.run(run, checkpoint: dir + "/imported.h5", data: nil, events: { _ in })
        let onnx = try OnnxEvaluation.run(model: model, config: run.evalSettings, data: nil, events: { _ in })
        let (a, b) = (torch.metrics.overall, onnx.metrics.overall)
        print("\(name) zero-shot on \(lines.count) rendered lines: checkpoint acc \(a.lineAccuracy) (\(a.samples) lines), "
              + "onnx acc \(b.lineAccuracy) (\(b.samples) lines); misread by the checkpoint: "
              + torch.worst.map { "\($0.truth) -> \($0.text)" }.joined(separator: ", "))
        XCTAssertEqual(a.samples, lines.count, file: file, line: line)
        XCTAssertEqual(b.samples, lines.count, file: file, line: line)
        XCTAssertEqual(a.lineAccuracy, b.lineAccuracy, file: file, line: line)
        XCTAssertEqual(a.normalizedEditDistance, b.normalizedEditDistance, accuracy: 1e-9, file: file, line: line)
        // Not only the scores: the same lines misread the same way (PP-OCRv4 reads some left
        // margins as a space, which PaddleOCR's metric ignores).
        XCTAssertEqual(Set(torch.worst.map { "\($0.truth) -> \($0.text)" }), Set(onnx.worst.map { "\($0.truth) -> \($0.text)" }),
                       file: file, line: line)
        XCTAssertGreaterThan(a.lineAccuracy, 0.8, "\(name) reads clean rendered lines", file: file, line: line)
    }

    /// PaddleOCR's recogniser `file` imported into `config`'s architecture, loaded strictly, in eval mode.
    static func importedRecognizer(_ file: String, config: String) throws -> (model: any Recognizer, imported: PaddleModelImport.Imported) {
        try requireModel(file)
        let run = try RecognitionRunConfig(path: config)
        let imported = try PaddleModelImport.load(file, architecture: run.architecture, inputShape: run.inputShape)
        let model = try XCTUnwrap(imported.model as? any Recognizer)
        try model.load(imported.state, strict: true)
        model.eval()
        return (model, imported)
    }

    /// The imported recogniser against onnxruntime on the original `file`, on `lines` at
    /// 3 x 48 x `width`: softmax probabilities (the file's own output) within 1e-4, and logits
    /// within 1e-4 x max(1, max |logit|) - float32 through ~45 layers, LibTorch and onnxruntime
    /// differ by a few 1e-6 relative (measured 0.7-1.6e-4 absolute at |logit| ~ 44 on PP-OCRv4).
    static func assertRecognitionParity(_ model: any Recognizer, file: String, lines: [RenderedLine], width: Int,
                                        classes: Int, name: String) throws {
        let batch = lines.count, label = "\(name): 3x48x\(width) batch \(batch)"
        let input = try Self.batch(lines, width: width)
        let ours = try noGrad { try model(Tensor(input, shape: [batch, 3, 48, width])) }
        let reference = try referenceLogits(model: file, input: input, batch: batch, width: width)
        XCTAssertEqual(ours.shape, reference.shape, label)
        XCTAssertEqual(ours.shape, [batch, width / 8, classes], label)
        let values = try ours.contiguous().toArray(Float.self)
        let diff = zip(values, reference.values).map { abs($0 - $1) }.max() ?? .infinity
        let scale = reference.values.map(abs).max() ?? 0
        let ourProbs = try ours.softmax(dim: 2).contiguous().toArray(Float.self)
        let refProbs = try Tensor(reference.values, shape: reference.shape).softmax(dim: 2).toArray(Float.self)
        let probDiff = zip(ourProbs, refProbs).map { abs($0 - $1) }.max() ?? .infinity
        print("\(label): probabilities max |diff| = \(probDiff) (limit 1e-4); "
              + "logits max |diff| = \(diff) at max |logit| \(scale) (limit 1e-4 x max(1, max |logit|))")
        XCTAssertLessThan(probDiff, 1e-4, label)
        XCTAssertLessThan(diff, 1e-4 * max(1, scale), label)
    }

    /// B x 3 x `height` x `width`, each line resized (keep ratio) and padded right, as PaddleOCR feeds it.
    static func batch(_ lines: [RenderedLine], height: Int = 48, width: Int) throws -> [Float] {
        let resize = RecResize(imageShape: [3, height, width])
        var batch = [Float](repeating: 0, count: lines.count * 3 * height * width)
        for (b, line) in lines.enumerated() { resize.place(try resize(line.image), into: &batch, at: b, batchWidth: width) }
        return batch
    }

    /// onnxruntime's values of the graph values `names` (outputs or intermediate) of `model` on
    /// `input` (`shape`, NCHW), flat, in `names` order (`Python/ort_outputs.py`): the graph as
    /// written, or with onnxruntime's graph optimisations when `optimized`.
    static func referenceOutputs(model: String, input: [Float], shape: [Int], names: [String], optimized: Bool = false) throws
        -> [[Float]] {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(description: "no test venv at \(python): run scripts/test-venv.sh")
        }
        let dir = try scratchDirectory("ort")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try input.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: dir + "/x.f32"))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [packageRoot + "/Tests/OCRImportTests/Python/ort_outputs.py"] + (optimized ? ["--optimized"] : [])
            + [model, dir + "/x.f32"] + shape.map(String.init) + [dir] + names
        p.standardOutput = Pipe()
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Failure(description: "ort_outputs.py failed (\(p.terminationStatus))") }
        return try names.indices.map { i in
            let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/\(i).f32"))
            return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
    }

    /// onnxruntime's logits (the Softmax's input) of `model` on `input` (B x 3 x `height` x `width`).
    static func referenceLogits(model: String, input: [Float], batch: Int, height: Int = 48, width: Int) throws
        -> (values: [Float], shape: [Int]) {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(description: "no test venv at \(python): run scripts/test-venv.sh")
        }
        let dir = try scratchDirectory("ort")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (inPath, outPath) = (dir + "/x.f32", dir + "/y.f32")
        try input.withUnsafeBytes { Data($0) }.write(to: URL(fileURLWithPath: inPath))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [packageRoot + "/Tests/OCRImportTests/Python/ort_logits.py", model, inPath, "\(batch)", "3", "\(height)", "\(width)", outPath]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Failure(description: "ort_logits.py failed (\(p.terminationStatus))") }
        struct Shape: Decodable { var shape: [Int] }
        let shape = try JSONDecoder().decode(Shape.self, from: out).shape
        let data = try Data(contentsOf: URL(fileURLWithPath: outPath))
        let values = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        return (values, shape)
    }
}

/// Asserts that `body` throws and returns the error's text.
func thrownMessage<T>(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) -> String {
    do {
        _ = try body()
        XCTFail("expected an error, nothing was thrown", file: file, line: line)
        return ""
    } catch {
        return "\(error)"
    }
}
