/// The rendered pages' report, in the same form as label files': the corpus, the fonts left out
/// (they draw too little of it) and how many pages an epoch has.
extension SyntheticPages: DataReporting {
    public var report: DataReport {
        var r = DataReport()
        var f = DataReport.FileCounts(file: config.corpus)
        f.entries = config.count
        f.usable = config.count
        f.perEpoch = config.count
        let skipped = fontRemarks.count
        if skipped > 0 {
            f.issues["font remarks"] = skipped
            r.totals["font remarks"] = skipped
        }
        r.files = [f]
        return r
    }
}
