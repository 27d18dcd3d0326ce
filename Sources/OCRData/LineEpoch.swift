import Foundation

/// One epoch of batches from a `DataLoader`, in order. Use from one thread.
///
/// Workers start when the epoch is made and stop when it is closed, released, exhausted or
/// fails: `close()` returns only after every worker thread has exited. A worker's error
/// reaches the consumer at the batch it belongs to (the same point whatever the worker count),
/// as a `LoaderError` naming the sample; the epoch is then closed and `next()` throws it again.
public final class LoaderEpoch<Assembler: BatchAssembler> {
    public let epoch: Int
    private let loader: DataLoader<Assembler>
    private let state: State
    private var failure: (any Error)?
    private var inlineStats = LoaderStats()
    private let started = ContinuousClock.now
    private var threads: [WorkerThread] = []

    /// Shared with the workers; every field is guarded by `cond`.
    final class State: @unchecked Sendable {
        let cond = NSCondition()
        let order: [Int]
        let end: Int
        let window: Int
        var nextClaim: Int
        var nextDeliver: Int
        var results: [Int: Result<Assembler.Batch, any Error>] = [:]
        var cancelled = false
        var stats = LoaderStats()

        init(order: [Int], start: Int, end: Int, window: Int) {
            self.order = order
            self.end = end
            self.window = window
            nextClaim = start
            nextDeliver = start
        }
    }

    init(loader: DataLoader<Assembler>, epoch: Int, start: Int) {
        self.loader = loader
        self.epoch = epoch
        let end = loader.batchesPerEpoch
        state = State(order: loader.order(epoch: epoch), start: min(max(0, start), end), end: end,
                      window: loader.options.window)
        let workers = min(loader.options.workers, max(0, end - state.nextClaim))
        for _ in 0..<workers {
            do {
                threads.append(try WorkerThread { [state, loader, epoch] in Self.work(state: state, loader: loader, epoch: epoch) })
            } catch {
                failure = error
                break
            }
        }
    }

    deinit { close() }

    /// The next batch to be delivered: save it to resume here.
    public var position: LoaderPosition {
        state.cond.withLock { LoaderPosition(epoch: epoch, batch: state.nextDeliver) }
    }

    /// Kernel ids of the worker threads still held (Linux), for tests.
    var workerOSThreadIDs: [Int] { threads.compactMap(\.osThreadID) }

    /// Batches this epoch will deliver in all (from its start).
    public var batchCount: Int { state.end }

    public var stats: LoaderStats {
        var s = loader.options.workers == 0 ? inlineStats : state.cond.withLock { state.stats }
        // Inline, the consumer waits for all of the work.
        if loader.options.workers == 0 { s.waitSeconds = s.loadSeconds + s.augmentSeconds + s.resizeSeconds }
        s.elapsedSeconds = Self.seconds(ContinuousClock.now - started)
        return s
    }

    /// The next batch, nil at the end of the epoch. Blocks while the workers catch up.
    public func next() throws -> Assembler.Batch? {
        if let failure { throw failure }
        if loader.options.workers == 0 { return try nextInline() }
        let s = state
        s.cond.lock()
        guard s.nextDeliver < s.end, !s.cancelled else {
            s.cond.unlock()
            return nil
        }
        let t = ContinuousClock.now
        while s.results[s.nextDeliver] == nil { s.cond.wait() }
        s.stats.waitSeconds += Self.seconds(ContinuousClock.now - t)
        let result = s.results.removeValue(forKey: s.nextDeliver)!
        s.nextDeliver += 1
        s.cond.broadcast()  // a prefetch slot is free
        s.cond.unlock()
        switch result {
        case .success(let batch):
            if position.batch >= state.end { close() }
            return batch
        case .failure(let error):
            failure = error
            close()
            throw error
        }
    }

    private func nextInline() throws -> Assembler.Batch? {
        let b = state.nextDeliver
        guard b < state.end, !state.cancelled else { return nil }
        do {
            let batch = try loader.makeBatch(epoch: epoch, index: b, order: state.order, stats: &inlineStats) { false }
            state.cond.withLock { state.nextDeliver += 1 }
            return batch
        } catch {
            failure = error
            throw error
        }
    }

    /// Stops the workers and waits for their threads to exit. Safe to call more than once.
    public func close() {
        state.cond.withLock {
            state.cancelled = true
            state.cond.broadcast()
        }
        for t in threads { t.join() }
        threads.removeAll()
        state.cond.withLock { state.results.removeAll() }
    }

    private static func work(state s: State, loader: DataLoader<Assembler>, epoch: Int) {
        while true {
            s.cond.lock()
            while !s.cancelled && s.nextClaim < s.end && s.nextClaim >= s.nextDeliver + s.window { s.cond.wait() }
            if s.cancelled || s.nextClaim >= s.end {
                s.cond.unlock()
                return
            }
            let b = s.nextClaim
            s.nextClaim += 1
            s.cond.unlock()

            var stats = LoaderStats()
            let result: Result<Assembler.Batch, any Error>
            do {
                result = .success(try loader.makeBatch(epoch: epoch, index: b, order: s.order, stats: &stats) {
                    s.cond.withLock { s.cancelled }
                })
            } catch is DataLoader<Assembler>.Cancelled {
                continue
            } catch {
                result = .failure(error)
            }
            s.cond.withLock {
                s.results[b] = result
                s.stats.batches += stats.batches
                s.stats.samples += stats.samples
                s.stats.loadSeconds += stats.loadSeconds
                s.stats.augmentSeconds += stats.augmentSeconds
                s.stats.resizeSeconds += stats.resizeSeconds
                s.cond.broadcast()
            }
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
