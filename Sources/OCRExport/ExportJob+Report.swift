import Foundation

extension ExportJob {
    /// Everything the job measured, written as export-report.json / .md.
    public struct Report: Codable {
        public struct Latency: Codable {
            public var batch: Int
            /// Per sample (a line, or a page for det).
            public var msPerLine: Double
            public var linesPerSecond: Double
            /// C x H x W timed, where the kind times several sizes (det); nil: the model's input size.
            public var input: [Int]? = nil
        }
        public struct Variant: Codable {
            /// Where the model is once the run has finished (its final or rejected name).
            public var file: String
            public var bytes: Int
            /// The task's main metric (`Report.metric`) on the evaluation data, in 0...1.
            public var accuracy: Double?
            /// Samples it was measured on.
            public var samples: Int?
            public var latency: [Latency]
        }
        public struct Layer: Codable { public var name: String; public var opType: String; public var frameDisagreement: Double; public var maxAbsDiff: Double }
        /// `ocrkit.kind`: rec, cls or det.
        public var kind: String
        /// The task's main metric, which the INT8 gate compares: "line accuracy" (rec), "accuracy" (cls), "hmean" (det).
        public var metric: String
        public var checkpoint: String
        public var parity: [String]
        public var parityMaxAbsDiff: Double
        /// The gate parity was held to (each input's limit is in `parity`).
        public var parityTolerance: ParityTolerance
        public var parityPassed: Bool
        public var fp32: Variant
        public var int8: Variant?
        public var calibration: String?
        public var accuracyDropPoints: Double?
        public var int8Accepted: Bool?
        public var sensitivity: [Layer] = []
    }
}

extension ExportJob.Report {
    /// export-report.json.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// The report as Markdown (export-report.md); the terminal shows the same table.
    public func markdown() -> String {
        let unit = kind == "det" ? "page" : "line"
        func pct(_ v: Double?) -> String { v.map { String(format: "%.2f%%", $0 * 100) } ?? "-" }
        func speedup(_ b: Int) -> Double {
            let f = fp32.latency.first { $0.batch == b }?.msPerLine ?? 0, q = int8?.latency.first { $0.batch == b }?.msPerLine ?? 0
            return q > 0 ? f / q : 0
        }
        func ms(_ v: Variant, _ b: Int) -> String {
            v.latency.first { $0.batch == b }.map { String(format: "%.2f ms (%.0f \(unit)s/s)", $0.msPerLine, $0.linesPerSecond) } ?? "-"
        }
        var lines = ["# Export of \(checkpoint) (\(kind))", "", "Parity (ONNX Runtime vs LibTorch):", ""]
        lines += parity.map { "    " + $0 }
        if !parityPassed {
            lines += ["", "PARITY FAILED: the float model is kept as \(fp32.file) to inspect; no model.onnx was written."]
        }
        lines += ["", "| model | file | size | \(metric) | batch 1, per \(unit) | batch 8, per \(unit) |", "|---|---|---|---|---|---|"]
        var variants = [("FP32", fp32)]
        if let int8 { variants.append(("INT8", int8)) }
        for (name, v) in variants {
            lines.append("| \(name) | \(v.file) | \(String(format: "%.2f MB", Double(v.bytes) / 1e6)) | \(pct(v.accuracy)) | \(ms(v, 1)) | \(ms(v, 8)) |")
        }
        let sized = ([("FP32", fp32)] + (int8.map { [("INT8", $0)] } ?? [])).flatMap { name, v in
            v.latency.compactMap { l in l.input.map { "\(name) at \($0.map(String.init).joined(separator: "x")), batch \(l.batch): "
                                                   + String(format: "%.1f ms per page", l.msPerLine) } }
        }
        if !sized.isEmpty { lines += ["", "Latency by input size:", ""] + sized.map { "- " + $0 } }
        if let int8, let drop = accuracyDropPoints, let accepted = int8Accepted {
            lines += ["", "INT8: " + String(format: "%.1f%% of the FP32 file, %.2f points of \(metric) lost, ", Double(int8.bytes) / Double(fp32.bytes) * 100, drop)
                      + (speedup(8) > 0 ? String(format: "%.2fx / %.2fx the FP32 speed at batch 1 / 8", speedup(1), speedup(8))
                                        : String(format: "%.2fx the FP32 speed at batch 1", speedup(1)))
                      + (accepted ? " - accepted." : " - REJECTED (more than the allowed drop): kept as \(int8.file), not as model.int8.onnx.")]
            if let calibration { lines.append("Calibration: \(calibration).") }
        }
        if !sensitivity.isEmpty {
            lines += ["", "Most sensitive layers (each quantised alone; share of \(kind == "rec" ? "frames" : "samples") whose best class changes):", "",
                      "| layer | op | \(kind == "rec" ? "frames" : "samples") changed | max abs diff |", "|---|---|---|---|"]
            lines += sensitivity.prefix(10).map { "| \($0.name) | \($0.opType) | " + String(format: "%.2f%% | %.4f |", $0.frameDisagreement * 100, $0.maxAbsDiff) }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
