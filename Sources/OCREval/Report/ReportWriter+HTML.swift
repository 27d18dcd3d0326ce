extension ReportWriter {
    /// One self-contained page: the tables, the gallery with each image embedded as a PNG data
    /// URI beside its captions, the samples not read.
    public func html() -> String {
        func esc(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        func cell(_ v: ReportValue) -> String {
            if case .code(let s) = v { return "<td class=c>\(esc(s))</td>" }
            return "<td>\(esc(v.display))</td>"
        }
        func head(_ names: [String]) -> String { "<tr>" + names.map { "<th>\(esc($0))</th>" }.joined() + "</tr>\n" }
        var body = "<h1>\(esc(title))</h1>\n" + summary.map { "<p>\(esc($0))</p>\n" }.joined()
        for t in tables {
            if let heading = t.title { body += "<h2>\(esc(heading))</h2>\n" }
            body += "<table>" + head(t.header) + t.rows.map { "<tr>" + $0.map(cell).joined() + "</tr>" }.joined(separator: "\n") + "</table>\n"
        }
        if let gallery, !gallery.entries.isEmpty {
            body += "<h2>\(esc(gallery.title))</h2>\n<table>" + head(["image"] + gallery.columns.map(\.name))
            for e in gallery.entries {
                let style = gallery.imageHeight.map { " style=\"height:\($0)px\"" } ?? ""
                let img = (try? e.image?.pngDataURI()).map { "<img src=\"\($0)\"\(style)>" } ?? ""
                body += "<tr><td>\(img)</td>" + e.captions.map(cell).joined() + "</tr>\n"
            }
            body += "</table>\n"
        }
        if !notRead.isEmpty {
            body += "<h2>\(esc(notReadHeading))</h2><ul>\n"
            body += notRead.map { "<li><code>\(esc($0.location))</code>: \(esc($0.message))</li>" }.joined(separator: "\n")
            body += "</ul>\n"
        }
        return """
        <!doctype html><html><head><meta charset="utf-8"><title>\(esc(title))</title><style>
        body{font-family:sans-serif;margin:2em} table{border-collapse:collapse;margin:1em 0} td,th{border:1px solid #ccc;padding:4px 8px}
        td.c{font-family:monospace;font-size:1.1em;white-space:pre} img{image-rendering:pixelated;height:48px}
        </style></head><body>
        \(body)</body></html>
        """
    }
}
