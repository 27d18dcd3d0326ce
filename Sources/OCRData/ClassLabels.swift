/// The classes of a line classifier (PaddleOCR's `label_list`, ['0', '180'] for the angle
/// classifier) and `ClsLabelEncode`: a sample's text must be one of them.
///
/// PaddleOCR's cls label files (`path<TAB>0`, `path<TAB>180`) are recognition label files whose
/// texts happen to be labels, so `LabelFileDataset` reads them unchanged (built without a
/// charset); `validate(_:)` then rejects any line whose text is no label, naming its `file:line`.
public struct ClassLabels: Sendable, Equatable {
    /// In class order: `labels[i]` is output i of the model.
    public let labels: [String]

    /// PaddleOCR's angle classes.
    public static let angles = try! ClassLabels(["0", "180"])

    public init(_ labels: [String]) throws {
        guard labels.count >= 2, Set(labels).count == labels.count, !labels.contains(where: \.isEmpty) else {
            throw DataError("label_list needs at least 2 distinct, non-empty labels, got \(labels)")
        }
        self.labels = labels
    }

    public var count: Int { labels.count }

    /// The class of `text`, nil when it is no label.
    public func index(of text: String) -> Int? { labels.firstIndex(of: text) }

    /// PaddleOCR's `ClsLabelEncode`: the class of a sample; throws naming the sample's source.
    public func encode(_ sample: LineSample) throws -> Int { try encode(sample.text, source: sample.source) }

    /// The class of `text`; throws naming `source` (a sample's `file:line`) when it is no label.
    public func encode(_ text: String, source: String) throws -> Int {
        guard let i = index(of: text) else {
            throw DataError("\(source): label '\(text)' is not in label_list \(labels)")
        }
        return i
    }

    /// Throws unless every record's text is a label; the error names the first bad `file:line`
    /// and how many there are in all.
    public func validate(_ dataset: LabelFileDataset) throws {
        let bad = dataset.records.filter { index(of: $0.text) == nil }
        guard let first = bad.first else { return }
        throw DataError(issue: DataIssue(file: first.file, line: first.line, category: "unknown-class",
                                         message: "label '\(first.text)' is not in label_list \(labels)", imagePath: first.imagePath),
                        hint: "\(bad.count) line\(bad.count == 1 ? "" : "s") with labels outside label_list; "
                            + "cls label files hold `path<TAB>label`, one of \(labels.joined(separator: ", "))")
    }
}
