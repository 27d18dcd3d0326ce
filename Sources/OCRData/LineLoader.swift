import Foundation
import Imaging
import OCRCore

/// Text lines for a recogniser or a line classifier: a `LineDataset` and its `LinePipeline`
/// (augment, resize and normalise, encode the text as charset classes) on the generic loader.
public typealias LineLoader = DataLoader<LineAssembler>
/// One epoch of line batches.
public typealias LineEpoch = LoaderEpoch<LineAssembler>
/// A line loader as one restartable stream of epochs (the trainer's `BatchSource`).
public typealias LineBatchStream = BatchStream<LineAssembler>

/// How line samples become a `LineBatch`: decoded by the dataset, augmented (training only),
/// resized and normalised (`RecResize`), the text encoded; then padded to a common width.
public struct LineAssembler: BatchAssembler {
    public let dataset: any LineDataset
    public let pipeline: LinePipeline

    public init(dataset: any LineDataset, pipeline: LinePipeline) {
        self.dataset = dataset
        self.pipeline = pipeline
    }

    public var count: Int { dataset.count }

    public func textLength(index: Int, datasetSeed: UInt64) -> Int? { dataset.textLength(at: index, seed: datasetSeed) }

    public struct Prepared {
        var line: RecResize.Line
        var label: [Int]
        var text: String, source: String, group: String
    }

    /// The dataset's sample `i`, nil when it is excluded (policy `exclude`: the dataset's report
    /// holds the issue).
    func load(_ i: Int, seed: UInt64) throws -> LineSample? {
        do {
            return try dataset.sample(at: i, seed: seed)
        } catch is SampleExcluded {
            return nil
        } catch {
            throw SampleFailure(source: (error as? DataError)?.issue?.location, underlying: error)
        }
    }

    public func prepare(index i: Int, datasetSeed: UInt64, rng: inout SplitMix64, stats: inout LoaderStats) throws -> Prepared? {
        var t = ContinuousClock.now
        let loaded = try load(i, seed: datasetSeed)
        stats.loadSeconds += LoaderStats.seconds(since: &t)
        guard let sample = loaded else { return nil }
        do {
            var image = sample.image
            if let augment = pipeline.augment {
                image = try augment(image, rng: &rng)
                stats.augmentSeconds += LoaderStats.seconds(since: &t)
            }
            let line = try pipeline.resize(image)
            var label: [Int] = []
            if let charset = pipeline.charset {
                let encoded = charset.encode(sample.text)
                guard encoded.unknown.isEmpty else {
                    throw DataError("text \(sample.text.debugDescription) has characters outside the charset: " + String(encoded.unknown))
                }
                label = encoded.classes
            }
            stats.resizeSeconds += LoaderStats.seconds(since: &t)
            return Prepared(line: line, label: label, text: sample.text, source: sample.source, group: sample.group)
        } catch {
            throw SampleFailure(source: sample.source, underlying: error)
        }
    }

    public func assemble(_ samples: [Prepared], stats: inout LoaderStats) throws -> LineBatch {
        var t = ContinuousClock.now
        let resize = pipeline.resize
        let validWidths = samples.map(\.line.validWidth)
        let width = resize.batchWidth(validWidths: validWidths)
        var pixels = [Float](repeating: 0, count: samples.count * resize.channels * resize.height * width)
        for (k, s) in samples.enumerated() { resize.place(s.line, into: &pixels, at: k, batchWidth: width) }
        stats.resizeSeconds += LoaderStats.seconds(since: &t)
        return LineBatch(pixels: pixels, batch: samples.count, channels: resize.channels, height: resize.height,
                         width: width, labels: samples.map(\.label), texts: samples.map(\.text),
                         sources: samples.map(\.source), groups: samples.map(\.group), validWidths: validWidths)
    }
}

extension DataLoader where Assembler == LineAssembler {
    public convenience init(dataset: any LineDataset, pipeline: LinePipeline, options: LoaderOptions = LoaderOptions(), seed: UInt64) {
        self.init(assembler: LineAssembler(dataset: dataset, pipeline: pipeline), options: options, seed: seed)
    }

    public var dataset: any LineDataset { assembler.dataset }
    public var pipeline: LinePipeline { assembler.pipeline }

    /// The samples of batch `index` of `epoch` as the dataset gives them - decoded, before
    /// augmentation and resizing - for a consumer with preprocessing of its own (`ocr-eval` on an
    /// ONNX model reads them through `TextRecognizer`, as `ocr predict` reads files). Excluded
    /// samples are left out as in `batch(epoch:index:)`. `order` is `order(epoch:)`; pass it when
    /// reading many batches (it is computed otherwise).
    public func samples(epoch: Int, index b: Int, order: [Int]? = nil) throws -> [LineSample] {
        let order = order ?? self.order(epoch: epoch)
        let dsSeed = datasetSeed(epoch: epoch)
        return try indices(ofBatch: b, order: order).compactMap { i in
            do {
                return try assembler.load(i, seed: dsSeed)
            } catch let f as SampleFailure {
                throw LoaderError(position: LoaderPosition(epoch: epoch, batch: b), index: i, source: f.source, underlying: f.underlying)
            }
        }
    }
}
