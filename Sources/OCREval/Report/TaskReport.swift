import Foundation

/// A task's evaluation report (`EvalReport` for recognisers, `ClassificationReport` for
/// classifiers): it only builds the generic `ReportWriter`; the writing comes from here.
public protocol TaskReport {
    var writer: ReportWriter { get }
}

extension TaskReport {
    public func terminalTable() -> String { writer.terminalTable() }
    public func json() throws -> Data { try writer.json() }
    public func markdown() -> String { writer.markdown() }
    public func html() -> String { writer.html() }
    /// Writes report.json, report.md and report.html into `directory`.
    public func write(to directory: String) throws { try writer.write(to: directory) }
}
