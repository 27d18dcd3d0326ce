import Foundation
import Imaging
import OCRCore

/// An evaluation written four ways: a terminal table, JSON, Markdown, and an HTML page showing the
/// worst samples' images with prediction and truth side by side.
public struct EvalReport {
    public var title: String
    public var result: RecognitionEvaluator.Result
    public var worstCount = 20
    public var confusionCount = 15

    public init(title: String, result: RecognitionEvaluator.Result) {
        self.title = title
        self.result = result
    }

    var metrics: RecognitionMetrics { result.metrics }

    static func pct(_ v: Double) -> String { String(format: "%.2f%%", v * 100) }

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
        var out = [title, fmt(all[0]), String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))]
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
        return out.joined(separator: "\n")
    }

    public func json() throws -> Data {
        var groups: [String: Any] = [:]
        for k in metrics.groupKeys { groups[k] = EvalReport.fields(metrics.groups[k]!) }
        let doc: [String: Any] = [
            "title": title, "overall": EvalReport.fields(metrics.overall), "groups": groups,
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
        var out = ["# \(title)", "", "| " + EvalReport.header.joined(separator: " | ") + " |",
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
        return out.joined(separator: "\n") + "\n"
    }

    public func html() -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        var body = "<h1>\(esc(title))</h1>\n<table><tr>" + EvalReport.header.map { "<th>\(esc($0))</th>" }.joined() + "</tr>\n"
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
