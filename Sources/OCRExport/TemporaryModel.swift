import Foundation
import OCRInference

/// A model written to a temporary file for ONNX Runtime (which opens files), removed on release.
final class TemporaryModel {
    let path: String

    init(_ model: ONNXModel) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("ocrkit-\(UUID().uuidString).onnx").path
        try model.write(to: path)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func session(threads: Int) throws -> InferenceSession {
        try InferenceSession(path: path, options: .init(intraOpThreads: threads, interOpThreads: 1))
    }
}
