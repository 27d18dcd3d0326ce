import ArgumentParser
import Foundation
import OCRCore
import OCRServe

/// `ocr serve`: the OCR service (OCRServe) on the page models - PaddleOCR's hubserving routes,
/// /ocr, health, readiness, Prometheus metrics, a web page, hot reload. Runs until SIGTERM or
/// SIGINT (stop accepting, finish the requests in flight, exit 0); SIGHUP reloads the models.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the page models over HTTP (PaddleOCR-compatible /predict/ocr_system, /ocr, /metrics, a web page).",
        discussion: """
            Every setting is a key of --config (see configs/serve.yml and docs/serve.md); --models, --host and --port \
            override the file. Binds 127.0.0.1 unless --host says otherwise. Admin routes (POST /admin/reload) need \
            admin_token in the config or OCR_SERVE_TOKEN in the environment; without one they do not exist.
            """)

    @Option(help: "The model folder: det.onnx, cls.onnx, rec.onnx or PaddleOCR's *_det_*, *_cls_*, *_rec_* names (default .deps/models).")
    var models: String?

    @Option(help: "A YAML file with the service's settings (unknown keys are errors).")
    var config: String?

    @Option(help: "Address to bind (default 127.0.0.1; 0.0.0.0 opens the service to the network).")
    var host: String?

    @Option(help: "Port to listen on (default 18080).")
    var port: Int?

    func resolvedConfig() throws -> ServeConfig {
        var c = try config.map { try ServeConfig.load($0) } ?? ServeConfig()
        if let models { c.models = models }
        if let host { c.host = host }
        if let port { c.port = port }
        try c.validate(source: config ?? "options")
        return c
    }

    func run() async throws {
        let config: ServeConfig
        do { config = try resolvedConfig() } catch { throw ValidationError("\(error)") }
        let log: @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        let service: OCRService
        do {
            service = try OCRService(config: config, log: log)
        } catch {
            log("ocr serve: \(error)")
            throw ExitCode.failure
        }
        let hangup = service.reloadOnHangup()
        defer { hangup.cancel() }
        // The names only: the closure lives as long as the server, and capturing the model set
        // would keep generation 1's sessions in memory after every reload.
        let modelNames = service.models!.files.map(\.name).joined(separator: ", ")
        let app = OCRServer.buildApplication(service: service) { port in
            log("ocr serve: listening on http://\(config.host):\(port) with \(modelNames) "
                + "(\(config.workers) workers, batching \(config.batching.enabled ? "max \(config.batching.maxBatch) crops, \(config.batching.maxWaitMs) ms" : "off"), "
                + "admin routes \(config.resolvedAdminToken() == nil ? "off" : "on"))")
        }
        try await app.runService()
        log("ocr serve: stopped")
    }
}
