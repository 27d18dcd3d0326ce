import Foundation
import OCRCore

/// Every setting of `ocr serve`. A YAML file (`--config serve.yml`, see configs/serve.yml) is
/// decoded strictly by OCRCore's `ConfigTree`, like the training configs: an unknown key is an
/// error naming it and its line, so a misspelt limit never silently falls back to its default.
/// Every key is optional; command-line options (`--models`, `--host`, `--port`) override the file.
public struct ServeConfig: Decodable, Sendable, Equatable {
    /// The model folder (`PageModels.directory`: det/cls/rec `.onnx`, OCRKit's or PaddleOCR's names).
    public var models = ".deps/models"
    /// Address to bind. 127.0.0.1 keeps the service on this machine; 0.0.0.0 opens it.
    public var host = "127.0.0.1"
    /// Port to listen on (0: any free port, as the tests use).
    public var port = 18080
    /// Threads that decode pages and run detection, cropping and the angle classifier.
    public var workers = 2
    /// Pages waiting for a worker; a request that would queue past it gets 503 with Retry-After.
    public var queueSize = 64
    /// Seconds a request may wait and run in all before it is answered 504.
    public var requestTimeout = 30.0
    /// `Retry-After` seconds sent with 503 (queue full, not ready, shutting down).
    public var retryAfter = 1
    /// Largest request body in bytes; larger ones get 413.
    public var maxBodyBytes = 20 * 1024 * 1024
    /// Images in one `/predict` request at most (400 above).
    public var maxImages = 16
    /// Pages larger than this many megapixels are refused (checked in the header before decoding).
    public var maxMegapixels = Double(50)
    /// ONNX Runtime threads per operator in each model run. Workers run concurrently on shared
    /// sessions, so `workers` x this should not exceed the cores.
    public var intraOpThreads = 1
    /// Use the angle classifier when the model folder has one (PaddleOCR's `use_angle_cls`).
    public var useAngleClassifier = true
    /// Crops per recogniser run (PaddleOCR's `rec_batch_num`).
    public var recBatchSize = 6
    /// Lines read with a lower confidence are left out (PaddleOCR's `drop_score`).
    public var dropScore = 0.5
    /// Cross-request batching of recognition crops.
    public var batching = Batching()
    /// A PaddleOCR detection label file (`path<TAB>[{"transcription", "points"}]`, image paths
    /// relative to the file) that a model set must read before it serves: at start-up and on
    /// every reload. None: a blank page is run as warm-up only.
    public var healthSample: String?
    /// Share of the health sample's lines a model set must read exactly (spaces ignored).
    public var healthMinAccuracy = 0.5
    /// Bearer token for `/admin/*`. Without one (here or in OCR_SERVE_TOKEN) the admin routes do not exist (404).
    public var adminToken: String?
    /// One access-log line per request (with per-stage timings) on stderr.
    public var accessLog = true

    /// Recognition crops from different requests run in shared batches.
    public struct Batching: Decodable, Sendable, Equatable {
        /// Off (the default): each page runs its own recogniser batches on its worker (as `ocr
        /// predict`). Measured on 2 cores (8 det pages, `scripts/bench-serve.sh`): with batching on
        /// (1 batch thread) 2.22 requests/s at concurrency 8 against 4.24 off, p99 4.7 s vs 2.2 s -
        /// the gathered batches run on one thread while both workers wait.
        public var enabled = false
        /// Crops gathered into one recogniser call at most (a larger page runs alone).
        public var maxBatch = 24
        /// Milliseconds the first crops wait for others before their batch runs.
        public var maxWaitMs = 5.0
        /// Threads running gathered batches.
        public var threads = 1

        public init() {}

        enum CodingKeys: String, CodingKey { case enabled, maxBatch = "max_batch", maxWaitMs = "max_wait_ms", threads }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            enabled = try c.decodeIfPresent(Bool.self, forKey: .enabled) ?? enabled
            maxBatch = try c.decodeIfPresent(Int.self, forKey: .maxBatch) ?? maxBatch
            maxWaitMs = try c.decodeIfPresent(Double.self, forKey: .maxWaitMs) ?? maxWaitMs
            threads = try c.decodeIfPresent(Int.self, forKey: .threads) ?? threads
        }
    }

    public init() {}

    enum CodingKeys: String, CodingKey {
        case models, host, port, workers, queueSize = "queue_size", requestTimeout = "request_timeout"
        case retryAfter = "retry_after", maxBodyBytes = "max_body_bytes", maxImages = "max_images"
        case maxMegapixels = "max_megapixels", intraOpThreads = "intra_op_threads"
        case useAngleClassifier = "use_angle_cls", recBatchSize = "rec_batch_size", dropScore = "drop_score"
        case batching, healthSample = "health_sample", healthMinAccuracy = "health_min_accuracy"
        case adminToken = "admin_token", accessLog = "access_log"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        models = try c.decodeIfPresent(String.self, forKey: .models) ?? models
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? host
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? port
        workers = try c.decodeIfPresent(Int.self, forKey: .workers) ?? workers
        queueSize = try c.decodeIfPresent(Int.self, forKey: .queueSize) ?? queueSize
        requestTimeout = try c.decodeIfPresent(Double.self, forKey: .requestTimeout) ?? requestTimeout
        retryAfter = try c.decodeIfPresent(Int.self, forKey: .retryAfter) ?? retryAfter
        maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? maxBodyBytes
        maxImages = try c.decodeIfPresent(Int.self, forKey: .maxImages) ?? maxImages
        maxMegapixels = try c.decodeIfPresent(Double.self, forKey: .maxMegapixels) ?? maxMegapixels
        intraOpThreads = try c.decodeIfPresent(Int.self, forKey: .intraOpThreads) ?? intraOpThreads
        useAngleClassifier = try c.decodeIfPresent(Bool.self, forKey: .useAngleClassifier) ?? useAngleClassifier
        recBatchSize = try c.decodeIfPresent(Int.self, forKey: .recBatchSize) ?? recBatchSize
        dropScore = try c.decodeIfPresent(Double.self, forKey: .dropScore) ?? dropScore
        batching = try c.decodeIfPresent(Batching.self, forKey: .batching) ?? batching
        healthSample = try c.decodeIfPresent(String.self, forKey: .healthSample)
        healthMinAccuracy = try c.decodeIfPresent(Double.self, forKey: .healthMinAccuracy) ?? healthMinAccuracy
        adminToken = try c.decodeIfPresent(String.self, forKey: .adminToken)
        accessLog = try c.decodeIfPresent(Bool.self, forKey: .accessLog) ?? accessLog
    }

    /// Reads `path` strictly (unknown keys, wrong types and bad values are `ConfigError`s naming
    /// the key and line). A relative `health_sample` is resolved against the file's folder.
    public static func load(_ path: String) throws -> ServeConfig {
        let tree = try ConfigTree(contentsOf: path)
        var config = try tree.decode(ServeConfig.self, at: "")
        if let sample = config.healthSample, !sample.hasPrefix("/") {
            config.healthSample = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(sample)
        }
        try config.validate(source: path)
        return config
    }

    /// Rejects values the server cannot run with, naming the key.
    public func validate(source: String = "config") throws {
        func bad(_ key: String, _ message: String) -> ConfigError {
            ConfigError(.invalidValue, path: key, "\(source): '\(key)' \(message)")
        }
        guard (0...65535).contains(port) else { throw bad("port", "must be in 0...65535, got \(port)") }
        guard workers >= 1 else { throw bad("workers", "must be at least 1, got \(workers)") }
        guard queueSize >= 0 else { throw bad("queue_size", "must be 0 or more, got \(queueSize)") }
        guard requestTimeout > 0 else { throw bad("request_timeout", "must be positive (seconds), got \(requestTimeout)") }
        guard retryAfter >= 0 else { throw bad("retry_after", "must be 0 or more (seconds), got \(retryAfter)") }
        guard maxBodyBytes >= 1 else { throw bad("max_body_bytes", "must be positive, got \(maxBodyBytes)") }
        guard maxImages >= 1 else { throw bad("max_images", "must be at least 1, got \(maxImages)") }
        guard maxMegapixels > 0 else { throw bad("max_megapixels", "must be positive, got \(maxMegapixels)") }
        guard intraOpThreads >= 0 else { throw bad("intra_op_threads", "must be 0 (ONNX Runtime's default) or more") }
        guard recBatchSize >= 1 else { throw bad("rec_batch_size", "must be at least 1, got \(recBatchSize)") }
        guard (0...1).contains(dropScore) else { throw bad("drop_score", "must be in 0...1, got \(dropScore)") }
        guard batching.maxBatch >= 1 else { throw bad("batching.max_batch", "must be at least 1, got \(batching.maxBatch)") }
        guard batching.maxWaitMs >= 0 else { throw bad("batching.max_wait_ms", "must be 0 or more, got \(batching.maxWaitMs)") }
        guard batching.threads >= 1 else { throw bad("batching.threads", "must be at least 1, got \(batching.threads)") }
        guard (0...1).contains(healthMinAccuracy) else {
            throw bad("health_min_accuracy", "must be in 0...1, got \(healthMinAccuracy)")
        }
        if let adminToken, adminToken.isEmpty { throw bad("admin_token", "is empty; leave it out to turn the admin routes off") }
    }

    /// The admin token: the config's, else the environment's OCR_SERVE_TOKEN (empty means none).
    public func resolvedAdminToken(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        adminToken ?? environment["OCR_SERVE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
