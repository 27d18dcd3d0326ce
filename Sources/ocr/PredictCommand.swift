import ArgumentParser
import Foundation
import OCRInference

/// `ocr predict --rec MODEL.onnx IMAGES_OR_DIRS...`: reads text-line images with an ONNX recogniser.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Read text-line images with an ONNX recogniser (exported by OCRKit, or PaddleOCR's/RapidOCR's).",
        discussion: """
            Prints path<TAB>text<TAB>confidence per image (or one JSON object per line with --json). \
            An image that cannot be read is reported on stderr and the others still run; the exit status is then 1.
            """)

    @Option(help: "The recogniser .onnx file: OCRKit metadata, or PaddleOCR's `character` list (e.g. .deps/models/ch_PP-OCRv4_rec_infer.onnx).")
    var rec: String

    @Argument(help: "Line images, or folders whose image files are read in name order.")
    var images: [String]

    @Flag(help: "Print one JSON object per line: {\"confidence\", \"path\", \"text\"}.")
    var json = false

    @Option(help: "Lines per model run (lines are sorted by aspect ratio first, so a batch pads little).")
    var batchSize = 8

    @Option(help: "ONNX Runtime threads per operator (0: one per physical core).")
    var threads = 0

    @Flag(help: "Print to stderr how long loading and reading took (ms per line).")
    var timing = false

    func validate() throws {
        guard batchSize >= 1 else { throw ValidationError("--batch-size must be at least 1") }
        guard threads >= 0 else { throw ValidationError("--threads must be 0 (ONNX Runtime's default) or more") }
    }

    /// One output line for --json.
    struct Line: Encodable {
        var path: String
        var text: String
        var confidence: Float
    }

    func run() throws {
        let started = Date()
        let recognizer = try TextRecognizer(modelPath: rec, options: .init(intraOpThreads: threads, interOpThreads: 1),
                                            batchSize: batchSize)
        let loadSeconds = Date().timeIntervalSince(started)
        let files = try ImageFiles.expand(images)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var failed = 0, read = 0
        var seconds = 0.0
        // Chunks keep memory bounded and let output flow on long lists; lines are sorted within a chunk.
        let chunk = recognizer.chunkSize
        for start in stride(from: 0, to: files.count, by: chunk) {
            let t = Date()
            let results = try recognizer.recognize(files: Array(files[start..<min(start + chunk, files.count)]))
            seconds += Date().timeIntervalSince(t)
            for file in results {
                switch file.result {
                case .failure(let error):
                    failed += 1
                    FileHandle.standardError.write(Data("ocr predict: \(error)\n".utf8))
                case .success(let r) where json:
                    read += 1
                    print(String(decoding: try encoder.encode(Line(path: file.path, text: r.text, confidence: r.confidence)), as: UTF8.self))
                case .success(let r):
                    read += 1
                    print("\(file.path)\t\(r.text)\t\(String(format: "%.5f", r.confidence))")
                }
            }
        }
        if timing {
            let perLine = String(format: "%.2f", read > 0 ? seconds * 1000 / Double(read) : 0)
            FileHandle.standardError.write(Data(("ocr predict: \(read) lines, batch \(batchSize), \(threads == 0 ? "default" : "\(threads)") threads, "
                + "ONNX Runtime \(InferenceSession.runtimeVersion): model load \(String(format: "%.0f", loadSeconds * 1000)) ms, "
                + "\(perLine) ms/line (image decode + resize + model + CTC decoding)\n").utf8))
        }
        if failed > 0 {
            FileHandle.standardError.write(Data("ocr predict: \(failed) of \(files.count) images could not be read\n".utf8))
            throw ExitCode.failure
        }
    }
}
