import Foundation

/// One cell of a report table or gallery caption: shown formatted in the terminal, Markdown and
/// HTML, written to report.json as the value itself (a share as 0.9531, not "95.31%").
public enum ReportValue: Sendable, Equatable {
    /// Plain text, shown as it is.
    case text(String)
    /// Text a model read or should have read: quoted in the terminal, code in Markdown and HTML,
    /// so spaces and empty strings stay visible.
    case code(String)
    case count(Int)
    /// A fraction shown as a percentage: 0.9531 -> "95.31%".
    case share(Double)
    /// A number shown with `decimals` digits after the point.
    case number(Double, decimals: Int)

    /// The text the terminal and Markdown show (`code` unquoted; each writer marks it its own way).
    public var display: String {
        switch self {
        case .text(let s), .code(let s): s
        case .count(let n): "\(n)"
        case .share(let v): String(format: "%.2f%%", v * 100)
        case .number(let v, let d): String(format: "%.\(d)f", v)
        }
    }

    /// The terminal's form: `code` values quoted, with escapes.
    var terminal: String {
        if case .code(let s) = self { return s.debugDescription }
        return display
    }

    /// What report.json holds.
    var json: Any {
        switch self {
        case .text(let s), .code(let s): s
        case .count(let n): n
        case .share(let v), .number(let v, _): v
        }
    }
}
