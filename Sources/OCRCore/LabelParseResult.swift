/// Line counts of one parsed label file; every line is in exactly one of records, blank lines
/// or skipped lines.
public struct LabelFileSummary: Hashable, Sendable, Codable, CustomStringConvertible {
    public var file: String
    /// Lines in the file (a final newline does not start another line).
    public var lines = 0
    /// Lines that became records.
    public var records = 0
    /// Empty lines, ignored (PaddleOCR fails on them at load time instead).
    public var blankLines = 0
    /// Lines with issues, left out.
    public var skippedLines = 0
    /// Issues by `LabelIssue.category` (a skipped line may have several).
    public var issueCounts: [String: Int] = [:]

    public init(file: String) { self.file = file }

    public var description: String {
        var s = "\(file): \(lines) lines, \(records) records"
        if blankLines > 0 { s += ", \(blankLines) blank" }
        if skippedLines > 0 {
            s += ", \(skippedLines) skipped ("
                + issueCounts.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
        }
        return s
    }
}

/// Records, issues and per-file summaries from one or more label files.
public struct LabelParseResult<Record: Sendable>: Sendable {
    public var records: [Record] = []
    public var issues: [LabelIssue] = []
    public var summaries: [LabelFileSummary] = []

    public init() {}

    /// Appends another result (e.g. the next label file of a `label_file_list`).
    public mutating func append(_ other: LabelParseResult<Record>) {
        records += other.records
        issues += other.issues
        summaries += other.summaries
    }
}
