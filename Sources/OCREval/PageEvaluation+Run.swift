import Foundation
import OCRCore
import OCRData
import OCRInference

extension DataIssue.Category {
    /// A page the source gave but the page pipeline could not read (a model or crop error).
    public static let pipelineFailed = "pipeline-failed"
    /// A page the source could not give (a rendering error).
    public static let pageNotMade = "page-not-made"
}

extension PageEvaluation {
    /// Reads every page of `source` (sample 0..<count with `datasetSeed`, as the evaluation
    /// loader would give them, without its resize: the reader resizes for its detector) with
    /// `reader` and scores it. Pages the source leaves out (policy `exclude`: a missing or
    /// undecodable image, a bad label line) and pages the pipeline fails on are listed as not
    /// read. `progress(done, total)` is called after each page.
    public static func run(reader: PageReader, source: any DetectionSource & DataReporting, datasetSeed: UInt64,
                           worstImages: Int = 20, unit: TextUnit = .character, ignoreSpace: Bool = false,
                           progress: (Int, Int) -> Void = { _, _ in }) throws -> PageEvaluation {
        var result = PageEvaluation(keepImages: worstImages, unit: unit, ignoreSpace: ignoreSpace)
        var failed = [DataIssue]()
        let t0 = Date()
        for i in 0..<source.count {
            defer { progress(i + 1, source.count) }
            let sample: DetectionSample
            do {
                guard let s = try source.sample(at: i, datasetSeed: datasetSeed) else { continue }   // listed in the source's report
                sample = s
            } catch {
                failed.append(issue(source, index: i, seed: datasetSeed, sampleSource: nil, category: DataIssue.Category.pageNotMade, error))
                continue
            }
            let read: PageReader.Page
            do {
                read = try reader.read(sample.image)
            } catch {
                failed.append(issue(source, index: i, seed: datasetSeed, sampleSource: sample.source, category: DataIssue.Category.pipelineFailed, error))
                continue
            }
            let image = sample.image
            try result.add(source: sample.source, group: sample.group, read: read, groundTruth: sample.regions) {
                try ReportImage(image)
            }
        }
        result.pagesPerSecond = Double(result.pages.count) / max(Date().timeIntervalSince(t0), 1e-9)
        try result.recordNotScored(source.report.excluded + failed)
        return result
    }

    /// The issue for page `index` of `source`: at its label line when it has one
    /// (`det_gt.txt:12`), else at `source#index` (`synthetic page 3#3`, `pages.h5#3`).
    static func issue(_ source: any DetectionSource, index: Int, seed: UInt64, sampleSource: String?, category: String, _ error: any Error) -> DataIssue {
        if let labels = source as? DetectionLabelDataset {
            let r = labels.record(at: index, seed: seed).label
            return DataIssue(file: r.file, line: r.line, category: category, message: "\(error)", imagePath: r.imagePath)
        }
        return DataIssue(file: sampleSource ?? "page", line: index, isPackedRecord: true, category: category, message: "\(error)")
    }

    /// The pages of det label files given on the command line, without a config: image paths
    /// relative to the label files' folder, every page once in file order, policy `exclude`.
    public static func source(labelFiles: [String]) throws -> any DetectionSource & DataReporting {
        try EvalData.section(for: labelFiles, like: DetDataSection(dataset: DetDatasetConfig())).dataset.makeSource()
    }
}
