import Foundation
import Imaging
import OCRCore
import OCRData

/// An evaluation written four ways: a terminal table, JSON, Markdown, and an HTML page showing the
/// worst samples' images with prediction and truth side by side. Each starts with how many lines
/// were scored and how many could not be read, and lists the latter by `file:line` (all of them;
/// the terminal the first `notReadListed`).
public struct EvalReport {
    public var title: String
    public var result: RecognitionEvaluator.Result
    public var worstCount = 20
    public var confusionCount = 15
    /// Lines that could not be read listed in the terminal (the files list every one).
    public var notReadListed = 20

    public init(title: String, result: RecognitionEvaluator.Result) {
        self.title = title
        self.result = result
    }

    var metrics: RecognitionMetrics { result.metrics }

    static func pct(_ v: Double) -> String { String(format: "%.2f%%", v * 100) }

    /// "1021 lines scored, 3 could not be read".
    var countsLine: String { "\(result.scoredCount) lines scored, \(result.notScored.count) could not be read" }

    static let notReadHeading = "Lines that could not be read (not scored)"

    /// Rows: name, lines, line acc, case-insensitive acc, char acc, CER, WER, NED.
    func rows() -> [[String]] {
        func row(_ name: String, _ s: RecognitionMetrics.Summary) -> [String] {
            [name, "\(s.samples)", EvalReport.pct(s.lineAccuracy), EvalReport.pct(s.caseInsensitiveLineAccuracy),
             EvalReport.pct(s.characterAccuracy), EvalReport.pct(s.characterErrorRate), EvalReport.pct(s.wordErrorRate),
             String(format: "%.4f", s.normalizedEditDistance)]
        }
        return [row("all", metrics.overall)] + metrics.groupKeys.map { row($0, metrics.groups[$0]!) }
    }

    static let header = ["group", "lines", "line acc", "acc (case-ins.)", "char acc", "CER", "WER", "NED"]

    public func terminalTable() -> String {
        let all = [EvalReport.header] + rows()
        let widths = (0..<EvalReport.header.count).map { c in all.map { $0[c].count }.max()! }
        func fmt(_ r: [String]) -> String {
            r.enumerated().map { c, v in c == 0 ? v.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                : String(repeating: " ", count: widths[c] - v.count) + v }.joined(separator: "  ")
        }
        var out = [title, countsLine, fmt(all[0]), String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))]
        out += all.dropFirst().map(fmt)
        let subs = metrics.confusions.topSubstitutions(confusionCount)
        if !subs.isEmpty {
            out.append("\nmost frequent confusions (truth -> read): " + subs.map { "\($0.pair) x\($0.count)" }.joined(separator: ", "))
        }
        if !result.worst.isEmpty {
            out.append("\nworst lines:")
            for p in result.worst.prefix(worstCount) {
                out.append("  [ed \(p.editDistance)] \(p.source): truth \(p.truth.debugDescription)  read \(p.text.debugDescription)")
            }
        }
        if !result.notScored.isEmpty {
            out.append("\n\(EvalReport.notReadHeading.lowercased()):")
            out += result.notScored.prefix(notReadListed).map { "  \($0)" }
            if result.notScored.count > notReadListed {
                out.append("  ... and \(result.notScored.count - notReadListed) more (report.json, .md and .html list them all)")
            }
        }
        return out.joined(separator: "\n")
    }

    public func json() throws -> Data {
        var groups: [String: Any] = [:]
        for k in metrics.groupKeys { groups[k] = EvalReport.fields(metrics.groups[k]!) }
        let doc: [String: Any] = [
            "title": title, "overall": EvalReport.fields(metrics.overall), "groups": groups,
            "lines_scored": result.scoredCount, "lines_not_read": result.notScored.count,
            "not_read": result.notScored.map {
                ["location": $0.location, "category": $0.category, "reason": $0.message] as [String: Any]
            },
            "samples_per_second": result.samplesPerSecond,
            "confusions": metrics.confusions.topSubstitutions(confusionCount).map {
                ["truth": $0.pair.groundTruth, "read": $0.pair.prediction, "count": $0.count] as [String: Any]
            },
            "deletions": metrics.confusions.topDeletions(confusionCount).map { ["character": $0.character, "count": $0.count] as [String: Any] },
            "insertions": metrics.confusions.topInsertions(confusionCount).map { ["character": $0.character, "count": $0.count] as [String: Any] },
            "worst": result.worst.prefix(worstCount).map {
                ["source": $0.source, "group": $0.group, "truth": $0.truth, "read": $0.text, "edit_distance": $0.editDistance,
                 "confidence": Double($0.confidence)] as [String: Any]
            },
        ]
        return try JSONSerialization.data(withJSONObject: doc, options: [.prettyPrinted, .sortedKeys])
    }

    static func fields(_ s: RecognitionMetrics.Summary) -> [String: Any] {
        ["lines": s.samples, "acc": s.lineAccuracy, "acc_case_insensitive": s.caseInsensitiveLineAccuracy,
         "char_acc": s.characterAccuracy, "cer": s.characterErrorRate, "wer": s.wordErrorRate, "norm_edit_dis": s.normalizedEditDistance]
    }

    public func markdown() -> String {
        var out = ["# \(title)", "", countsLine, "", "| " + EvalReport.header.joined(separator: " | ") + " |",
                   "|" + String(repeating: "---|", count: EvalReport.header.count)]
        out += rows().map { "| " + $0.joined(separator: " | ") + " |" }
        let subs = metrics.confusions.topSubstitutions(confusionCount)
        if !subs.isEmpty {
            out += ["", "## Most frequent confusions", "", "| truth | read | count |", "|---|---|---|"]
            out += subs.map { "| `\($0.pair.groundTruth)` | `\($0.pair.prediction)` | \($0.count) |" }
        }
        if !result.worst.isEmpty {
            out += ["", "## Worst lines", "", "| source | truth | read | edits |", "|---|---|---|---|"]
            out += result.worst.prefix(worstCount).map { "| \($0.source) | `\($0.truth)` | `\($0.text)` | \($0.editDistance) |" }
        }
        if !result.notScored.isEmpty {
            out += ["", "## \(EvalReport.notReadHeading)", ""]
            out += result.notScored.map { "- `\($0.location)`: \($0.message)" }
        }
        return out.joined(separator: "\n") + "\n"
    }

    public func html() -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        var body = "<h1>\(esc(title))</h1>\n<p>\(esc(countsLine))</p>\n<table><tr>" + EvalReport.header.map { "<th>\(esc($0))</th>" }.joined() + "</tr>\n"
        body += rows().map { "<tr>" + $0.map { "<td>\(esc($0))</td>" }.joined() + "</tr>" }.joined(separator: "\n") + "</table>\n"
        let subs = metrics.confusions.topSubstitutions(confusionCount)
        if !subs.isEmpty {
            body += "<h2>Most frequent confusions</h2><table><tr><th>truth</th><th>read</th><th>count</th></tr>"
            body += subs.map { "<tr><td><code>\(esc($0.pair.groundTruth))</code></td><td><code>\(esc($0.pair.prediction))</code></td><td>\($0.count)</td></tr>" }.joined()
            body += "</table>\n"
        }
        if !result.worst.isEmpty {
            body += "<h2>Worst lines</h2><table><tr><th>image</th><th>truth</th><th>read</th><th>edits</th><th>confidence</th><th>source</th></tr>\n"
            for p in result.worst.prefix(worstCount) {
                var img = ""
                if let i = p.image, let image = try? Image(width: i.width, height: i.height, colorOrder: .bgr, pixels: i.pixels),
                   let png = try? image.encoded(as: .png) {
                    img = "<img src=\"data:image/png;base64,\(png.base64EncodedString())\">"
                }
                body += "<tr><td>\(img)</td><td class=t>\(esc(p.truth))</td><td class=r>\(esc(p.text))</td><td>\(p.editDistance)</td>"
                    + String(format: "<td>%.3f</td>", p.confidence) + "<td>\(esc(p.source))</td></tr>\n"
            }
            body += "</table>\n"
        }
        if !result.notScored.isEmpty {
            body += "<h2>\(esc(EvalReport.notReadHeading))</h2><ul>\n"
            body += result.notScored.map { "<li><code>\(esc($0.location))</code>: \(esc($0.message))</li>" }.joined(separator: "\n")
            body += "</ul>\n"
        }
        return """
        <!doctype html><html><head><meta charset="utf-8"><title>\(esc(title))</title><style>
        body{font-family:sans-serif;margin:2em} table{border-collapse:collapse;margin:1em 0} td,th{border:1px solid #ccc;padding:4px 8px}
        td.t{color:#060;font-family:monospace;font-size:1.1em} td.r{color:#a00;font-family:monospace;font-size:1.1em} img{image-rendering:pixelated;height:48px}
        </style></head><body>
        \(body)</body></html>
        """
    }

    /// Writes report.json, report.md and report.html into `directory`.
    public func write(to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try json().write(to: URL(fileURLWithPath: directory + "/report.json"))
        try markdown().write(toFile: directory + "/report.md", atomically: true, encoding: .utf8)
        try html().write(toFile: directory + "/report.html", atomically: true, encoding: .utf8)
    }
}
