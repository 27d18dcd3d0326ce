import Foundation
import Imaging
import OCRInference

/// Recognises the crops of several requests' pages in shared recogniser calls (dynamic batching):
/// a page's crops wait at most `maxWait` for crops of other pages, then run together, up to
/// `maxBatch` crops a call (a page with more runs alone, never split). The recogniser sorts the
/// gathered crops by aspect ratio and runs them `rec_batch_size` at a time, so lines of similar
/// width from different pages share a model run and pad less than each page's own would.
///
/// Pages read by different model sets (a reload in between) are never mixed: a call takes the
/// oldest page's recogniser and only pages of the same one.
final class RecognitionBatcher: @unchecked Sendable {
    struct Options: Sendable {
        var maxBatch: Int
        var maxWait: Double
        var threads: Int
    }

    /// What one page got: its recognitions (in crop order), the seconds its batch ran, and the
    /// seconds it waited for the batch to start.
    struct Result: Sendable {
        var recognitions: [TextRecognizer.Recognition]
        var seconds: Double
        var waited: Double
    }

    private struct Pending {
        var crops: [Image]
        var recognizer: TextRecognizer
        var owner: ObjectIdentifier
        var arrived: Date
        var deadline: Date
        var once: ResumeOnce<Result>
    }

    private let options: Options
    private let condition = NSCondition()
    private var pending = [Pending]()
    private var stopping = false
    private var exited = 0
    private var threadCount = 0
    /// Called with the crops of each batch and the seconds it ran (the batch-size histogram).
    private let onBatch: @Sendable (Int, Double) -> Void

    init(options: Options, onBatch: @escaping @Sendable (Int, Double) -> Void = { _, _ in }) {
        self.options = options
        self.onBatch = onBatch
        threadCount = options.threads
        for i in 0..<options.threads {
            let thread = Thread { [unowned self] in self.loop() }
            thread.name = "ocr-rec-batch-\(i)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// Recognises `crops` with `models`' recogniser, batched with other pages' crops.
    func recognize(_ crops: [Image], models: ModelSet, deadline: Date) async throws -> Result {
        guard !crops.isEmpty else { return Result(recognitions: [], seconds: 0, waited: 0) }
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, Error>) in
            let once = ResumeOnce(continuation)
            let accepted = condition.withLock {
                guard !stopping else { return false }
                pending.append(Pending(crops: crops, recognizer: models.reader.recognizer, owner: ObjectIdentifier(models),
                                       arrived: Date(), deadline: deadline, once: once))
                condition.broadcast()
                return true
            }
            guard accepted else { return once.resume(with: .failure(WorkerPool.Refusal.stopped)) }
            // The caller is answered at its deadline even while a batch thread is busy; the page
            // is then dropped when a thread next looks at the queue.
            let wait = max(0, deadline.timeIntervalSinceNow)
            DispatchQueue.global().asyncAfter(deadline: .now() + wait) { once.resume(with: .failure(WorkerPool.Refusal.timedOut)) }
        }
    }

    /// Runs what is pending, then ends the threads. Blocks until they have ended.
    func shutdown() {
        condition.withLock {
            stopping = true
            condition.broadcast()
            while exited < threadCount { condition.wait() }
        }
    }

    private func loop() {
        while let batch = nextBatch() {
            let started = Date()
            let crops = batch.flatMap(\.crops)
            let outcome = Swift.Result { try batch[0].recognizer.recognize(crops) }
            let seconds = Date().timeIntervalSince(started)
            onBatch(crops.count, seconds)
            var offset = 0
            for page in batch {
                let n = page.crops.count
                page.once.resume(with: outcome.map {
                    Result(recognitions: Array($0[offset..<offset + n]), seconds: seconds, waited: started.timeIntervalSince(page.arrived))
                })
                offset += n
            }
        }
    }

    /// Waits for pages, then for more until `maxBatch` crops or the oldest page's `maxWait`, and
    /// takes the batch out of `pending`. Pages past their deadline are answered `.timedOut` here.
    /// Nil once stopping with nothing left.
    private func nextBatch() -> [Pending]? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            while pending.isEmpty && !stopping { condition.wait() }
            if pending.isEmpty {
                exited += 1
                condition.broadcast()
                return nil
            }
            let now = Date()
            pending.removeAll { page in
                guard page.deadline <= now else { return false }
                page.once.resume(with: .failure(WorkerPool.Refusal.timedOut))
                return true
            }
            guard let first = pending.first else { continue }
            let due = first.arrived.addingTimeInterval(options.maxWait)
            let gathered = pending.filter { $0.owner == first.owner }.reduce(0) { $0 + $1.crops.count }
            if gathered < options.maxBatch && Date() < due && !stopping {
                _ = condition.wait(until: due)
                continue
            }
            var batch = [Pending](), count = 0, taken = [Int]()
            for (i, page) in pending.enumerated() where page.owner == first.owner {
                guard batch.isEmpty || count + page.crops.count <= options.maxBatch else { continue }
                batch.append(page)
                taken.append(i)
                count += page.crops.count
            }
            for i in taken.reversed() { pending.remove(at: i) }
            return batch
        }
    }
}
