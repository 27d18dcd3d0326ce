import Foundation
import NN
import OCRCore
import OCRData
import OCRModels
import Torch

/// Scores a training checkpoint on the config's Eval data, or on other label files / packed `.h5`
/// files given instead: what `ocr-eval` runs.
public enum CheckpointEvaluation {
    /// The model in `checkpoint`, built from `run`'s Architecture with the checkpoint's charset.
    public static func loadModel(_ run: RecognitionRunConfig, checkpoint path: String, useEMA: Bool = false)
        throws -> (model: any Recognizer, charset: Charset, checkpoint: Checkpoint) {
        let c = try Checkpoint.read(from: path)
        let charset = try Charset(dictionaryText: c.charset, source: path, useSpaceChar: c.useSpaceChar)
        let model = try run.makeModel(charset: charset)
        let state = useEMA ? (c.ema ?? c.model) : c.model
        do {
            try model.load(state, strict: true)
        } catch {
            throw TrainError("\(path) does not fit the config's Architecture (\(run.architecture.algorithm)): \(error)")
        }
        model.eval()
        return (model, charset, c)
    }

    /// An Eval section for other data: `.h5` files become a PackedDataSet, anything else label
    /// files whose image paths are relative to the label file's folder (as `ocr data render` writes them).
    public static func section(for data: [String], like base: RecDataSection) throws -> RecDataSection {
        var s = base
        s.dataset.synthetic = nil
        s.dataset.ratioList = nil
        s.loader.shuffle = false
        s.loader.dropLast = false
        let packed = data.filter { $0.hasSuffix(".h5") || $0.hasSuffix(".hdf5") }
        if packed.count == data.count {
            s.dataset.name = "PackedDataSet"
            s.dataset.files = data
            s.dataset.labelFileList = []
        } else if packed.isEmpty {
            let dirs = Set(data.map { ($0 as NSString).deletingLastPathComponent })
            guard dirs.count == 1 else {
                throw TrainError("--data: label files from different folders (\(dirs.sorted().joined(separator: ", "))); image paths are taken relative to one data folder - give files from one folder, or pack them with `ocr data pack`")
            }
            s.dataset.name = "SimpleDataSet"
            s.dataset.labelFileList = data
            s.dataset.files = []
            s.dataset.dataDir = dirs.first!.isEmpty ? "." : dirs.first!
        } else {
            throw TrainError("--data: give either .h5 packs or label files, not both")
        }
        return s
    }

    /// What an evaluation reads: `section` with every line once, in file order (no shuffling,
    /// no `drop_last`, no `ratio_list` sampling), and policy `exclude` - a line whose image cannot
    /// be read is left out and listed, never replaced by another line (which would then be scored
    /// twice).
    public static func evaluating(_ section: RecDataSection) -> RecDataSection {
        var s = section
        s.dataset.labelIssuePolicy = .exclude
        s.dataset.ratioList = nil
        s.loader.shuffle = false
        s.loader.dropLast = false
        return s
    }

    /// The dataset of `section` as evaluation reads it (`evaluating(_:)`), with `run`'s relative
    /// paths resolved and its `Global.max_text_length` (none without a config).
    public static func dataset(_ section: RecDataSection, config run: RecognitionRunConfig?,
                               charset: Charset) throws -> any LineDataset & DataReporting {
        let s = evaluating(run.map { $0.resolved(section) } ?? section)
        return try s.dataset.makeDataset(charset: charset, maxTextLength: run?.global.maxTextLength)
    }

    public static func run(_ run: RecognitionRunConfig, checkpoint: String, data: [String]?, useEMA: Bool = false,
                           worstImages: Int = 20, events: (TrainEvent) -> Void) throws -> RecognitionEvaluator.Result {
        Torch.threads = run.global.threads
        let (model, charset, _) = try loadModel(run, checkpoint: checkpoint, useEMA: useEMA)
        guard let base = run.eval ?? (data != nil ? run.train : nil) else {
            throw TrainError("the config has no Eval section: give --data LABELS_OR_H5")
        }
        let section = evaluating(try data.map { try self.section(for: $0, like: base) } ?? base)
        let loader = try run.makeLoader(section, charset: charset, seed: run.global.seed &+ 1)
        events(.message("evaluating \(checkpoint) on:\n" + RecognitionRunConfig.describe(loader)))
        let stream = LineBatchStream(loader)
        try stream.start(epoch: 0, skipping: 0)
        defer { stream.close() }
        let evaluator = RecognitionEvaluator(charset: charset, options: run.metricOptions, keepWorstImages: worstImages)
        var result = try evaluator.evaluate(next: stream.next, forward: { try model($0) })
        result.recordNotScored(from: loader.dataset)
        return result
    }
}
