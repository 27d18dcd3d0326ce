import Foundation
import Hummingbird
import Logging
import NIOCore
import OCRInference
import ServiceLifecycle

/// The HTTP side of `ocr serve`: routes on an `OCRService`, built by one function that the
/// command and the tests call alike.
///
///     let service = try OCRService(config: config)
///     let app = OCRServer.buildApplication(service: service) { port in print("listening on \(port)") }
///     try await app.runService()        // SIGTERM/SIGINT: stop accepting, drain, return
///
/// Routes: POST /predict/ppocr and /predict/ocr_system (PaddleOCR's hubserving contract),
/// POST /ocr (one image: raw bytes or multipart), GET /health, /ready, /metrics, / (a web page),
/// and POST /admin/reload with a bearer token (absent, 404, when no token is configured).
public enum OCRServer {
    /// The application: `service`'s routes on `config.host:config.port`. `onListening` gets the
    /// bound port (useful with port 0). When the server has drained at shutdown, the service's
    /// threads are stopped too.
    public static func buildApplication(service: OCRService, logger: Logger? = nil,
                                        onListening: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(router: buildRouter(service: service),
                           configuration: .init(address: .hostname(service.config.host, port: service.config.port), serverName: "ocr-serve"),
                           services: [StopServiceAfterServer(service: service)],
                           onServerRunning: { channel in await onListening(channel.localAddress?.port ?? service.config.port) },
                           logger: logger ?? Logger(label: "ocr-serve"))
    }

    /// The routes alone (for a caller that builds its own application).
    public static func buildRouter(service: OCRService) -> Router<BasicRequestContext> {
        let router = Router()
        let routes = Routes(service: service)
        router.post("/predict/ppocr") { request, _ in await routes.predict(request, route: "/predict/ppocr") }
        router.post("/predict/ocr_system") { request, _ in await routes.predict(request, route: "/predict/ocr_system") }
        router.post("/ocr") { request, _ in await routes.ocr(request) }
        router.get("/health") { request, _ in routes.simple(request, route: "/health", JSONResponse.make(["status": "ok"])) }
        router.get("/ready") { request, _ in routes.ready(request) }
        router.get("/metrics") { request, _ in routes.metrics(request) }
        router.get("/") { request, _ in
            routes.simple(request, route: "/", Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                                                         body: .init(byteBuffer: ByteBuffer(string: WebPage.html))))
        }
        if service.config.resolvedAdminToken() != nil {
            router.post("/admin/reload") { request, _ in await routes.reload(request) }
        }
        return router
    }
}

/// Stops the service's page and batch threads once the HTTP server has drained: services shut
/// down in reverse order, so this one's `gracefulShutdown()` returns after the server's.
struct StopServiceAfterServer: Service {
    let service: OCRService

    func run() async throws {
        try? await gracefulShutdown()
        await service.shutdown()
    }
}

/// The handlers. Each one answers every failure itself as JSON (`ServeError`), counts the
/// request in the metrics and writes the access log line.
struct Routes: Sendable {
    let service: OCRService
    var config: ServeConfig { service.config }

    // MARK: PaddleOCR's routes

    /// PaddleHub serving's envelope around PaddleOCR's `ocr_system` result.
    struct PaddleResponse: Encodable {
        var msg = ""
        var results: [[PageReader.Line]]
        var status = "000"
    }

    func predict(_ request: Request, route: String) async -> Response {
        await handle(request, route: route, paddle: true) { body, log in
            let images = try RequestImages.paddle(body, maxImages: config.maxImages)
            let (models, deadline) = try begin()
            let pages = try await withThrowingTaskGroup(of: (Int, OCRService.PageResult).self) { group in
                for (i, data) in images.enumerated() {
                    group.addTask { (i, try await service.read(data, name: "images[\(i)]", models: models, deadline: deadline)) }
                }
                var pages = [OCRService.PageResult?](repeating: nil, count: images.count)
                for try await (i, page) in group { pages[i] = page }
                return pages.map { $0! }
            }
            log = Self.summary(pages)
            return JSONResponse.make(PaddleResponse(results: pages.map(\.page.lines)))
        }
    }

    // MARK: /ocr

    struct OCRResponse: Encodable {
        var results: [PageReader.Line]
        var width: Int
        var height: Int
        /// Boxes the detector found (lines below drop_score are not in `results`).
        var detected: Int
        /// Milliseconds per stage.
        var timings: [String: Double]
        /// The model set that read the page (1 at start-up, +1 per reload).
        var generation: Int
    }

    func ocr(_ request: Request) async -> Response {
        await handle(request, route: "/ocr", paddle: false) { body, log in
            let data = try RequestImages.single(body, contentType: request.headers[.contentType])
            let (models, deadline) = try begin()
            let r = try await service.read(data, name: "image", models: models, deadline: deadline)
            log = Self.summary([r])
            return JSONResponse.make(OCRResponse(
                results: r.page.lines, width: r.width, height: r.height, detected: r.page.detected,
                timings: Dictionary(uniqueKeysWithValues: r.stages.map { ($0.name + "_ms", ($0.seconds * 1e5).rounded() / 100) }),
                generation: models.generation))
        }
    }

    /// The model set this request keeps to its end, and its deadline; 503 when none is ready.
    func begin() throws -> (ModelSet, DispatchTime) {
        guard service.isReady, let models = service.models else {
            throw ServeError(.serviceUnavailable, "not_ready", "the models are not ready", retryAfter: config.retryAfter)
        }
        return (models, .now() + .nanoseconds(Int(config.requestTimeout * 1e9)))
    }

    static func summary(_ pages: [OCRService.PageResult]) -> String {
        let lines = pages.reduce(0) { $0 + $1.page.lines.count }
        return "\(pages.count) page\(pages.count == 1 ? "" : "s") \(lines) lines " + pages.map(\.stageLog).joined(separator: " | ")
    }

    // MARK: health, readiness, metrics

    func ready(_ request: Request) -> Response {
        guard service.isReady, let models = service.models else {
            let response = ServeError(.serviceUnavailable, "not_ready", service.models == nil ? "the models are not loaded" : "shutting down",
                                      retryAfter: config.retryAfter).response(paddleEnvelope: false)
            return simple(request, route: "/ready", response)
        }
        struct Ready: Encodable {
            var ready = true
            var directory: String
            var generation: Int
            var models: [ModelSet.File]
        }
        return simple(request, route: "/ready", JSONResponse.make(Ready(directory: models.directory, generation: models.generation, models: models.files)))
    }

    func metrics(_ request: Request) -> Response {
        // This scrape is counted after its text is made: it shows up in the next one.
        let response = Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(string: service.metrics.exposition())))
        return simple(request, route: "/metrics", response)
    }

    // MARK: admin

    func reload(_ request: Request) async -> Response {
        await handle(request, route: "/admin/reload", paddle: false) { body, log in
            try authorize(request)
            var directory: String?
            if !body.isEmpty {
                guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                    throw ServeError.badRequest("invalid_json", #"body must be empty or a JSON object {"models": "<folder>"}"#)
                }
                let unknown = object.keys.filter { $0 != "models" }.sorted()
                guard unknown.isEmpty else { throw ServeError.badRequest("invalid_json", "unknown key '\(unknown[0])'; the only key is 'models'") }
                if let value = object["models"] {
                    guard let folder = value as? String, !folder.isEmpty else { throw ServeError.badRequest("invalid_json", "'models' must be a folder path") }
                    directory = folder
                }
            }
            guard let report = await service.reload(directory: directory) else {
                throw ServeError(.conflict, "reload_running", "a reload is already running")
            }
            log = report.switched ? "switched to generation \(report.serving.generation)" : "refused: \(report.reason ?? "")"
            // Refused: 422, so scripts notice; the body says why and what goes on serving.
            return JSONResponse.make(status: report.switched ? .ok : .unprocessableContent, report)
        }
    }

    /// `Authorization: Bearer <token>`; 401 otherwise.
    func authorize(_ request: Request) throws {
        guard let token = config.resolvedAdminToken() else { throw ServeError(.notFound, "not_found", "no admin routes") }
        let given = request.headers[.authorization].flatMap { value -> String? in
            value.lowercased().hasPrefix("bearer ") ? String(value.dropFirst(7)).trimmingCharacters(in: .whitespaces) : nil
        }
        guard let given, Self.equalInConstantTime(Array(given.utf8), Array(token.utf8)) else {
            throw ServeError(.unauthorized, "unauthorized", given == nil ? "missing 'Authorization: Bearer <token>'" : "wrong token")
        }
    }

    static func equalInConstantTime(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) { difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0) }
        return difference == 0
    }

    // MARK: the common part

    /// Reads the body (413 past `max_body_bytes`), runs `body`, turns a thrown `ServeError` (or
    /// anything else, as 500) into its JSON response, and records the request.
    func handle(_ request: Request, route: String, paddle: Bool,
                _ body: ([UInt8], inout String) async throws -> Response) async -> Response {
        let start = DispatchTime.now()
        var log = ""
        var response: Response
        do {
            let bytes = try await readBody(request)
            response = try await body(bytes, &log)
        } catch let error as ServeError {
            service.metrics.error(kind: error.kind)
            log = "\(error.kind): \(error.message)"
            response = error.response(paddleEnvelope: paddle)
        } catch {
            service.metrics.error(kind: "internal")
            log = "internal: \(error)"
            response = ServeError(.internalServerError, "internal", "\(error)").response(paddleEnvelope: paddle)
        }
        finish(request, route: route, status: response.status, start: start, log: log)
        if response.status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }

    func readBody(_ request: Request) async throws -> [UInt8] {
        let limit = config.maxBodyBytes
        let tooLarge = ServeError(.contentTooLarge, "body_too_large", "the body is larger than max_body_bytes (\(limit) bytes)")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw tooLarge }
        do {
            return Array(try await request.body.collect(upTo: limit).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        }
    }

    func simple(_ request: Request, route: String, _ response: Response) -> Response {
        finish(request, route: route, status: response.status, start: .now(), log: "", accessLog: false)
        return response
    }

    func finish(_ request: Request, route: String, status: HTTPResponse.Status, start: DispatchTime, log: String, accessLog: Bool = true) {
        let seconds = PageReader.seconds(since: start)
        service.metrics.request(route: route, status: status.code, seconds: seconds)
        guard accessLog, config.accessLog else { return }
        // [2026-12-03 18:00:00] POST /ocr 200 35.12ms 1 page 3 lines decode: 1.20ms queue: 0.01ms det: 20.30ms ...
        service.log("[\(PageReader.logTimestamp(Date()))] \(request.method) \(route) \(status.code) "
                    + "\(String(format: "%.2f", seconds * 1000))ms \(log)")
    }
}
