import Foundation
import OCRData

/// One evaluation report for every task, written four ways: a terminal table, report.json,
/// report.md and report.html (the gallery's images embedded as PNG data URIs). It holds what
/// every task's report has - a title, summary lines (how many samples were scored, how many could
/// not be read), one or more tables, the samples not read (`file:line: reason`, all of them in the
/// files, the first `notReadListed` in the terminal) and a gallery - plus the task's own typed
/// figures for report.json. Tasks build it (`EvalReport`, `ClassificationReport`); none writes
/// its own.
public struct ReportWriter {
    public var title: String
    /// Lines under the title ("1021 lines scored, 3 could not be read").
    public var summary: [String]
    public var tables: [ReportTable]
    /// Samples that were not scored, in file order.
    public var notRead: [DataIssue]
    public var notReadHeading = "Lines that could not be read (not scored)"
    /// How many of `notRead` the terminal lists (the files list every one).
    public var notReadListed = 20
    public var gallery: ReportGallery?
    /// The task's own figures for report.json (JSONSerialization values: numbers, strings,
    /// arrays, dictionaries), beside the keys the writer owns: title, summary, tables, not_read
    /// and the gallery's key.
    public var fields: [String: Any] = [:]

    public init(title: String, summary: [String] = [], tables: [ReportTable], notRead: [DataIssue] = [],
                gallery: ReportGallery? = nil) {
        self.title = title
        self.summary = summary
        self.tables = tables
        self.notRead = notRead
        self.gallery = gallery
    }

    public func json() throws -> Data {
        var doc: [String: Any] = [
            "title": title, "summary": summary,
            "tables": tables.map { t in
                ["title": t.title ?? "", "header": t.header, "rows": t.rows.map { $0.map(\.json) }] as [String: Any]
            },
            "not_read": notRead.map { ["location": $0.location, "category": $0.category, "reason": $0.message] as [String: Any] },
        ]
        if let gallery {
            doc[gallery.key] = gallery.entries.map { e in
                Dictionary(zip(gallery.columns.map(\.key), e.captions.map(\.json)), uniquingKeysWith: { a, _ in a })
            }
        }
        doc.merge(fields) { own, _ in own }
        return try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
    }

    /// Writes report.json, report.md and report.html into `directory`.
    public func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try json().write(to: URL(fileURLWithPath: directory + "/report.json"))
        try markdown().write(toFile: directory + "/report.md", atomically: true, encoding: .utf8)
        try html().write(toFile: directory + "/report.html", atomically: true, encoding: .utf8)
    }
}
