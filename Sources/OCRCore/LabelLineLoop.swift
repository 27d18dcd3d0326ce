import Foundation

/// The line loop shared by the recognition and detection readers: blank lines, UTF-8, the
/// path/label split, issue bookkeeping and the skip/fail policy.
enum LabelLineLoop {
    /// `parse` gets (path, label, line number) and returns the record or the line's issue kinds.
    static func run<Record>(_ lines: TextLines, file: String, policy: LabelIssuePolicy,
                            parse: (_ path: String, _ label: String, _ line: Int) -> Result<Record, KindList>) throws -> LabelParseResult<Record> {
        var result = LabelParseResult<Record>()
        var summary = LabelFileSummary(file: file)
        for line in lines.lines {
            summary.lines += 1
            var kinds = [LabelIssue.Kind]()
            if let text = line.text {
                if text.isEmpty {
                    summary.blankLines += 1
                    continue
                }
                // Split on the first tab; tabs are single-scalar, safe to find by scalar.
                if let tab = text.unicodeScalars.firstIndex(of: "\t") {
                    let path = String(text.unicodeScalars[..<tab])
                    let label = String(text.unicodeScalars[text.unicodeScalars.index(after: tab)...])
                    if path.trimmingCharacters(in: .whitespaces).isEmpty { kinds.append(.emptyPath) }
                    switch parse(path, label, line.number) {
                    case .success(let record) where kinds.isEmpty:
                        result.records.append(record)
                        summary.records += 1
                        continue
                    case .success: break
                    case .failure(let more): kinds += more.kinds
                    }
                } else {
                    kinds.append(.missingTab)
                }
            } else {
                kinds.append(.invalidUTF8)
            }
            let issues = kinds.map { LabelIssue(file: file, line: line.number, kind: $0) }
            if policy == .fail { throw LabelFileError(issues: issues) }
            result.issues += issues
            summary.skippedLines += 1
            for i in issues { summary.issueCounts[i.category, default: 0] += 1 }
        }
        result.summaries = [summary]
        return result
    }

    /// Issue kinds as an Error so they fit in a `Result`.
    struct KindList: Error { var kinds: [LabelIssue.Kind] }
}
