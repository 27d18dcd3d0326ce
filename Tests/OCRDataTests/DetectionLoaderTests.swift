import Foundation
import Imaging
import OCRCore
import OCRPreprocess
import XCTest
@testable import OCRData

/// The detection loader end to end: batches, shapes, determinism, eval page info, config.
final class DetectionLoaderTests: XCTestCase {
    private let smallTrain = DetectionPipeline(mode: .train(DetTrainTransform(crop: DetRandomCrop(width: 96, height: 64)),
                                                            border: BorderMapBuilder(), shrink: ShrinkMapBuilder()))

    func testTrainBatchesHaveImagesAndFourMaps() throws {
        let f = try DataFixture()
        let ds = try DetectionLabelDataset(.init(dataDir: f.dir, labelFiles: [try f.goodDetSet("train.txt", count: 5)]))
        let loader = DetectionLoader(source: ds, pipeline: smallTrain, options: LoaderOptions(batchSize: 2, workers: 0), seed: 3)
        let batch = try loader.batch(epoch: 0, index: 0)
        XCTAssertEqual(batch.shape, [2, 3, 64, 96])
        XCTAssertEqual(batch.images.count, 2 * 3 * 64 * 96)
        let maps = try XCTUnwrap(batch.maps)
        XCTAssertEqual(maps.shape, [2, 64, 96])
        for m in [maps.shrinkMap, maps.shrinkMask, maps.thresholdMap, maps.thresholdMask] { XCTAssertEqual(m.count, 2 * 64 * 96) }
        XCTAssertTrue(maps.shrinkMap.contains(1), "some text in the crops")
        XCTAssertTrue(maps.thresholdMap.allSatisfy { $0 >= 0.3 - 1e-6 && $0 <= 0.7 + 1e-6 })
        XCTAssertTrue(maps.shrinkMask.allSatisfy { $0 == 0 || $0 == 1 })
        XCTAssertEqual(batch.pages.count, 2)
        XCTAssertEqual(batch.pages[0].sourceWidth, 160)
        XCTAssertEqual(loader.batchesPerEpoch, 3)
    }

    func testSameSeedSameBatchOtherSeedAnother() throws {
        let f = try DataFixture()
        let ds = try DetectionLabelDataset(.init(dataDir: f.dir, labelFiles: [try f.goodDetSet("train.txt", count: 6)]))
        func batch(seed: UInt64, workers: Int) throws -> DetectionBatch {
            let loader = DetectionLoader(source: ds, pipeline: smallTrain, options: LoaderOptions(batchSize: 3, workers: workers), seed: seed)
            let epoch = loader.epoch(1)
            defer { epoch.close() }
            return try XCTUnwrap(try epoch.next())
        }
        let a = try batch(seed: 11, workers: 0), b = try batch(seed: 11, workers: 2), c = try batch(seed: 12, workers: 0)
        XCTAssertEqual(a.images, b.images)
        XCTAssertEqual(a.maps?.shrinkMap, b.maps?.shrinkMap)
        XCTAssertEqual(a.maps?.thresholdMap, b.maps?.thresholdMap)
        XCTAssertEqual(a.maps?.shrinkMask, b.maps?.shrinkMask)
        XCTAssertEqual(a.pages.map(\.regions), b.pages.map(\.regions))
        XCTAssertNotEqual(a.images, c.images)
    }

    func testEvalBatchesKeepSourceRegionsAndRatios() throws {
        let f = try DataFixture()
        let labels = try f.goodDetSet("test.txt", count: 2)
        let ds = try DetectionLabelDataset(.init(dataDir: f.dir, labelFiles: [labels], policy: .exclude))
        let pipeline = DetectionPipeline(mode: .eval(DetResize(mode: .limit(side: 96, type: .max))))
        let loader = DetectionLoader(source: ds, pipeline: pipeline, options: LoaderOptions(batchSize: 2, shuffle: false, workers: 0),
                                     seed: 0)
        let batch = try loader.batch(epoch: 0, index: 0)
        XCTAssertNil(batch.maps)
        // 160 x 120 -> 96 x 72 -> 96 x 64 (72 / 32 = 2.25).
        XCTAssertEqual(batch.shape, [2, 3, 64, 96])
        let page = batch.pages[1]
        XCTAssertEqual(page.source, "\(labels):2 (imgs/test.txt-1.png)")
        XCTAssertEqual([page.sourceWidth, page.sourceHeight, page.width, page.height], [160, 120, 96, 64])
        XCTAssertEqual(page.ratioW, 0.6, accuracy: 1e-12)
        XCTAssertEqual(page.ratioH, 64.0 / 120, accuracy: 1e-12)
        XCTAssertEqual(page.regions[0].polygon, Polygon([(23, 10), (83, 10), (83, 30), (23, 30)]), "source coordinates")
        let predicted = Polygon([(0.6 * 23, 10 * 64.0 / 120), (0.6 * 83, 30 * 64.0 / 120)])
        XCTAssertEqual(page.toSource(predicted).points[1].x, 83, accuracy: 1e-9)
        XCTAssertEqual(page.toSource(predicted).points[1].y, 30, accuracy: 1e-9)
    }

    func testEvalPagesOfDifferentSizesInOneBatchAreAnError() throws {
        let f = try DataFixture()
        let labels = try f.writeLabels("mixed.txt", [
            try f.writeDetPage("a.png", width: 160, height: 120, boxes: [(10, 10, 50, 30)]),
            try f.writeDetPage("b.png", width: 320, height: 120, boxes: [(10, 10, 50, 30)]),
        ])
        let ds = try DetectionLabelDataset(.init(dataDir: f.dir, labelFiles: [labels], policy: .exclude))
        let loader = DetectionLoader(source: ds, pipeline: DetectionPipeline(mode: .eval(DetResize())),
                                     options: LoaderOptions(batchSize: 2, shuffle: false, workers: 0), seed: 0)
        XCTAssertThrowsError(try loader.batch(epoch: 0, index: 0)) { e in
            XCTAssertTrue("\(e)".contains("batch_size_per_card: 1"), "\(e)")
        }
        let one = DetectionLoader(source: ds, pipeline: loader.pipeline, options: LoaderOptions(batchSize: 1, shuffle: false, workers: 0),
                                  seed: 0)
        XCTAssertEqual(try one.batch(epoch: 0, index: 1).shape, [1, 3, 736, 1952])
    }

    // MARK: Config

    private func yaml(_ f: DataFixture, labels: String, transforms: String) -> String {
        """
        Train:
          dataset:
            name: SimpleDataSet
            data_dir: \(f.dir)
            label_file_list:
              - \(labels)
            ratio_list: [1.0]
            transforms:
        \(transforms)
          loader:
            shuffle: True
            drop_last: False
            batch_size_per_card: 2
            num_workers: 0
            use_shared_memory: False
        """
    }

    private let paddleTrain = """
              - DecodeImage: {img_mode: BGR, channel_first: False}
              - DetLabelEncode:
              - IaaAugment:
                  augmenter_args:
                    - { 'type': Fliplr, 'args': { 'p': 0.5 } }
                    - { 'type': Affine, 'args': { 'rotate': [-10, 10] } }
                    - { 'type': Resize, 'args': { 'size': [0.5, 3] } }
              - EastRandomCropData: {size: [128, 96], max_tries: 50, keep_ratio: true}
              - MakeBorderMap: {shrink_ratio: 0.4, thresh_min: 0.3, thresh_max: 0.7}
              - MakeShrinkMap: {shrink_ratio: 0.4, min_text_size: 8}
              - NormalizeImage:
                  scale: 1./255.
                  mean: [0.485, 0.456, 0.406]
                  std: [0.229, 0.224, 0.225]
                  order: 'hwc'
              - ToCHWImage:
              - KeepKeys:
                  keep_keys: ['image', 'threshold_map', 'threshold_mask', 'shrink_map', 'shrink_mask']
        """

    func testPaddleOCRDetTrainSectionBuildsALoader() throws {
        let f = try DataFixture()
        let labels = try f.goodDetSet("train.txt", count: 3)
        let section = try ConfigTree(yaml: yaml(f, labels: labels, transforms: paddleTrain)).decode(DetDataSection.self, at: "Train")
        let t = section.dataset.transforms
        XCTAssertEqual(t.augment, DetAugment())
        XCTAssertEqual(t.crop, DetRandomCrop(width: 128, height: 96, maxTries: 50))
        XCTAssertEqual(t.shrink, ShrinkMapBuilder())
        XCTAssertEqual(t.border, BorderMapBuilder())
        XCTAssertEqual(t.normalize, DetNormalize())
        let loader = try section.makeLoader(seed: 4)
        let batch = try loader.batch(epoch: 0, index: 0)
        XCTAssertEqual(batch.shape, [2, 3, 96, 128])
        XCTAssertEqual(batch.maps?.shape, [2, 96, 128])

        let eval = section.evaluating
        XCTAssertEqual(eval.dataset.labelIssuePolicy, .exclude)
        XCTAssertFalse(eval.loader.shuffle)
    }

    func testPaddleOCRDetEvalSection() throws {
        let f = try DataFixture()
        let labels = try f.goodDetSet("test.txt", count: 2)
        let transforms = """
                  - DecodeImage: {img_mode: BGR, channel_first: False}
                  - DetLabelEncode:
                  - DetResizeForTest: {limit_side_len: 96, limit_type: max}
                  - NormalizeImage: {scale: 1./255., mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], order: 'hwc'}
                  - ToCHWImage:
                  - KeepKeys: {keep_keys: ['image', 'shape', 'polys', 'ignore_tags']}
            """
        let section = try ConfigTree(yaml: yaml(f, labels: labels, transforms: transforms)).decode(DetDataSection.self, at: "Train")
        XCTAssertEqual(section.dataset.transforms.resize, DetResize(mode: .limit(side: 96, type: .max)))
        let batch = try section.evaluating.makeLoader(seed: 0).batch(epoch: 0, index: 0)
        XCTAssertEqual(batch.shape, [2, 3, 64, 96])
        let shape = try ConfigTree(yaml: yaml(f, labels: labels, transforms: "          - DetResizeForTest: {image_shape: [736, 1280]}"))
            .decode(DetDataSection.self, at: "Train")
        XCTAssertEqual(shape.dataset.transforms.resize?.mode, .shape(height: 736, width: 1280, keepRatio: false))
    }

    func testUnknownKeysAndOpsAreErrorsNamingThem() throws {
        let f = try DataFixture()
        let labels = try f.goodDetSet("train.txt", count: 1)
        let typo = paddleTrain.replacingOccurrences(of: "min_text_size: 8", with: "min_txt_size: 8")
        XCTAssertThrowsError(try ConfigTree(yaml: yaml(f, labels: labels, transforms: typo)).decode(DetDataSection.self, at: "Train")) { e in
            XCTAssertTrue("\(e)".contains("min_txt_size"), "\(e)")
        }
        let op = paddleTrain.replacingOccurrences(of: "- ToCHWImage:", with: "- RandomRotate:")
        XCTAssertThrowsError(try ConfigTree(yaml: yaml(f, labels: labels, transforms: op)).decode(DetDataSection.self, at: "Train")) { e in
            XCTAssertTrue("\(e)".contains("transform 'RandomRotate' is not supported for detection"), "\(e)")
        }
        let aug = paddleTrain.replacingOccurrences(of: "type': Fliplr", with: "type': Flipud")
        XCTAssertThrowsError(try ConfigTree(yaml: yaml(f, labels: labels, transforms: aug)).decode(DetDataSection.self, at: "Train")) { e in
            XCTAssertTrue("\(e)".contains("augmenter 'Flipud' is not supported"), "\(e)")
        }
        let noMaps = """
                  - DecodeImage:
                  - EastRandomCropData: {size: [64, 64]}
            """
        let section = try ConfigTree(yaml: yaml(f, labels: labels, transforms: noMaps)).decode(DetDataSection.self, at: "Train")
        XCTAssertThrowsError(try section.makeLoader(seed: 0)) { e in XCTAssertTrue("\(e)".contains("MakeShrinkMap"), "\(e)") }
    }

    /// Another source (the synthetic pages, later) goes through `makeLoader(source:)`.
    func testAnyDetectionSourcePlugsIn() throws {
        struct Drawn: DetectionSource {
            var count: Int { 2 }
            func sample(at index: Int, datasetSeed: UInt64) throws -> DetectionSample? {
                DetectionSample(image: try DataFixture.detPage(width: 100, height: 80, boxes: [(10, 10, 60, 30)]),
                                regions: [TextRegion(transcription: "x", polygon: Polygon([(10, 10), (60, 10), (60, 30), (10, 30)]))],
                                source: "drawn page \(index)")
            }
        }
        let f = try DataFixture()
        let labels = try f.goodDetSet("train.txt", count: 1)
        let section = try ConfigTree(yaml: yaml(f, labels: labels, transforms: paddleTrain)).decode(DetDataSection.self, at: "Train")
        let batch = try section.makeLoader(seed: 1, source: Drawn()).batch(epoch: 0, index: 0)
        XCTAssertEqual(Set(batch.pages.map(\.source)), ["drawn page 0", "drawn page 1"])
    }
}
