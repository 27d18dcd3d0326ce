import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A joinable thread (POSIX): `join()` returns when the body has returned and the thread is
/// gone, which is what lets `LineEpoch.close()` promise that no worker outlives it.
/// (Foundation's `Thread` cannot be joined.) Workers are left unnamed on purpose: Linux threads
/// inherit their creator's name, so the threads of OpenCV's pool, started lazily from a worker
/// and kept by OpenCV, would carry it and look like leaked workers.
final class WorkerThread {
    private final class Box {
        let body: () -> Void
        let started = DispatchSemaphore(value: 0)
        /// The kernel's id of the thread (Linux), for tests that ask the OS whether it is gone.
        var osThreadID: Int?
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    #if canImport(Glibc)
    private var thread = pthread_t()
    #else
    private var thread: pthread_t?
    #endif
    private var joined = false

    /// The kernel's thread id (Linux; nil elsewhere).
    private(set) var osThreadID: Int?

    init(_ body: @escaping @Sendable () -> Void) throws {
        let object = Box(body)
        let box = Unmanaged.passRetained(object).toOpaque()
        let status = pthread_create(&thread, nil, { context in
            #if canImport(Glibc)
            let box = Unmanaged<Box>.fromOpaque(context!).takeRetainedValue()
            #else
            let box = Unmanaged<Box>.fromOpaque(context).takeRetainedValue()
            #endif
            // /proc/thread-self -> "<pid>/task/<tid>" (Linux only; nil elsewhere).
            box.osThreadID = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self"))
                .flatMap { $0.split(separator: "/").last.flatMap { Int($0) } }
            box.started.signal()
            box.body()
            return nil
        }, box)
        guard status == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            joined = true
            throw DataError("loader: cannot start a worker thread (pthread_create: \(status))")
        }
        WorkerCount.shared.add(1)
        object.started.wait()  // so the id is known when init returns
        osThreadID = object.osThreadID
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
