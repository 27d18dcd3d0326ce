import Foundation
import Imaging
import OCRData
import OCRPreprocess
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
