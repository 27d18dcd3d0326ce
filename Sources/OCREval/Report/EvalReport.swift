import Foundation
import OCRCore

/// A recogniser's evaluation as a `ReportWriter`: line accuracy (exact and case-insensitive),
/// character accuracy, CER, WER and NED overall and per group, the most frequent confusions, the
/// character recall per class (letters, digits, punctuation/symbols, space) overall and per group,
/// worst lines with their images, and the lines that could not be read. report.json also keeps
/// the typed figures scripts read: overall, groups (each with `char_classes`), lines_scored,
/// lines_not_read, not_read, samples_per_second, confusions, deletions, insertions, worst.
public struct EvalReport: TaskReport {
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

    /// "1021 lines scored, 3 could not be read".
    var countsLine: String { "\(result.scoredCount) lines scored, \(result.notScored.count) could not be read" }

    static let header = ["group", "lines", "line acc", "acc (case-ins.)", "char acc", "CER", "WER", "NED"]

    /// Rows: name, lines, line acc, case-insensitive acc, char acc, CER, WER, NED.
    func rows() -> [[ReportValue]] {
        func row(_ name: String, _ s: RecognitionMetrics.Summary) -> [ReportValue] {
            [.text(name), .count(s.samples), .share(s.lineAccuracy), .share(s.caseInsensitiveLineAccuracy),
             .share(s.characterAccuracy), .share(s.characterErrorRate), .share(s.wordErrorRate), .number(s.normalizedEditDistance, decimals: 4)]
        }
        return [row("all", metrics.overall)] + metrics.groupKeys.map { row($0, metrics.groups[$0]!) }
    }

    /// The classes some ground-truth line held (spaces only count with `ignore_space: false`).
    var characterClasses: [CharacterClass] {
        CharacterClass.allCases.filter { metrics.overall.characterClasses.recall($0) != nil }
    }

    /// Rows: name, then the recall of each of `characterClasses` ("-" where the group has none).
    func classRows() -> [[ReportValue]] {
        func row(_ name: String, _ s: RecognitionMetrics.Summary) -> [ReportValue] {
            [.text(name)] + characterClasses.map { c in s.characterClasses.recall(c).map(ReportValue.share) ?? .text("-") }
        }
        return [row("all", metrics.overall)] + metrics.groupKeys.map { row($0, metrics.groups[$0]!) }
    }

    public var writer: ReportWriter {
        var tables = [ReportTable(header: Self.header, rows: rows())]
        if !characterClasses.isEmpty {
            tables.append(ReportTable(title: "Character recall per class (ground-truth characters read right)",
                                      header: ["group"] + characterClasses.map(\.title), rows: classRows()))
        }
        let subs = metrics.confusions.topSubstitutions(confusionCount)
        if !subs.isEmpty {
            tables.append(ReportTable(title: "Most frequent confusions (truth -> read)", header: ["truth", "read", "count"],
                                      rows: subs.map { [.code($0.pair.groundTruth), .code($0.pair.prediction), .count($0.count)] }))
        }
        let gallery = ReportGallery(
            title: "Worst lines", key: "worst",
            columns: [.init("truth"), .init("read"), .init("edits", key: "edit_distance"), .init("confidence"), .init("source"), .init("group")],
            entries: result.worst.prefix(worstCount).map { p in
                ReportGallery.Entry(image: p.image.map { ReportImage(width: $0.width, height: $0.height, bgr: $0.pixels) },
                                    captions: [.code(p.truth), .code(p.text), .count(p.editDistance), .number(Double(p.confidence), decimals: 3),
                                               .text(p.source), .text(p.group)])
            })
        var w = ReportWriter(title: title, summary: [countsLine], tables: tables, notRead: result.notScored, gallery: gallery)
        w.notReadListed = notReadListed
        var groups: [String: Any] = [:]
        for k in metrics.groupKeys { groups[k] = Self.fields(metrics.groups[k]!) }
        w.fields = [
            "overall": Self.fields(metrics.overall), "groups": groups,
            "lines_scored": result.scoredCount, "lines_not_read": result.notScored.count,
            "samples_per_second": result.samplesPerSecond,
            "confusions": subs.map { ["truth": $0.pair.groundTruth, "read": $0.pair.prediction, "count": $0.count] as [String: Any] },
            "deletions": metrics.confusions.topDeletions(confusionCount).map { ["character": $0.character, "count": $0.count] as [String: Any] },
            "insertions": metrics.confusions.topInsertions(confusionCount).map { ["character": $0.character, "count": $0.count] as [String: Any] },
        ]
        return w
    }

    static func fields(_ s: RecognitionMetrics.Summary) -> [String: Any] {
        ["lines": s.samples, "acc": s.lineAccuracy, "acc_case_insensitive": s.caseInsensitiveLineAccuracy,
         "char_acc": s.characterAccuracy, "cer": s.characterErrorRate, "wer": s.wordErrorRate, "norm_edit_dis": s.normalizedEditDistance,
         "char_classes": classFields(s.characterClasses)]
    }

    /// `{"digit": {"characters": 40, "matched": 38, "recall": 0.95}, ...}`: classes the lines held.
    /// (`CharacterClassRecall`'s own encoding, so report.json and an encoded Summary agree.)
    static func classFields(_ r: CharacterClassRecall) -> [String: Any] {
        guard let data = try? JSONEncoder().encode(r),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object
    }
}
