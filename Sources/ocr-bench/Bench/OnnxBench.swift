import ArgumentParser
import Foundation
import OCRCLI
import OCRRun
import OCRExport
import OCRInference
import Torch

/// `ocr-bench onnx`: deployment speed under ONNX Runtime - FP32 against INT8 (U8S8 and S8S8),
/// ms per line at batch 1 and 8, and file sizes - for OCRKit's CRNN and SVTR-Tiny (exported and
/// quantised here) and PaddleOCR's PP-OCRv4 recogniser (FP32, as shipped). Accuracy is not
/// measured: `ocr-export` measures it on a trained checkpoint.
struct OnnxBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onnx",
        abstract: "ONNX Runtime latency FP32 vs INT8 (ms/line, lines/s at batch 1 and 8) and file sizes, CRNN, SVTR, PP-OCRv4.")

    @Option(parsing: .upToNextOption,
            help: "Cases: MODEL-HxW, MODEL crnn, svtr or ppocrv4 (svtr-64x256: svtr_tiny.yml's own size).")
    var cases = ["crnn-32x100", "crnn-32x320", "svtr-32x100", "ppocrv4-48x320"]
    @Option(help: "A trained checkpoint: the cases of its algorithm use its weights instead of random ones.")
    var checkpoint: String?
    @Option(help: "PaddleOCR's PP-OCRv4 recogniser.") var ppocrModel = ".deps/models/ch_PP-OCRv4_rec_infer.onnx"
    @Option(help: "ONNX Runtime intra-op threads.") var threads = 2
    @Option(help: "Timing rounds; each times every model of a case in turn, so load from elsewhere falls on all alike.")
    var rounds = 7
    @Option(help: "Random lines for INT8 calibration (random input: the bench measures speed, not accuracy).")
    var calibrationImages = 32
    @Option(help: "Keep the ONNX files in this folder (for profiling); default: a temporary folder, removed.")
    var keep: String?
    @Option(help: "Where the figures are written as JSON (and read back next time for comparison).")
    var results = "bench-results/onnx.json"

    static let speedTarget = 1.5, sizeTarget = 0.30

    func run() throws {
        let benchCases = try cases.map(OnnxBenchCase.init)
        Torch.threads = threads
        let folder = keep ?? FileManager.default.temporaryDirectory.appendingPathComponent("ocrkit-bench-onnx-\(getpid())").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: folder) } }

        print("OCRKit ONNX Runtime benchmark - ONNX Runtime \(InferenceSession.runtimeVersion), \(threads) intra-op threads, "
              + "median of \(rounds) interleaved rounds; load average \(Self.loadAverage()) at start")
        print("model           variant     file MB  size   b1 ms/line  b1 lines/s  b8 ms/line  b8 lines/s  INT8 speed-up b1 / b8")
        var all: [String: Double] = [:]
        for c in benchCases {
            let variants = try prepare(c, in: folder)
            var options = OnnxLatency.Options()
            (options.threads, options.rounds) = (threads, rounds)
            let figures = try OnnxLatency.measure(variants.map(\.path), shape: c.shape, options: options)
            let fp32 = variants[0]
            for (v, f) in zip(variants, figures) {
                let (b1, b8) = (f[0], f[1])
                let key = c.name + "." + v.name.replacingOccurrences(of: " ", with: "_")
                let ratio = Double(v.bytes) / Double(fp32.bytes)
                var line = (v.name == "fp32" ? c.name : "").padding(toLength: 16, withPad: " ", startingAt: 0)
                    + v.name.padding(toLength: 10, withPad: " ", startingAt: 0)
                    + String(format: "  %7.2f  %4.0f%%  %10.2f  %10.0f  %10.2f  %10.0f", Double(v.bytes) / 1e6, ratio * 100,
                             b1.msPerLine, b1.linesPerSecond, b8.msPerLine, b8.linesPerSecond)
                if v.name != "fp32" {
                    let (s1, s8) = (figures[0][0].msPerLine / b1.msPerLine, figures[0][1].msPerLine / b8.msPerLine)
                    line += String(format: "  %.2fx / %.2fx", s1, s8)
                        + ((min(s1, s8) >= Self.speedTarget ? "" : " (slow)") + (ratio <= Self.sizeTarget ? "" : " (large)"))
                    all[key + ".speedup_b1"] = s1
                    all[key + ".speedup_b8"] = s8
                }
                all[key + ".b1_ms_per_line"] = b1.msPerLine
                all[key + ".b8_ms_per_line"] = b8.msPerLine
                all[key + ".b8_lines_per_s"] = b8.linesPerSecond
                all[key + ".file_mb"] = Double(v.bytes) / 1e6
                print(line)
            }
            if let note = variants[0].note { print("                " + note) }
        }
        print(String(format: "targets: INT8 >= %.1fx the FP32 speed at batch 1 and 8 (else '(slow)'), INT8 file <= %.0f%% of FP32 "
                     + "(else '(large)'); load average \(Self.loadAverage()) at the end", Self.speedTarget, Self.sizeTarget * 100))
        try BenchResults.compareAndSave(all, to: results)
    }

    struct Variant { var name: String, path: String, bytes: Int, note: String? = nil }

    /// The case's model files: FP32 first, then INT8 U8S8 and S8S8 (OCRKit cases only).
    private func prepare(_ c: OnnxBenchCase, in folder: String) throws -> [Variant] {
        if c.model == .ppocrv4 {
            guard FileManager.default.fileExists(atPath: ppocrModel) else {
                throw ValidationError("\(ppocrModel) is missing: scripts/setup.sh downloads it (or leave \(c.name) out of --cases)")
            }
            return [Variant(name: "fp32", path: ppocrModel, bytes: Self.fileSize(ppocrModel),
                            note: "PaddleOCR's file as shipped; OCRKit's quantiser rewrites only graphs OCRKit wrote")]
        }
        let (float, source) = try c.floatModel(checkpoint: checkpoint)
        let fp32Path = "\(folder)/\(c.name).fp32.onnx"
        try float.write(to: fp32Path)
        let calibration = try stride(from: 0, to: calibrationImages, by: 8).map { start in
            let shape = [min(8, calibrationImages - start)] + c.shape
            return try FloatTensor(Tensor.randn(shape).toArray(Float.self), shape: shape)
        }
        var variants = [Variant(name: "fp32", path: fp32Path, bytes: Self.fileSize(fp32Path), note: "weights: " + source)]
        for type in ActivationType.allCases {
            let options = QuantizationOptions(activationType: type)
            let (int8, _, _) = try INT8Quantization.quantize(float, calibration: calibration, options: options, threads: threads)
            let path = "\(folder)/\(c.name).int8-\(type.rawValue).onnx"
            try int8.write(to: path)
            variants.append(Variant(name: "int8 " + type.rawValue, path: path, bytes: Self.fileSize(path)))
        }
        return variants
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// The 1-, 5- and 15-minute load averages (/proc/loadavg): how busy the shared machine was.
    static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }
}
