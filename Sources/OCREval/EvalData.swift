import Foundation
import OCRCore
import OCRData

/// What evaluating data needs from a run config: its Eval (and Train) data sections with paths
/// resolved, and the few Global and Metric settings that change how lines are read and scored.
/// The LibTorch side builds it from the run config (`RecognitionRunConfig.evalSettings`).
public struct EvalSettings: Sendable {
    public var eval: RecDataSection?
    public var train: RecDataSection?
    public var maxTextLength: Int?
    public var threads: Int
    public var seed: UInt64
    public var metricOptions: RecognitionMetrics.Options

    public init(eval: RecDataSection?, train: RecDataSection?, maxTextLength: Int?, threads: Int, seed: UInt64,
                metricOptions: RecognitionMetrics.Options) {
        self.eval = eval
        self.train = train
        self.maxTextLength = maxTextLength
        self.threads = threads
        self.seed = seed
        self.metricOptions = metricOptions
    }
}

/// Data given on the command line instead of the config's Eval section.
public enum EvalData {
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
            s.dataset.name = "SimpleDataSet"
            s.dataset.labelFileList = data
            s.dataset.files = []
            s.dataset.dataDir = try dataFolder(of: data, packHint: true)
        } else {
            throw TrainError("--data: give either .h5 packs or label files, not both")
        }
        return s
    }

    /// The one folder `labelFiles` are in: their image paths are taken relative to it.
    static func dataFolder(of labelFiles: [String], packHint: Bool) throws -> String {
        let dirs = Set(labelFiles.map { ($0 as NSString).deletingLastPathComponent })
        guard dirs.count == 1 else {
            throw TrainError("--data: label files from different folders (\(dirs.sorted().joined(separator: ", "))); image paths are taken "
                             + "relative to one data folder - give files from one folder" + (packHint ? ", or pack them with `ocr data pack`" : ""))
        }
        return dirs.first!.isEmpty ? "." : dirs.first!
    }

    /// The dataset of `section` as evaluation reads it (`LineDataSection.evaluating`), with the run's
    /// `Global.max_text_length` (none without a config). Sections from `EvalSettings` have their
    /// paths resolved already.
    public static func dataset(_ section: RecDataSection, settings run: EvalSettings?,
                               charset: Charset) throws -> any LineDataset & DataReporting {
        try section.evaluating.dataset.makeDataset(charset: charset, maxTextLength: run?.maxTextLength)
    }

    /// The loader's size and its dataset's report, for messages.
    public static func describe(_ loader: LineLoader) -> String {
        describe(count: loader.dataset.count, unit: "samples", loader.batchesPerEpoch, loader.options.batchSize,
                 report: (loader.dataset as? DataReporting)?.report)
    }

    /// A page loader's size and its source's report, for messages.
    public static func describe(_ loader: DetectionLoader) -> String {
        describe(count: loader.source.count, unit: "pages", loader.batchesPerEpoch, loader.options.batchSize,
                 report: (loader.source as? DataReporting)?.report)
    }

    static func describe(count: Int, unit: String, _ batches: Int, _ batchSize: Int, report: DataReport?) -> String {
        var text = "  \(count) \(unit), \(batches) batches of \(batchSize) per epoch"
        if let report {
            text += "\n" + report.description.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        }
        return text
    }
}
