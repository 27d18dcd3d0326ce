import ArgumentParser
import Foundation
import OCRCLI
import OCRImport
import OCRRun

/// `ocr-train import MODEL.onnx -c CONFIG.yml --out CKPT.h5`: a PaddleOCR inference model (as
/// RapidOCR ships them) becomes an OCRKit checkpoint of the config's Architecture, with the
/// file's charset; fine-tune from it with -o Global.pretrained_model=CKPT.h5 (or name the .onnx
/// there directly).
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a PaddleOCR ONNX model (PP-OCRv4 rec or det, v2 cls, PP-OCRv6 small rec) into an OCRKit checkpoint.",
        discussion: """
        The config's Architecture must describe the file's model (configs/rec/ppocrv4_rec.yml for PP-OCRv4 rec,
        configs/rec/ppocrv6_rec.yml for PP-OCRv6_rec_small.onnx); the
        first graph node that differs is named otherwise. The checkpoint keeps the file's charset; a run with another
        Global.character_dict_path keeps the rows of the characters both have when it starts from it.
        """)

    @Argument(help: "The ONNX file (e.g. .deps/models/ch_PP-OCRv4_rec_infer.onnx).")
    var onnx: String

    @OptionGroup var options: ConfigOptions

    @Option(name: .long, help: "The checkpoint to write (.h5).")
    var out: String

    @Flag(name: .long, help: "Print every mapped tensor (path, shape, source node).")
    var verbose = false

    func run() throws {
        let base = try RunConfig(path: options.config, overrides: options.override)
        let (imported, checkpoint) = try PaddleModelImport.checkpoint(onnx, config: base)
        let report = imported.report.description.split(separator: "\n")
        print(verbose ? report.joined(separator: "\n") : String(report[0]))
        try checkpoint.write(to: out)
        if imported.task.kind == .rec {
            let n = imported.task.charset.split(separator: "\n").count
            print("charset: \(n) characters from the file's metadata, use_space_char \(imported.task.useSpaceChar)")
        }
        print("wrote \(out)")
    }
}
