import Foundation

/// A fixed number of threads running page work (decoding, detection, crops, the classifier) from
/// a bounded queue: a job is refused (`.full`) when every thread is busy and `capacity` jobs
/// wait. Model runs block their thread for tens of milliseconds, so they run here and not on
/// Swift concurrency's cooperative pool or NIO's event loops, which must stay free to accept and
/// answer requests (the 503s and /health among them) while pages are read.
///
/// A job waits at most until its deadline: past it the caller gets `.timedOut` at once and a job
/// still queued is dropped unrun. A job already running cannot be stopped (ONNX Runtime has no
/// cancellation here); its result is then discarded.
final class WorkerPool: @unchecked Sendable {
    enum Refusal: Error, Equatable {
        /// Every thread is busy and `capacity` jobs wait already.
        case full
        /// The deadline passed before the job finished.
        case timedOut
        /// `shutdown()` was called.
        case stopped
    }

    private struct Job {
        var deadline: DispatchTime
        var run: () -> Void
        var expire: () -> Void
    }

    private let condition = NSCondition()
    /// Jobs in arrival order; `queue[..<head]` were taken. A taken slot is set to nil at once: a
    /// job's closure holds the request's `ModelSet`, and a consumed slot kept until the prefix
    /// was trimmed (every 1024 jobs) kept a replaced model generation alive for that long.
    private var queue = [Job?]()
    private var head = 0
    private var stopping = false
    /// Threads running a job.
    private var busy = 0
    private var threads = [Thread]()
    let capacity: Int
    /// Called with the number of queued jobs whenever it changes (the queue-depth gauge).
    private let onDepth: @Sendable (Int) -> Void

    init(threads count: Int, capacity: Int, name: String, onDepth: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.capacity = capacity
        self.onDepth = onDepth
        for i in 0..<count {
            let thread = Thread { [unowned self] in self.loop() }
            thread.name = "\(name)-\(i)"
            thread.stackSize = 8 << 20
            threads.append(thread)
            thread.start()
        }
    }

    /// Jobs waiting for a thread.
    var depth: Int { condition.withLock { queue.count - head } }

    /// Runs `work` on a pool thread and returns its result, or throws `Refusal`.
    func run<T: Sendable>(deadline: DispatchTime, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let once = ResumeOnce(continuation)
            let depth: Int? = condition.withLock {
                guard !stopping else { return nil }
                guard queue.count - head + busy < threads.count + capacity else { return -1 }
                queue.append(Job(deadline: deadline, run: { once.resume(with: Result { try work() }) },
                                 expire: { once.resume(with: .failure(Refusal.timedOut)) }))
                condition.signal()
                return queue.count - head
            }
            switch depth {
            case nil: once.resume(with: .failure(Refusal.stopped))
            case -1: once.resume(with: .failure(Refusal.full))
            case let d?:
                onDepth(d)
                DispatchQueue.global().asyncAfter(deadline: deadline) { once.resume(with: .failure(Refusal.timedOut)) }
            }
        }
    }

    /// Lets queued jobs finish, then ends the threads; later `run` calls throw `.stopped`.
    /// Blocks until every thread has finished its last job (call it off the cooperative pool).
    func shutdown() {
        condition.withLock {
            stopping = true
            condition.broadcast()
            while exited < threads.count { condition.wait() }
        }
    }

    private var exited = 0

    private func loop() {
        while true {
            let job: Job? = condition.withLock {
                while head == queue.count && !stopping { condition.wait() }
                guard head < queue.count else {
                    exited += 1
                    condition.broadcast()
                    return nil
                }
                let job = queue[head]
                queue[head] = nil
                head += 1
                // Drop the consumed prefix when the queue empties, or now and then under steady
                // load, so the array does not grow for ever.
                if head == queue.count {
                    queue.removeAll(keepingCapacity: true)
                    head = 0
                } else if head > 1024 && head * 2 > queue.count {
                    queue.removeFirst(head)
                    head = 0
                }
                busy += 1
                return job
            }
            guard let job else { return }
            onDepth(depth)
            if DispatchTime.now() >= job.deadline { job.expire() } else { job.run() }
            condition.withLock { busy -= 1 }
        }
    }
}

/// A continuation resumed by whichever comes first - the work, its deadline, a refusal - and
/// never twice.
final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Error>?

    init(_ continuation: CheckedContinuation<T, Error>) { self.continuation = continuation }

    func resume(with result: Result<T, Error>) {
        let c: CheckedContinuation<T, Error>? = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        c?.resume(with: result)
    }
}
