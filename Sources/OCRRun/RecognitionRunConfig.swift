import Foundation
import OCRCore
import OCRData
import OCREval
import OCRModels
import Torch

/// A PaddleOCR-style recognition config (`Architecture.model_type: rec`): the shared `RunConfig`
/// plus the recogniser's sections, decoded strictly (every unknown key is an error naming it) and
/// turned into the run's parts: charset, model, data loaders and trainer.
public struct RecognitionRunConfig {
    public var base: RunConfig
    public var architecture: ArchitectureConfig
    public var heads: TaskHeads
    public var train: RecDataSection
    public var eval: RecDataSection?

    public var tree: ConfigTree { base.tree }
    public var configDirectory: String { base.configDirectory }
    public var global: GlobalConfig {
        get { base.global }
        set { base.global = newValue }
    }
    public var optimizer: OptimizerConfig { base.optimizer }
    public var metric: MetricSection { heads.metric }

    public init(path: String, overrides: [String] = []) throws {
        try self.init(RunConfig(path: path, overrides: overrides))
    }

    public init(tree: ConfigTree, directory: String = ".") throws {
        try self.init(RunConfig(tree: tree, directory: directory))
    }

    public init(_ base: RunConfig) throws {
        guard base.task == .rec else {
            throw TrainError("Architecture.model_type is \(base.task.rawValue): this config does not train a recogniser")
        }
        self.base = base
        let tree = base.tree
        architecture = try tree.decode(ArchitectureConfig.self, at: "Architecture")
        heads = try TaskHeads(tree: tree, task: .rec)
        if base.global.labelList != nil {
            throw ConfigError(.unknownKey, path: "Global.label_list", "Global.label_list names a classifier's classes; a recogniser's come from Global.character_dict_path")
        }
        train = try tree.decode(RecDataSection.self, at: "Train")
        eval = tree.contains("Eval") ? try tree.decode(RecDataSection.self, at: "Eval") : nil
    }

    /// A path from the config: as given when it exists, else relative to the config's folder.
    public func resolve(_ path: String) -> String { base.resolve(path) }

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
        heads.metric.ignoreSpace.map { RecognitionMetrics.Options(ignoreSpace: $0) } ?? .paddleOCR
    }

    public func makeModel(charset: Charset) throws -> any Recognizer {
        try RecognizerFactory.build(architecture, classes: charset.classCount, inputShape: inputShape)
    }

    /// A data section with its relative paths resolved against the config's folder.
    public func resolved(_ section: RecDataSection) -> RecDataSection { section.resolvingPaths(base.resolve) }

    /// A loader for `section`; `Global.data_issue_policy` is the default of its `label_issue_policy`.
    public func makeLoader(_ section: RecDataSection, charset: Charset, seed: UInt64) throws -> LineLoader {
        try resolved(section).makeLoader(charset: charset, maxTextLength: global.maxTextLength, seed: seed,
                                         issuePolicy: global.dataIssuePolicy)
    }

    /// What evaluating data needs from this config (for OCREval, which cannot see the run config).
    public var evalSettings: EvalSettings {
        EvalSettings(eval: eval.map(resolved), train: resolved(train), maxTextLength: global.maxTextLength,
                     threads: global.threads, seed: global.seed, metricOptions: metricOptions)
    }
}
