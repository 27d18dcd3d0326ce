import Foundation
import OCRCore
import OCRData
import OCRModels
import Torch

/// A PaddleOCR-style angle-classifier config (`Architecture.model_type: cls`, as
/// `configs/cls/cls_mv3.yml`): the shared `RunConfig` plus the classifier's sections, decoded
/// strictly, turned into the model and data loaders.
public struct ClassificationRunConfig {
    public var base: RunConfig
    public var architecture: ArchitectureConfig
    public var heads: TaskHeads
    public var train: ClsDataSection
    public var eval: ClsDataSection?
    /// PostProcess.label_list (PaddleOCR's default ['0', '180']).
    public var labels: ClassLabels

    public var global: GlobalConfig {
        get { base.global }
        set { base.global = newValue }
    }

    public init(path: String, overrides: [String] = []) throws {
        try self.init(RunConfig(path: path, overrides: overrides))
    }

    public init(_ base: RunConfig) throws {
        guard base.task == .cls else {
            throw TrainError("Architecture.model_type is \(base.task.rawValue): this config does not train a classifier")
        }
        self.base = base
        let tree = base.tree
        architecture = try tree.decode(ArchitectureConfig.self, at: "Architecture")
        heads = try TaskHeads(tree: tree, task: .cls)
        if let a = base.global.labelList, let b = heads.postProcess.labelList, a != b {
            throw ConfigError(.invalidValue, path: "Global.label_list", "Global.label_list \(a) and PostProcess.label_list \(b) differ")
        }
        labels = try ClassLabels(heads.postProcess.labelList ?? base.global.labelList ?? ClassLabels.angles.labels)
        train = try tree.decode(ClsDataSection.self, at: "Train")
        eval = tree.contains("Eval") ? try tree.decode(ClsDataSection.self, at: "Eval") : nil
    }

    /// [C, H, W] from Train's ClsResizeImg (PaddleOCR's [3, 48, 192]).
    public var inputShape: [Int] { train.dataset.transforms.resize.imageShape }

    /// What must not change between a checkpoint and a resumed run.
    public var preprocess: String {
        let r = train.dataset.transforms.resize
        return "input \(r.imageShape.map(String.init).joined(separator: "x")) keep-ratio pad-right, (x/255-0.5)/0.5, BGR"
    }

    public func makeModel() throws -> AngleClassifier {
        let model = try ClassifierFactory.build(architecture, inputShape: inputShape)
        guard model.classes == labels.count else {
            throw TrainError("Architecture.Head.class_dim is \(model.classes) but PostProcess.label_list has \(labels.count) labels \(labels.labels)")
        }
        return model
    }

    /// The classifier in a cls checkpoint read from `path`: the checkpoint must be a classifier's
    /// trained on this config's labels (they say what each output means) and fit its
    /// Architecture; each refusal names the file. Returned in training mode.
    public func loadModel(from c: Checkpoint, path: String, useEMA: Bool = false) throws -> AngleClassifier {
        try c.requireTask(.cls, owner: "a classifier's", path: path)
        guard c.task.labels == labels.labels else {
            throw TrainError("\(path) was trained on labels \(c.task.labels), the config's label_list is \(labels.labels)")
        }
        let model = try makeModel()
        try c.load(into: model, useEMA: useEMA, path: path, architecture: architecture.algorithm)
        return model
    }

    /// A data section with its relative paths resolved against the config's folder.
    public func resolved(_ section: ClsDataSection) -> ClsDataSection { section.resolvingPaths(base.resolve) }

    public func makeLoader(_ section: ClsDataSection, seed: UInt64) throws -> LineLoader {
        try resolved(section).makeLoader(labels: labels, seed: seed, issuePolicy: global.dataIssuePolicy)
    }
}
