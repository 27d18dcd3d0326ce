#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A joinable thread (POSIX): `join()` returns when the body has returned and the thread is
/// gone, which is what lets `LineEpoch.close()` promise that no worker outlives it.
/// (Foundation's `Thread` cannot be joined.)
final class WorkerThread {
    private final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    #if canImport(Glibc)
    private var thread = pthread_t()
    #else
    private var thread: pthread_t?
    #endif
    private var joined = false

    init(_ body: @escaping @Sendable () -> Void) throws {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        let status = pthread_create(&thread, nil, { context in
            #if canImport(Glibc)
            let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
            #else
            let box = Unmanaged<Box>.fromOpaque(context).takeRetainedValue()
            #endif
            box.body()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            joined = true
            throw DataError("loader: cannot start a worker thread (pthread_create: \(status))")
        }
        WorkerCount.shared.add(1)
    }

    /// Waits for the thread to finish. Idempotent.
    func join() {
        guard !joined else { return }
        joined = true
        #if canImport(Glibc)
        pthread_join(thread, nil)
        #else
        pthread_join(thread!, nil)
        #endif
        WorkerCount.shared.add(-1)
    }

    deinit { join() }
}
