/// The synthetic dataset's report, in the same form as label files': what the corpus held, what
/// was left out (outside the charset, no font draws it, empty lines) and how many lines an epoch has.
extension SyntheticLineDataset: DataReporting {
    public var report: DataReport {
        var r = DataReport()
        let c = corpus.report
        var f = DataReport.FileCounts(file: c.source)
        f.entries = c.linesRead
        f.usable = c.kept - coverage.uncovered
        f.perEpoch = count
        let issues = ["out of charset": c.leftOutForCharset, "no font draws it": coverage.uncovered,
                      "empty line": c.emptyLines, "invalid UTF-8": c.invalidUTF8Lines]
        for (k, v) in issues where v > 0 {
            f.issues[k] = v
            r.totals[k] = v
        }
        r.files = [f]
        return r
    }
}
