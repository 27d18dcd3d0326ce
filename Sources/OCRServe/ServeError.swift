import Foundation
import Hummingbird

/// A request the service answers with an error: the HTTP status, a short `kind` (the label of
/// `ocr_errors_total`) and a message naming what was wrong (`images[2]: invalid base64`). The body
/// is JSON: `{"error": message, "kind": kind}`; PaddleOCR's routes add PaddleHub's envelope
/// (`"status": "101", "msg": message, "results": ""`) so its clients see their usual failure.
public struct ServeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var kind: String
    public var message: String
    /// Seconds for a `Retry-After` header (503).
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, _ kind: String, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.kind = kind
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { "\(status.code) \(kind): \(message)" }

    static func badRequest(_ kind: String, _ message: String) -> ServeError { ServeError(.badRequest, kind, message) }

    /// The JSON response; `paddleEnvelope` for /predict/*.
    func response(paddleEnvelope: Bool) -> Response {
        var body: [String: String] = ["error": message, "kind": kind]
        if paddleEnvelope {
            body["status"] = "101"
            body["msg"] = message
            body["results"] = ""
        }
        var response = JSONResponse.make(status: status, body)
        if let retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }
}

/// JSON bodies: keys sorted, slashes unescaped, so a response reads the same every time.
enum JSONResponse {
    static func make<T: Encodable>(status: HTTPResponse.Status = .ok, _ value: T) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data(#"{"error":"response could not be encoded","kind":"internal"}"#.utf8)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
