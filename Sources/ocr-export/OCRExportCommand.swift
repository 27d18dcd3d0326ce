import ArgumentParser
import Foundation
import OCRCLI
import OCRRun
import OCRExport

/// `ocr-export -c CONFIG.yml --checkpoint CKPT.h5 --out DIR [--int8 --calib DATA --method entropy
/// --max-accuracy-drop 0.5 --parity-atol 1e-4 --parity-rtol 1e-3]`: model.onnx (parity-checked against LibTorch), optionally
/// model.int8.onnx (calibrated, accuracy-gated), and export-report.json / .md, for a recogniser,
/// an angle classifier or a DB text detector (the config's Architecture.model_type; the
/// checkpoint must be of the same task). Exits non-zero when parity fails or the INT8 model loses
/// more than allowed of the task's main metric (rec: line accuracy, cls: accuracy, det: hmean).
@main
struct OCRExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr-export",
        abstract: "Export a recogniser, angle-classifier or DB detector checkpoint to ONNX (parity-checked) and INT8 ONNX (calibrated, accuracy-gated).")

    @OptionGroup var options: ConfigOptions
    @Option(help: "The checkpoint to export (best.h5 or latest.h5 of a run).") var checkpoint: String
    @Option(help: "Output folder: model.onnx, model.int8.onnx, export-report.json and .md.") var out: String
    @Flag(help: "Also write an INT8 (QDQ) model, calibrated on --calib data.") var int8 = false
    @Option(parsing: .upToNextOption, help: "Calibration label files or .h5 packs (cls: label files path<TAB>label; det: det label files or page packs, resized as Eval) (default: the config's Train data, augmentation off).")
    var calib: [String] = []
    @Option(help: "Calibration samples (default: 1024 lines; det: 256 pages).") var calibCount: Int?
    @Option(help: "Calibration method: minmax, percentile or entropy.") var method = "percentile"
    @Option(help: "Percentile of |x| for --method percentile.") var percentile = 99.99
    @Option(help: "Activations: u8s8 (uint8 asymmetric, int8 weights) or s8s8 (int8 symmetric).") var activations = "u8s8"
    @Option(parsing: .upToNextOption, help: "Module paths kept in float, e.g. backbone/conv1 head.") var keepFloat: [String] = []
    @Option(help: "Largest accepted loss of the task's main metric (rec: line accuracy, cls: accuracy, det: hmean), in points; more and the INT8 model is rejected.")
    var maxAccuracyDrop = 0.5
    @Option(parsing: .upToNextOption, help: "Evaluation label files or .h5 packs (cls: label files path<TAB>label; det: det label files or page packs) (default: the config's Eval data).")
    var evalData: [String] = []
    @Option(help: "Parity gate, absolute part: |ONNX Runtime - LibTorch| <= atol + rtol x max |LibTorch output| on probabilities (rec: softmax of the logits; cls: probs; det: the map).")
    var parityAtol = ParityTolerance.default.absolute
    @Option(help: "Parity gate, relative part (see --parity-atol): float32 drift grows with a deep model's values.")
    var parityRtol = ParityTolerance.default.relative
    @Flag(inversion: .prefixedNo, help: "Fold BatchNorm into the preceding convolution.") var foldBn = true
    @Flag(inversion: .prefixedNo, help: "Per-layer INT8 sensitivity report.") var sensitivity = true
    @Option(help: "Threads for LibTorch and ONNX Runtime.") var threads = 2

    static func main() {
        ProcessSetup.prepare()
        main(nil)
    }

    func validate() throws {
        guard parityAtol.isFinite, parityRtol.isFinite, parityAtol >= 0, parityRtol >= 0 else {
            throw ValidationError("--parity-atol and --parity-rtol must be finite and >= 0 (got \(parityAtol), \(parityRtol))")
        }
    }

    func run() throws {
        let config = try RunConfig(path: options.config, overrides: options.override)
        var o = ExportJob.Options(out: out)
        o.int8 = int8
        o.calibrationData = calib.isEmpty ? nil : calib
        o.calibrationImages = calibCount
        guard let type = ActivationType(rawValue: activations.lowercased()) else {
            throw ValidationError("--activations must be u8s8 or s8s8, not '\(activations)'")
        }
        o.quantization = QuantizationOptions(method: try CalibrationMethod(name: method, percentile: percentile),
                                             activationType: type, keepFloat: keepFloat)
        o.maxAccuracyDrop = maxAccuracyDrop
        o.evalData = evalData.isEmpty ? nil : evalData
        o.parityTolerance = ParityTolerance(absolute: parityAtol, relative: parityRtol)
        o.foldBatchNorm = foldBn
        o.sensitivity = sensitivity
        o.threads = threads
        // Architecture.model_type picks the kind (rec, cls, det); the pipeline is the same.
        let report = try ExportJob(config: config, checkpoint: checkpoint, options: o).run { print($0) }
        print("\n" + report.markdown())
        if report.int8Accepted == false {
            throw ExitCode(1)
        }
    }
}
