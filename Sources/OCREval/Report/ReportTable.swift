/// A table of a report (the overall figures, a breakdown per group, a confusion matrix): a header
/// and rows of values. The first column names the row; it is left-aligned, the others right-aligned.
public struct ReportTable: Sendable {
    /// A heading above the table; nil for the report's main table, shown right under the title.
    public var title: String?
    public var header: [String]
    public var rows: [[ReportValue]]

    public init(title: String? = nil, header: [String], rows: [[ReportValue]]) {
        self.title = title
        self.header = header
        self.rows = rows
    }
}
