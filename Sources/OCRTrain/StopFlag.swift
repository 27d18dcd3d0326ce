import Foundation

/// Set from a signal handler or another thread; the training loop checks it between steps, then
/// writes a checkpoint and returns cleanly.
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var reason: String?

    public init() {}

    public func request(_ why: String) {
        lock.lock()
        if reason == nil { reason = why }
        lock.unlock()
    }

    public var requested: String? {
        lock.lock()
        defer { lock.unlock() }
        return reason
    }

    /// Requests a stop on SIGINT and SIGTERM (Ctrl-C, `kill`). Keep the returned sources alive.
    public func installSignalHandlers() -> [DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [weak self] in self?.request(sig == SIGINT ? "interrupted (SIGINT)" : "terminated (SIGTERM)") }
            source.resume()
            return source
        }
    }
}
