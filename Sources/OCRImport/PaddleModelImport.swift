import Foundation
import NN
import OCRCore
import OCRModels
import OCRRun
import Torch

/// Turns a PaddleOCR inference ONNX file into OCRKit weights: the model named by a config's
/// `Architecture` is built at the file's size (its class count comes from the file's `character`
/// metadata: blank + characters + space, as PaddleOCR's rec exports have it), and
/// `PaddleImporter` maps the file's weights onto it. Used by `ocr-train import` (writes a
/// checkpoint) and by `Global.pretrained_model: file.onnx` (fine-tuning starts from it, through
/// the same charset-change path as a checkpoint).
public enum PaddleModelImport {
    /// A model's weights from `path`, with what its checkpoint's `/task` holds (a recogniser's charset, a classifier's labels).
    public struct Imported {
        public var model: Module
        /// The module state to load or save (parameters and buffers).
        public var state: [String: Tensor]
        /// What a checkpoint of it stores in `/task` (kind, charset).
        public var task: TaskEntries
        public var report: ImportReport
    }

    /// Imports `path` into the model `architecture` describes. A cls architecture is matched as
    /// such, so a recogniser file given with a classifier config fails at the first differing node.
    public static func load(_ path: String, architecture: ArchitectureConfig, inputShape: [Int]) throws -> Imported {
        let file = try ONNXModelFile(contentsOf: path)
        switch architecture.modelType {
        case "rec":
            guard let character = file.metadata["character"] else {
                throw ImportError("\(path): no 'character' metadata - PaddleOCR's recogniser exports carry their charset there; "
                                  + "is this a recogniser file? (metadata keys: \(file.metadata.keys.sorted()))")
            }
            // Every line is a class of the trained model, whatever the file's dictionary holds.
            let characters = try Charset(dictionaryText: character, source: "\(path) (metadata 'character')", useSpaceChar: false,
                                         keepingDuplicates: true)
            // PaddleOCR appends the space when use_space_char is on: blank + characters + space.
            let classes = try outputClasses(file)
            guard classes == characters.classCount || classes == characters.classCount + 1 else {
                throw ImportError("\(path): the output has \(classes) classes but 'character' lists \(characters.dictionaryCount) "
                                  + "characters (expected \(characters.classCount) or \(characters.classCount + 1) with the space)")
            }
            let charset = try Charset(dictionaryText: character, source: "\(path) (metadata 'character')",
                                      useSpaceChar: classes == characters.classCount + 1, keepingDuplicates: true)
            let model = try RecognizerFactory.build(architecture, classes: charset.classCount, inputShape: inputShape)
            let (state, report) = try PaddleImporter.state(from: file, for: model)
            var task = TaskEntries(kind: .rec)
            task.charset = charset.dictionaryText
            task.useSpaceChar = charset.useSpaceChar
            return Imported(model: model, state: state, task: task, report: report)
        case "cls":
            let model = try ClassifierFactory.build(architecture, inputShape: inputShape)
            let (state, report) = try PaddleImporter.state(from: file, for: model)
            var task = TaskEntries(kind: .cls)
            // PaddleOCR's angle classifiers: label_list ['0', '180'].
            let n = architecture.head.classDim ?? 2
            task.labels = n == 2 ? ["0", "180"] : (0..<n).map(String.init)
            return Imported(model: model, state: state, task: task, report: report)
        case "det":
            // PaddleOCR's det export holds the probability branch only: the threshold branch
            // (DBLoss's, for training) keeps its fresh initialisation, as the report says.
            let model = try DetectorFactory.make(architecture)
            let (state, report) = try PaddleImporter.state(from: file, for: model)
            return Imported(model: model, state: state, task: TaskEntries(kind: .det), report: report)
        default:
            throw ImportError("\(path): importing a \(architecture.modelType) model is not supported (rec, cls, det)")
        }
    }

    /// The class count of the file's last weight-carrying node (the CTC head's bias).
    static func outputClasses(_ file: ONNXModelFile) throws -> Int {
        let last = file.computeNodes.last { n in n.inputs.contains { file.constants[$0]?.isFloat == true } }
        guard let last, let bias = last.inputs.compactMap({ file.constants[$0] }).first(where: \.isFloat), let n = bias.shape.last else {
            throw ImportError("\(file.path): no weights found in the graph")
        }
        return n
    }

    /// A checkpoint (format 2) holding the imported weights, the run's resolved config and
    /// preprocessing, and the file's charset: what `ocr-train import` writes.
    public static func checkpoint(_ imported: Imported, config: String, preprocess: String) -> Checkpoint {
        var c = Checkpoint()
        c.model = imported.state
        c.task = imported.task
        c.config = config
        c.preprocess = preprocess
        return c
    }

    /// `ocr-train import`: imports `path` into the model `config` describes (rec, cls or det) and
    /// returns the checkpoint to write, with the config's resolved text and preprocessing.
    public static func checkpoint(_ path: String, config base: RunConfig) throws -> (imported: Imported, checkpoint: Checkpoint) {
        let architecture: ArchitectureConfig, inputShape: [Int], preprocess: String
        var labels: [String]?
        switch base.task {
        case .rec:
            let run = try RecognitionRunConfig(base)
            (architecture, inputShape, preprocess) = (run.architecture, run.inputShape, run.preprocess)
        case .cls:
            let run = try ClassificationRunConfig(base)
            (architecture, inputShape, preprocess) = (run.architecture, run.inputShape, run.preprocess)
            labels = run.labels.labels
        case .det:
            let run = try DetectionRunConfig(base)
            // A detector takes any H x W (multiples of 32): the shape is not used.
            (architecture, inputShape, preprocess) = (run.architecture, [], run.preprocess)
        }
        var imported = try load(path, architecture: architecture, inputShape: inputShape)
        // A classifier's label names come from the config (Global.label_list), as in training.
        if let labels { imported.task.labels = labels }
        return (imported, checkpoint(imported, config: try base.tree.yaml(), preprocess: preprocess))
    }

    /// `Global.pretrained_model: file.onnx`: the file's state and task entries for a run whose
    /// model is `model` (its architecture and input height decide what is imported).
    public static func pretrained(_ path: String, for model: Module) throws -> Imported {
        if let r = model as? any Recognizer {
            return try load(path, architecture: r.architecture,
                            inputShape: [r.inputChannels, r.inputHeight, r.fixedInputWidth ?? 320])
        }
        if let c = model as? AngleClassifier {
            return try load(path, architecture: c.architecture, inputShape: [c.inputChannels, c.inputHeight, c.inputWidth])
        }
        if let d = model as? DBNet {
            return try load(path, architecture: d.architecture, inputShape: [])
        }
        throw ImportError("\(path): an ONNX file can only initialise a recogniser, an angle classifier or a DB detector, "
                          + "not a \(model.kind)")
    }
}
