import Foundation
import OCRCore

/// Load-time failures (an image that is gone or does not decode) under the issue policy.
///
/// `skip`: the failure is recorded in the report (once per record) and the sample is replaced by
/// another record, chosen by a generator seeded from (seed, index) - so the replacement is the
/// same whichever worker meets it, and batches stay deterministic. Records known to be bad are
/// remembered, so later epochs skip them without touching the disk (same result, less work).
/// `fail`: a `DataError` naming the record's `file:line` is thrown.
/// `exclude` (evaluation): `SampleExcluded` is thrown and `LineLoader` leaves the sample out of its
/// batch - a replacement would score another line twice and hide the failure.
final class SampleSubstitution: @unchecked Sendable {
    struct Failure: Error {
        var issue: DataIssue
        var fileIndex: Int
    }

    let policy: LabelIssuePolicy
    let collector: DataReportCollector
    /// Replacement candidates tried before giving up (every one of them bad means the data, or
    /// `data_dir`, is wrong - not something to paper over).
    let maxAttempts = 64
    private let lock = NSLock()
    private var bad: [Int: Failure] = [:]

    init(policy: LabelIssuePolicy, collector: DataReportCollector) {
        self.policy = policy
        self.collector = collector
    }

    /// Loads epoch sample `index` through `load(record)`, replacing it on failure under `skip`.
    /// Any sample kind with a `source` (lines, detection pages) goes through the same policy.
    func sample<S: SubstitutableSample>(index: Int, seed: UInt64, count: Int, record: (Int) -> Int,
                                        load: (Int) -> Result<S, Failure>) throws -> S {
        let first = record(index)
        let failure: Failure
        switch attempt(first, load) {
        case .success(let s): return s
        case .failure(let f): failure = f
        }
        switch policy {
        case .skip: break
        case .exclude: throw SampleExcluded(issue: failure.issue)
        case .fail: throw DataError(issue: failure.issue, hint: "issue policy is 'fail'; fix or remove the line, or use 'skip'")
        }
        var rng = SplitMix64(seed: seed, UInt64(index), 0x5375_6273_7469_7475)
        for _ in 0..<maxAttempts {
            let candidate = record(rng.nextInt(below: count))
            if case .success(var s) = attempt(candidate, load) {
                collector.countSubstitution()
                s.source += " [replacing \(failure.issue.location)]"
                return s
            }
        }
        throw DataError("\(failure.issue)\n(policy 'skip': \(maxAttempts) replacement samples failed to load too; "
            + "check data_dir and the image files)")
    }

    /// A `DetectionSource`'s sample, as that protocol promises it: nil when left out under
    /// `exclude`, a `SampleFailure` naming the record otherwise. `what` names the dataset.
    func detectionSample(index: Int, seed: UInt64, count: Int, what: String, record: (Int) -> Int,
                         load: (Int) -> Result<DetectionSample, Failure>) throws -> DetectionSample? {
        guard index >= 0 && index < count else {
            throw SampleFailure(source: nil, underlying: DataError("\(what): sample \(index) out of range 0..<\(count)"))
        }
        do {
            return try sample(index: index, seed: seed, count: count, record: record, load: load)
        } catch is SampleExcluded {
            return nil
        } catch let e as DataError {
            throw SampleFailure(source: e.issue?.location, underlying: e)
        }
    }

    private func attempt<S>(_ record: Int, _ load: (Int) -> Result<S, Failure>) -> Result<S, Failure> {
        if let known = lock.withLock({ bad[record] }) { return .failure(known) }
        let result = load(record)
        if case .failure(let f) = result {
            lock.withLock { bad[record] = f }
            collector.add(f.issue, fileIndex: f.fileIndex)
        }
        return result
    }
}

/// A sample `SampleSubstitution` can stand in for another: its `source` gets
/// ` [replacing train.txt:12]` so a replacement is never mistaken for the original.
protocol SubstitutableSample {
    var source: String { get set }
}

extension LineSample: SubstitutableSample {}
