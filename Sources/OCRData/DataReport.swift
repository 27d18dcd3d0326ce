import Foundation
import OCRCore

/// What a dataset found wrong with its inputs, and what it did about it: counts per file and
/// category, the first few examples of each category, and how often a sample was replaced
/// at load time. Nothing a dataset leaves out goes uncounted here.
public struct DataReport: Sendable, CustomStringConvertible {
    /// Per input file (label file or packed file), in the order given.
    public struct FileCounts: Sendable, Hashable {
        public var file: String
        /// Non-blank lines (label files) or stored records (packed files).
        public var entries = 0
        /// Entries usable as samples (after every check done up front).
        public var usable = 0
        /// Samples drawn from this file per epoch (`round(usable * ratio)`).
        public var perEpoch = 0
        /// Entries left out or found bad, by category (an entry may have several).
        public var issues: [String: Int] = [:]

        public init(file: String) { self.file = file }
    }

    public var files: [FileCounts] = []
    /// The first `exampleLimit` issues of each category, in the order found.
    public var examples: [DataIssue] = []
    /// Issues per category over all files (same numbers as the sum of `files[i].issues`).
    public var totals: [String: Int] = [:]
    /// Times a sample whose image failed at load time was replaced by another (policy `skip`).
    /// Counted per event: a bad image met in every epoch counts once per epoch here, but once
    /// in `totals`.
    public var substitutions = 0
    /// Under policy `exclude` (evaluation), every record left out - label lines that could not be
    /// used, images missing up front or failing to load - one entry per record (a record's issues
    /// joined), in file and line order. Empty under `skip` and `fail`, which keep only `examples`.
    public var excluded: [DataIssue] = []

    public init() {}

    /// All issues of `category` (in `file`, when given).
    public func count(_ category: String, file: String? = nil) -> Int {
        guard let file else { return totals[category] ?? 0 }
        return files.filter { $0.file == file }.reduce(0) { $0 + ($1.issues[category] ?? 0) }
    }

    /// Issues of every category.
    public var issueCount: Int { totals.values.reduce(0, +) }

    public var description: String {
        var lines = files.map { f -> String in
            var s = "\(f.file): \(f.entries) entries, \(f.usable) usable, \(f.perEpoch) per epoch"
            if !f.issues.isEmpty {
                s += "; " + f.issues.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            }
            return s
        }
        if substitutions > 0 { lines.append("\(substitutions) samples replaced at load time (bad images, policy skip)") }
        if !examples.isEmpty {
            lines.append("examples:")
            lines += examples.map { "  \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}

/// Collects issues from several threads (load-time failures come from loader workers).
/// Load-time issues are counted once per record, however often the record is met.
final class DataReportCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var report = DataReport()
    private var seen = Set<String>()
    private var examplesPerCategory: [String: Int] = [:]
    /// Every issue with its file's index, when `keepsAll`.
    private var all: [(fileIndex: Int, issue: DataIssue)] = []
    let exampleLimit: Int
    let keepsAll: Bool

    /// `keepsAll`: keep every issue for `DataReport.excluded` (policy `exclude`).
    init(files: [String], exampleLimit: Int, keepsAll: Bool = false) {
        self.exampleLimit = exampleLimit
        self.keepsAll = keepsAll
        report.files = files.map { DataReport.FileCounts(file: $0) }
    }

    func update(file index: Int, _ body: (inout DataReport.FileCounts) -> Void) {
        lock.withLock { body(&report.files[index]) }
    }

    /// Adds an issue; returns false if the same (location, category) was already recorded.
    @discardableResult
    func add(_ issue: DataIssue, fileIndex: Int) -> Bool {
        lock.withLock {
            guard seen.insert("\(issue.location)\u{0}\(issue.category)").inserted else { return false }
            report.files[fileIndex].issues[issue.category, default: 0] += 1
            report.totals[issue.category, default: 0] += 1
            if examplesPerCategory[issue.category, default: 0] < exampleLimit {
                examplesPerCategory[issue.category, default: 0] += 1
                report.examples.append(issue)
            }
            if keepsAll { all.append((fileIndex, issue)) }
            return true
        }
    }

    func countSubstitution() { lock.withLock { report.substitutions += 1 } }

    var snapshot: DataReport {
        lock.withLock {
            var r = report
            r.excluded = Self.perRecord(all)
            return r
        }
    }

    /// One issue per record, sorted by file, line and category: load-time issues arrive from
    /// worker threads in any order, and the list must not depend on it.
    static func perRecord(_ all: [(fileIndex: Int, issue: DataIssue)]) -> [DataIssue] {
        let sorted = all.sorted { a, b in
            (a.fileIndex, a.issue.line, a.issue.category) < (b.fileIndex, b.issue.line, b.issue.category)
        }
        var out = [DataIssue]()
        var last: (file: Int, line: Int)?
        for (f, issue) in sorted {
            if let l = last, l.file == f, l.line == issue.line {
                out[out.count - 1].category += "+" + issue.category
                out[out.count - 1].message += "; " + issue.message
                out[out.count - 1].imagePath = out[out.count - 1].imagePath ?? issue.imagePath
            } else {
                out.append(issue)
                last = (f, issue.line)
            }
        }
        return out
    }
}

/// A dataset that reports what it found wrong with its inputs (`DataReport`).
public protocol DataReporting: Sendable {
    var report: DataReport { get }
}
