import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small blocking HTTP/1.1 client over one keep-alive TCP connection - what the service's
/// tests and `ocr-bench serve` use to talk to a real server over real sockets. Only what those
/// need: IPv4 addresses, bodies with Content-Length (as the service always sends), no TLS, no
/// redirects. A TLS-capable client (async-http-client, Hummingbird's test client) would bring
/// BoringSSL into every build of the tests.
///
///     let c = try HTTPConnection(port: 18080)
///     let r = try c.send("POST", "/ocr", body: Array(pngBytes))
///     print(r.status, String(decoding: r.body, as: UTF8.self))
public final class HTTPConnection {
    public struct Response: Sendable {
        public var status: Int
        /// Header names in lower case, in order.
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        public func header(_ name: String) -> String? {
            let n = name.lowercased()
            return headers.first { $0.name == n }?.value
        }
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let host: String
    public let port: Int
    private var fd: Int32 = -1
    private var buffered = [UInt8]()

    /// Connects to `host` (an IPv4 address) and `port`; reads and writes time out after `timeout` seconds.
    public init(host: String = "127.0.0.1", port: Int, timeout: Double = 60) throws {
        self.host = host
        self.port = port
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            close()
            throw Failure(description: "\(host): not an IPv4 address")
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let message = String(cString: strerror(errno))
            close()
            throw Failure(description: "connect to \(host):\(port): \(message)")
        }
    }

    deinit { close() }

    public func close() {
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
    }

    /// Sends one request and reads its response. When the server answers before it has read the
    /// whole body (413) and closes, the response is still read.
    public func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> Response {
        guard fd >= 0 else { throw Failure(description: "the connection is closed") }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        let sendError = write(Array(head.utf8) + body)
        do {
            return try readResponse()
        } catch {
            throw sendError ?? error
        }
    }

    private func write(_ bytes: [UInt8]) -> Failure? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return Failure(description: "send: \(String(cString: strerror(errno)))") }
            offset += n
        }
        return nil
    }

    /// Reads more bytes into `buffered`; false at end of stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 { throw Failure(description: "recv: \(String(cString: strerror(errno)))") }
        buffered += chunk[0..<n]
        return n > 0
    }

    private func readResponse() throws -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        var end: Int?
        while true {
            end = RequestImages.find(separator, in: buffered, from: 0)
            if end != nil { break }
            guard try fill() else { throw Failure(description: "the server closed the connection before answering") }
        }
        let headText = String(decoding: buffered[0..<end!], as: UTF8.self)
        buffered.removeFirst(end! + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw Failure(description: "bad status line: \(headText.prefix(80))") }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let length = headers.first { $0.name == "content-length" }.flatMap { Int($0.value) }
        if let length {
            while buffered.count < length {
                guard try fill() else { throw Failure(description: "the body ended after \(buffered.count) of \(length) bytes") }
            }
        } else {
            while try fill() {}
        }
        let count = length ?? buffered.count
        let body = Array(buffered[0..<count])
        buffered.removeFirst(count)
        if headers.contains(where: { $0.name == "connection" && $0.value.lowercased() == "close" }) { close() }
        return Response(status: status, headers: headers, body: body)
    }

    /// One request on a new connection, its blocking I/O on a thread of its own (never on the
    /// cooperative pool, which the server in the same process needs).
    public static func request(host: String = "127.0.0.1", port: Int, _ method: String, _ path: String,
                               headers: [(String, String)] = [], body: [UInt8] = [], timeout: Double = 60) async throws -> Response {
        let result: Result<Response, Error> = await OCRService.offThread {
            Result { try HTTPConnection(host: host, port: port, timeout: timeout).send(method, path, headers: headers, body: body) }
        }
        return try result.get()
    }
}
