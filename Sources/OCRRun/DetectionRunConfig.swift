import Foundation
import OCRCore
import OCRData
import OCREval
import OCRModels
import OCRPostprocess
import Torch

/// A PaddleOCR-style DB detection config (`Architecture.model_type: det`, as
/// `configs/det/det_mv3_db.yml`): the shared `RunConfig` plus the detector's sections - the
/// model, `DBLoss`, `DBPostProcess`, `DetMetric` and the Train/Eval page data - decoded strictly.
public struct DetectionRunConfig {
    public var base: RunConfig
    public var architecture: ArchitectureConfig
    public var heads: TaskHeads
    public var loss: DBLossConfig
    public var postProcess: DBPostProcessOptions
    public var train: DetDataSection
    public var eval: DetDataSection?

    public var global: GlobalConfig {
        get { base.global }
        set { base.global = newValue }
    }

    public init(path: String, overrides: [String] = []) throws {
        try self.init(RunConfig(path: path, overrides: overrides))
    }

    public init(_ base: RunConfig) throws {
        guard base.task == .det else {
            throw TrainError("Architecture.model_type is \(base.task.rawValue): this config does not train a detector")
        }
        self.base = base
        let tree = base.tree
        architecture = try tree.decode(ArchitectureConfig.self, at: "Architecture")
        heads = try TaskHeads(tree: tree, task: .det)
        for key in ["character_dict_path", "label_list"] where tree.contains("Global." + key) {
            throw ConfigError(.unknownKey, location: tree.location(of: "Global." + key), path: "Global." + key,
                              "Global.\(key) applies to recognisers and classifiers; a detector has no classes")
        }
        loss = tree.contains("Loss") ? try tree.decode(DBLossConfig.self, at: "Loss") : DBLossConfig()
        postProcess = tree.contains("PostProcess") ? try tree.decode(DBPostProcessOptions.self, at: "PostProcess") : DBPostProcessOptions()
        train = try tree.decode(DetDataSection.self, at: "Train")
        eval = tree.contains("Eval") ? try tree.decode(DetDataSection.self, at: "Eval") : nil
    }

    /// What must not change between a checkpoint and a resumed run.
    public var preprocess: String {
        "det: BGR, x/255 then ImageNet mean/std, H and W multiples of 32"
    }

    public func makeModel() throws -> DBNet { try DetectorFactory.make(architecture) }

    /// The detector in a det checkpoint read from `path`, refused with a message naming the file
    /// when it is another task's or does not fit the Architecture. Returned in training mode.
    public func loadModel(from c: Checkpoint, path: String, useEMA: Bool = false) throws -> DBNet {
        try c.requireTask(.det, owner: "a detector's", path: path)
        let model = try makeModel()
        try c.load(into: model, useEMA: useEMA, path: path, architecture: model.kind)
        return model
    }

    /// A data section with its relative paths resolved against the config's folder.
    public func resolved(_ section: DetDataSection) -> DetDataSection { section.resolvingPaths(base.resolve) }

    /// A page loader for `section`; `Global.data_issue_policy` is the default of its `label_issue_policy`.
    public func makeLoader(_ section: DetDataSection, seed: UInt64) throws -> DetectionLoader {
        try resolved(section).makeLoader(seed: seed, issuePolicy: global.dataIssuePolicy)
    }
}
