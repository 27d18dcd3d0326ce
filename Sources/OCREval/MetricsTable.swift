import OCRCore

/// Named evaluation figures in display order, and which one decides "best": what every task's
/// evaluation hands the engine, the progress printer and `metrics.jsonl`.
public struct MetricsTable: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public var name: String
        public var value: Double
        /// Shown as a percentage (a share of samples), or as it is (NED, a count).
        public var isShare: Bool
        public init(_ name: String, _ value: Double, isShare: Bool = true) {
            self.name = name
            self.value = value
            self.isShare = isShare
        }
    }

    public var entries: [Entry]
    /// The entry that picks best.h5 and drives early stopping (higher is better).
    public var main: String

    public init(_ entries: [Entry], main: String) {
        self.entries = entries
        self.main = main
    }

    public subscript(name: String) -> Double? { entries.first { $0.name == name }?.value }

    public var mainValue: Double { self[main] ?? .nan }

    /// `acc 95.31%, norm_edit_dis 0.9912, samples 1024`.
    public var summaryLine: String {
        entries.map { e in
            e.isShare ? "\(e.name) " + String(format: "%.2f%%", e.value * 100)
                : (e.value == e.value.rounded() && abs(e.value) < 1e15 ? "\(e.name) \(Int(e.value))" : "\(e.name) " + String(format: "%.4f", e.value))
        }.joined(separator: ", ")
    }

    /// `{"acc": 0.95, ...}` for checkpoints and JSON lines.
    public var dictionary: [String: Double] { Dictionary(entries.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }) }
}

extension RecognitionMetrics.Summary {
    /// Recognition's figures under the names PaddleOCR's RecMetric and `metrics.jsonl` use.
    public func table(main: String) -> MetricsTable {
        MetricsTable([.init("acc", lineAccuracy), .init("acc_case_insensitive", caseInsensitiveLineAccuracy),
                      .init("char_acc", characterAccuracy), .init("cer", characterErrorRate), .init("wer", wordErrorRate),
                      .init("norm_edit_dis", normalizedEditDistance, isShare: false), .init("samples", Double(samples), isShare: false)],
                     main: main)
    }
}
