import Foundation

/// A line classifier's evaluation as a `ReportWriter`: accuracy and per-class recall overall and
/// per group ("-" for a class without samples), the confusion matrix, the most confidently wrong
/// samples with their images, and the samples that could not be read. report.json also keeps the typed figures: accuracy,
/// recall, confusion, groups, lines_scored, lines_not_read, samples_per_second, worst.
public struct ClassificationReport: TaskReport {
    public var title: String
    public var result: ClassificationEvaluation
    public var worstCount = 20
    /// Samples that could not be read listed in the terminal (the files list every one).
    public var notReadListed = 20

    public init(title: String, result: ClassificationEvaluation) {
        self.title = title
        self.result = result
    }

    var labels: [String] { result.labels }

    /// "1021 lines scored, 3 could not be read".
    var countsLine: String { "\(result.samples) lines scored, \(result.notScored.count) could not be read" }

    /// group, samples, acc, recall per class: overall, then per group.
    var figuresTable: ReportTable {
        func row(_ name: String, _ m: [[Int]]) -> [ReportValue] {
            [.text(name), .count(ClassificationEvaluation.samples(m)), .share(ClassificationEvaluation.accuracy(m))]
                + labels.indices.map { m[$0].reduce(0, +) == 0 ? .text("-") : .share(ClassificationEvaluation.recall(m, $0)) }
        }
        return ReportTable(header: ["group", "lines", "acc"] + labels.map { "recall \($0)" },
                           rows: [row("all", result.confusion)] + result.groupKeys.map { row($0, result.groups[$0]!) })
    }

    /// Rows: the true class; columns: the predicted class.
    var confusionTable: ReportTable {
        ReportTable(title: "Confusion matrix (rows: truth, columns: predicted)", header: ["truth"] + labels,
                    rows: labels.indices.map { t in [.text(labels[t])] + labels.indices.map { .count(result.confusion[t][$0]) } })
    }

    public var writer: ReportWriter {
        let gallery = ReportGallery(
            title: "Most confidently wrong", key: "worst",
            columns: [.init("truth"), .init("predicted"), .init("confidence"), .init("source"), .init("group")],
            entries: result.misses.prefix(worstCount).map { m in
                ReportGallery.Entry(image: m.image, captions: [.code(m.truth), .code(m.predicted), .number(Double(m.confidence), decimals: 3),
                                                               .text(m.source), .text(m.group)])
            })
        var w = ReportWriter(title: title, summary: [countsLine, "accuracy " + ReportValue.share(result.accuracy).display],
                             tables: [figuresTable, confusionTable], notRead: result.notScored, gallery: gallery)
        w.notReadListed = notReadListed
        var groups: [String: Any] = [:]
        for g in result.groupKeys {
            let m = result.groups[g]!
            groups[g] = ["lines": ClassificationEvaluation.samples(m), "acc": ClassificationEvaluation.accuracy(m)] as [String: Any]
        }
        w.fields = [
            "accuracy": result.accuracy,
            // null for a class without samples (the table shows "-")
            "recall": Dictionary(uniqueKeysWithValues: labels.enumerated().map {
                ($1, result.confusion[$0].reduce(0, +) == 0 ? NSNull() : result.recall($0) as Any)
            }),
            "confusion": ["labels": labels, "matrix": result.confusion] as [String: Any],
            "groups": groups,
            "lines_scored": result.samples, "lines_not_read": result.notScored.count,
            "samples_per_second": result.samplesPerSecond,
        ]
        return w
    }
}
