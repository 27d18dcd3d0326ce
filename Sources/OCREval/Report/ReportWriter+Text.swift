extension ReportWriter {
    /// The terminal's view: aligned tables, the gallery's captions one line per sample, the
    /// first `notReadListed` samples not read.
    public func terminalTable() -> String {
        var out = [title] + summary
        for t in tables {
            if let heading = t.title { out.append("\n" + heading.lowercased() + ":") }
            out += Self.aligned(header: t.header, rows: t.rows.map { $0.map(\.terminal) })
        }
        if let gallery, !gallery.entries.isEmpty {
            out.append("\n" + gallery.title.lowercased() + ":")
            for e in gallery.entries {
                out.append("  " + zip(gallery.columns, e.captions).map { "\($0.name) \($1.terminal)" }.joined(separator: "  "))
            }
        }
        if !notRead.isEmpty {
            out.append("\n\(notReadHeading.lowercased()):")
            out += notRead.prefix(notReadListed).map { "  \($0)" }
            if notRead.count > notReadListed {
                out.append("  ... and \(notRead.count - notReadListed) more (report.json, .md and .html list them all)")
            }
        }
        return out.joined(separator: "\n")
    }

    /// Columns padded to their widest cell: the first left-aligned, the others right-aligned.
    static func aligned(header: [String], rows: [[String]]) -> [String] {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { c < $0.count ? $0[c].count : 0 }.max()! }
        func fmt(_ r: [String]) -> String {
            r.enumerated().map { c, v in c == 0 ? v.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                : String(repeating: " ", count: max(widths[c] - v.count, 0)) + v }.joined(separator: "  ")
        }
        return [fmt(header), String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1))] + rows.map(fmt)
    }

    public func markdown() -> String {
        func cell(_ v: ReportValue) -> String {
            let s = v.display.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
            if case .code = v { return "`\(s)`" }
            return s
        }
        func table(_ header: [String], _ rows: [[ReportValue]]) -> [String] {
            ["| " + header.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: header.count)]
                + rows.map { "| " + $0.map(cell).joined(separator: " | ") + " |" }
        }
        var out = ["# \(title)", ""]
        for line in summary { out += [line, ""] }
        for t in tables {
            if let heading = t.title { out += ["## \(heading)", ""] }
            out += table(t.header, t.rows) + [""]
        }
        if let gallery, !gallery.entries.isEmpty {
            out += ["## \(gallery.title)", ""] + table(gallery.columns.map(\.name), gallery.entries.map(\.captions)) + [""]
        }
        if !notRead.isEmpty {
            out += ["## \(notReadHeading)", ""] + notRead.map { "- `\($0.location)`: \($0.message)" } + [""]
        }
        return out.joined(separator: "\n")
    }
}
