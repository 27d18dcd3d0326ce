import Foundation
import Imaging
import OCRCore
import OCRInference

/// One loaded set of page models and what the service reports about it. A request takes the
/// current set when it starts and keeps its reference to the end, so after a reload in-flight
/// requests finish on the models they started with; the old sessions close when the last of
/// them lets go (ARC is the reference count).
///
/// The ONNX Runtime sessions are shared by every worker: `Run` is thread-safe on one session,
/// so per-worker copies would only multiply the weights and arenas in memory, and serialising a
/// stage would leave cores idle while pages queue. Concurrency is bounded by the worker and
/// batch threads instead, each run using `intra_op_threads`.
public final class ModelSet: Sendable {
    /// One model file: its role (det, cls, rec), file name, and SHA-256 (as /metrics reports it).
    public struct File: Sendable, Codable, Equatable {
        public var role: String
        public var name: String
        public var path: String
        public var sha256: String
    }

    public let directory: String
    public let reader: PageReader
    public let files: [File]
    /// 1 for the models loaded at start-up, one more for each reload that switched.
    public let generation: Int
    /// Counts this set in `ocr_model_generations_alive` from init to deinit, so a set that stays
    /// alive after a reload (something still holding it) is seen, not guessed from the RSS.
    private let metrics: ServeMetrics?

    init(directory: String, reader: PageReader, files: [File], generation: Int, metrics: ServeMetrics? = nil) {
        self.directory = directory
        self.reader = reader
        self.files = files
        self.generation = generation
        self.metrics = metrics
        metrics?.generationLoaded()
    }

    deinit {
        metrics?.generationFreed()
        Self.returnFreedMemory()
    }

    /// Hands the memory of freed model sets back to the system. glibc's malloc keeps freed pages in
    /// its per-thread arenas: with every set freed, a release server still grew from 396 MiB after
    /// warm-up to about 550-660 MiB over 5-15 reloads, and one `malloc_trim(0)` brought it back
    /// to 392 MiB. The sessions are freed after this deinit body (stored properties go last), so
    /// the trim runs a moment later, off the request's thread; once per reload, it costs nothing
    /// measurable.
    static func returnFreedMemory() {
        guard let trim = mallocTrim else { return }
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + .milliseconds(200)) { _ = trim(0) }
    }

    /// glibc's `malloc_trim`, looked up at run time: Swift's Glibc module leaves out <malloc.h>.
    /// Nil on a C library without it (musl, macOS), where there is nothing to trim this way.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }   // RTLD_DEFAULT
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()

    /// Opens the models in `directory` with the config's thread, batch and drop-score settings.
    /// Errors (`InferenceError`) name the folder or file. `metrics` counts the set while it lives.
    public static func load(directory: String, config: ServeConfig, generation: Int, metrics: ServeMetrics? = nil) throws -> ModelSet {
        var models = try pageModels(in: directory)
        if !config.useAngleClassifier { models.classifier = nil }
        let reader = try PageReader(models: models, options: .init(intraOpThreads: config.intraOpThreads, interOpThreads: 1),
                                    batchSize: config.recBatchSize, dropScore: Float(config.dropScore))
        let roles = [("det", models.detector), ("cls", models.classifier), ("rec", models.recognizer)]
        let files = try roles.compactMap { role, path -> File? in
            guard let path else { return nil }
            return File(role: role, name: (path as NSString).lastPathComponent, path: path, sha256: try sha256(of: path))
        }
        return ModelSet(directory: directory, reader: reader, files: files, generation: generation, metrics: metrics)
    }

    /// The folder's models (`PageModels.directory`). A folder with several models of one role -
    /// .deps/models holds PP-OCRv4's and PP-OCRv6's detectors - serves PP-OCRv4's three files
    /// when they are all there (the default models of `ocr predict`), and is an error otherwise.
    static func pageModels(in directory: String) throws -> PageModels {
        do {
            return try PageModels.directory(directory)
        } catch let error as InferenceError where error.kind == .invalidInput {
            let v4 = PageModels.ppocrV4(in: directory)
            guard [v4.detector, v4.classifier!, v4.recognizer].allSatisfy(FileManager.default.fileExists(atPath:)) else { throw error }
            return v4
        }
    }

    /// Runs a blank page and one blank crop through every model, so the first request does not
    /// pay for ONNX Runtime's first-run allocations.
    public func warmUp() throws {
        let page = try Image(width: 320, height: 96, colorOrder: .bgr, repeating: 255)
        _ = try reader.read(page)
        let crop = try Image(width: 160, height: 48, colorOrder: .bgr, repeating: 255)
        if let classifier = reader.classifier { _ = try classifier.classify([crop]) }
        _ = try reader.recognizer.recognize([crop])
    }

    static func sha256(of path: String) throws -> String {
        do {
            return SHA256Digest(of: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))).hex
        } catch {
            throw InferenceError(.fileNotFound, "\(path): cannot be read (\(error.localizedDescription))")
        }
    }
}
