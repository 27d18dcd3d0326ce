import Foundation
import OCREval

/// The files of one export folder and how a run puts them there. Models are written as
/// `*.partial` and placed by `commit` once every check has run: `model.onnx` only after parity
/// passed (else `model.rejected.onnx`), `model.int8.onnx` only after the accuracy gate passed
/// (else `model.int8.rejected.onnx`), then the report. The folder then holds what the new report
/// describes and nothing an earlier run left that would contradict it: an older final or rejected
/// model this run did not write is removed (an INT8 file is derived from the float model, so one
/// from an earlier export goes too). A run that throws before `commit` leaves the folder as it
/// was; `removePartials` (deferred by the job) takes away what it staged.
struct ExportFiles {
    /// A model's final and rejected names; it is staged at `partial`.
    struct Model {
        let final: String
        let rejected: String
        var partial: String { final + ".partial" }
    }

    let out: String
    let fp32: Model
    let int8: Model
    let reportJSON: String
    let reportMarkdown: String

    /// Creates `out` when missing and clears `*.partial` files a killed run may have left.
    init(out: String) throws {
        self.out = out
        fp32 = Model(final: out + "/model.onnx", rejected: out + "/model.rejected.onnx")
        int8 = Model(final: out + "/model.int8.onnx", rejected: out + "/model.int8.rejected.onnx")
        reportJSON = out + "/export-report.json"
        reportMarkdown = out + "/export-report.md"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        removePartials()
    }

    var partials: [String] { [fp32.partial, int8.partial, reportJSON + ".partial", reportMarkdown + ".partial"] }

    func removePartials() {
        for p in partials { remove(p) }
    }

    /// Places the staged models under the names `report` gives them and writes the report.
    func commit(_ report: ExportJob.Report) throws {
        try report.json().write(to: URL(fileURLWithPath: reportJSON + ".partial"))
        try Data(report.markdown().utf8).write(to: URL(fileURLWithPath: reportMarkdown + ".partial"))
        // The old report goes first: until the new one is in place no report contradicts the models.
        remove(reportJSON)
        remove(reportMarkdown)
        try place(fp32, accepted: report.parityPassed)
        if let accepted = report.int8Accepted, FileManager.default.fileExists(atPath: int8.partial) {
            try place(int8, accepted: accepted)
        } else {
            remove(int8.final)                              // an earlier export's INT8 model is not this model's
            remove(int8.rejected)
        }
        try rename(reportJSON + ".partial", to: reportJSON)
        try rename(reportMarkdown + ".partial", to: reportMarkdown)
    }

    /// `model.partial` to its final name (replacing an older file) or its rejected name; the
    /// other name is removed.
    private func place(_ model: Model, accepted: Bool) throws {
        try rename(model.partial, to: accepted ? model.final : model.rejected)
        remove(accepted ? model.rejected : model.final)
    }

    /// POSIX rename: one step, replacing `path`.
    private func rename(_ from: String, to path: String) throws {
        guard Foundation.rename(from, path) == 0 else {
            throw TrainError("export: cannot rename \(from) to \(path): \(String(cString: strerror(errno)))")
        }
    }

    private func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
