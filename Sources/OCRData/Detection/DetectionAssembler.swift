import Foundation
import Imaging
import OCRCore
import OCRPreprocess

/// Detection pages on the generic loader: any `DetectionSource` (label files, packed pages,
/// rendered pages) and a `DetectionPipeline`.
public typealias DetectionLoader = DataLoader<DetectionAssembler>
/// One epoch of detection batches.
public typealias DetectionEpoch = LoaderEpoch<DetectionAssembler>
/// A detection loader as one restartable stream of epochs (the trainer's `BatchSource`).
public typealias DetectionBatchStream = BatchStream<DetectionAssembler>

/// How pages become a `DetectionBatch`. The source is any `DetectionSource`: this is where a
/// synthetic-pages source (`SyntheticPages`) plugs in beside label files.
public struct DetectionAssembler: BatchAssembler {
    public let source: any DetectionSource
    public let pipeline: DetectionPipeline

    public init(source: any DetectionSource, pipeline: DetectionPipeline) {
        self.source = source
        self.pipeline = pipeline
    }

    public var count: Int { source.count }

    public struct Prepared {
        var pixels: [Float]
        var channels: Int
        var page: DetectionPage
        var shrink: LabelMap?
        var border: LabelMap?
    }

    /// The source's sample `i`, nil when it is left out (policy `exclude`). Sources name their
    /// failures (`SampleFailure`); any other error (a renderer's) is wrapped into one here.
    func load(_ i: Int, seed: UInt64) throws -> DetectionSample? {
        do {
            return try source.sample(at: i, datasetSeed: seed)
        } catch let f as SampleFailure {
            throw f
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
            if image.channels != 3 { image = try image.converted(to: .bgr) }  // PaddleOCR's GRAY mode is 3-channel too
            switch pipeline.mode {
            case .train(let transform, let border, let shrink):
                let (page, regions) = try transform(image, regions: sample.regions, rng: &rng)
                stats.augmentSeconds += LoaderStats.seconds(since: &t)
                let b = try border(regions, width: page.width, height: page.height)
                let s = try shrink(regions, width: page.width, height: page.height)
                let info = DetectionPage(source: sample.source, regions: regions, sourceWidth: image.width,
                                         sourceHeight: image.height, width: page.width, height: page.height, ratioW: 1, ratioH: 1)
                let pixels = pipeline.normalize(page)
                stats.resizeSeconds += LoaderStats.seconds(since: &t)
                return Prepared(pixels: pixels, channels: page.channels, page: info, shrink: s, border: b)
            case .eval(let resize):
                let r = try resize(image)
                let info = DetectionPage(source: sample.source, regions: sample.regions, sourceWidth: r.sourceWidth,
                                         sourceHeight: r.sourceHeight, width: r.image.width, height: r.image.height,
                                         ratioW: r.ratioW, ratioH: r.ratioH, sourceImage: image)
                let pixels = pipeline.normalize(r.image)
                stats.resizeSeconds += LoaderStats.seconds(since: &t)
                return Prepared(pixels: pixels, channels: r.image.channels, page: info, shrink: nil, border: nil)
            }
        } catch {
            throw SampleFailure(source: sample.source, underlying: error)
        }
    }

    public func assemble(_ samples: [Prepared], stats: inout LoaderStats) throws -> DetectionBatch {
        guard let first = samples.first else {
            return DetectionBatch(images: [], shape: [0, 3, 0, 0], maps: nil, pages: [])
        }
        let (c, h, w) = (first.channels, first.page.height, first.page.width)
        if let odd = samples.first(where: { $0.page.width != w || $0.page.height != h }) {
            throw DataError("detection batch: \(odd.page.source) is \(odd.page.width)x\(odd.page.height) after resizing, "
                + "\(first.page.source) is \(w)x\(h); pages of one batch must have one size (use batch_size_per_card: 1 for evaluation)")
        }
        var t = ContinuousClock.now
        let images = Self.concatenated(samples.map(\.pixels))
        var maps: DetectionMaps?
        if first.shrink != nil {
            let (shrink, border) = (samples.compactMap(\.shrink), samples.compactMap(\.border))
            maps = DetectionMaps(shrinkMap: Self.concatenated(shrink.map(\.map)), shrinkMask: Self.concatenated(shrink.map(\.mask)),
                                 thresholdMap: Self.concatenated(border.map(\.map)),
                                 thresholdMask: Self.concatenated(border.map(\.mask)), shape: [samples.count, h, w])
        }
        stats.resizeSeconds += LoaderStats.seconds(since: &t)
        return DetectionBatch(images: images, shape: [samples.count, c, h, w], maps: maps, pages: samples.map(\.page))
    }
}

extension DetectionAssembler {
    /// The parts end to end, allocated once.
    static func concatenated(_ parts: [[Float]]) -> [Float] {
        var out = [Float]()
        out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for p in parts { out += p }
        return out
    }
}

extension DataLoader where Assembler == DetectionAssembler {
    public convenience init(source: any DetectionSource, pipeline: DetectionPipeline, options: LoaderOptions = LoaderOptions(),
                            seed: UInt64) {
        self.init(assembler: DetectionAssembler(source: source, pipeline: pipeline), options: options, seed: seed)
    }

    public var source: any DetectionSource { assembler.source }
    public var pipeline: DetectionPipeline { assembler.pipeline }
}
