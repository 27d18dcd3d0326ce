import Foundation
import OCRCore
import OCRData
import OCREval
import OCRModels
import Torch

/// A PaddleOCR-style recognition config, loaded, overridden (`-o Key.sub=value`), decoded strictly
/// (every unknown key is an error naming it) and turned into the run's parts: charset, model,
/// data loaders and trainer.
public struct RecognitionRunConfig {
    public var tree: ConfigTree
    public var global: GlobalConfig
    public var architecture: ArchitectureConfig
    public var optimizer: OptimizerConfig
    public var loss: NamedSection
    public var metric: NamedSection
    public var postProcess: NamedSection
    public var train: RecDataSection
    public var eval: RecDataSection?
    /// Relative paths in the config (dictionary, fonts, corpus, label files) are tried as given, then
    /// relative to the config file's folder.
    public var configDirectory: String

    public init(path: String, overrides: [String] = []) throws {
        var tree = try ConfigTree(contentsOf: path)
        // Decoding is strict, so an override may add a key the file leaves at its default.
        try tree.applyOverrides(overrides, allowNewKeys: true)
        try self.init(tree: tree, directory: (path as NSString).deletingLastPathComponent)
    }

    public init(tree: ConfigTree, directory: String = ".") throws {
        self.tree = tree
        configDirectory = directory
        try tree.checkSections(required: ["Global", "Architecture", "Train"])
        global = try tree.decode(GlobalConfig.self, at: "Global")
        architecture = try tree.decode(ArchitectureConfig.self, at: "Architecture")
        optimizer = tree.contains("Optimizer") ? try tree.decode(OptimizerConfig.self, at: "Optimizer") : OptimizerConfig()
        loss = tree.contains("Loss") ? try tree.decode(NamedSection.self, at: "Loss") : NamedSection(name: "CTCLoss")
        metric = tree.contains("Metric") ? try tree.decode(NamedSection.self, at: "Metric") : NamedSection(name: "RecMetric")
        postProcess = tree.contains("PostProcess") ? try tree.decode(NamedSection.self, at: "PostProcess") : NamedSection(name: "CTCLabelDecode")
        train = try tree.decode(RecDataSection.self, at: "Train")
        eval = tree.contains("Eval") ? try tree.decode(RecDataSection.self, at: "Eval") : nil
        guard loss.name == "CTCLoss" else { throw TrainError("Loss.name '\(loss.name)' is not supported: OCRKit trains CTCLoss recognisers") }
        guard postProcess.name == "CTCLabelDecode" else { throw TrainError("PostProcess.name '\(postProcess.name)' is not supported (CTCLabelDecode)") }
        guard metric.name == "RecMetric" else { throw TrainError("Metric.name '\(metric.name)' is not supported (RecMetric)") }
        if let m = metric.mainIndicator, !["acc", "norm_edit_dis"].contains(m) {
            throw TrainError("Metric.main_indicator '\(m)' is not one of acc, norm_edit_dis")
        }
    }

    /// A path from the config: as given when it exists, else relative to the config's folder.
    public func resolve(_ path: String) -> String {
        if path.hasPrefix("/") || FileManager.default.fileExists(atPath: path) { return path }
        let candidate = (configDirectory as NSString).appendingPathComponent(path)
        return FileManager.default.fileExists(atPath: candidate) ? candidate : path
    }

    public func charset() throws -> Charset {
        guard let dict = global.characterDictPath else {
            throw TrainError("Global.character_dict_path is required: a dictionary file, one character per line")
        }
        return try Charset(contentsOf: resolve(dict), useSpaceChar: global.useSpaceChar)
    }

    /// [C, H, W] from Train's RecResizeImg (PaddleOCR's default [3, 32, 320]).
    public var inputShape: [Int] { train.dataset.transforms.resize?.imageShape ?? [3, 32, 320] }

    /// What must not change between a checkpoint and a resumed run.
    public var preprocess: String {
        let r = train.dataset.transforms.resize ?? RecResize()
        return "input \(r.imageShape.map(String.init).joined(separator: "x")) keep-ratio pad-right"
            + (r.dynamicWidth ? " dynamic-width" : "") + ", (x/255-0.5)/0.5, BGR"
    }

    public var metricOptions: RecognitionMetrics.Options {
        metric.ignoreSpace.map { RecognitionMetrics.Options(ignoreSpace: $0) } ?? .paddleOCR
    }

    public func makeModel(charset: Charset) throws -> any Recognizer {
        try RecognizerFactory.build(architecture, classes: charset.classCount, inputShape: inputShape)
    }

    /// A data section with its relative paths resolved against the config's folder.
    public func resolved(_ section: RecDataSection) -> RecDataSection {
        var s = section
        s.dataset.dataDir = s.dataset.dataDir.isEmpty ? s.dataset.dataDir : resolve(s.dataset.dataDir)
        s.dataset.labelFileList = s.dataset.labelFileList.map(resolve)
        s.dataset.files = s.dataset.files.map(resolve)
        if var syn = s.dataset.synthetic {
            syn.fonts = syn.fonts.map(resolve)
            syn.corpus = resolve(syn.corpus)
            s.dataset.synthetic = syn
        }
        return s
    }

    public func makeLoader(_ section: RecDataSection, charset: Charset, seed: UInt64) throws -> LineLoader {
        try resolved(section).makeLoader(charset: charset, maxTextLength: global.maxTextLength, seed: seed)
    }

    /// The loader's size and its dataset's report, for messages.
    public static func describe(_ loader: LineLoader) -> String { EvalData.describe(loader) }

    /// What evaluating data needs from this config (for OCREval, which cannot see the run config).
    public var evalSettings: EvalSettings {
        EvalSettings(eval: eval.map(resolved), train: resolved(train), maxTextLength: global.maxTextLength,
                     threads: global.threads, seed: global.seed, metricOptions: metricOptions)
    }
}
