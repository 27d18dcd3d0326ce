import Foundation
import OCRCore
import OCRExport
import OCRInference
import OCRPreprocess
import OCRRun
import OCRTrain
import Torch
import XCTest

/// `ocr-export` on a detector's checkpoint: a small DBNet (MobileNetV3 small x0.35 + RSEFPN 16)
/// trained 3 steps on rendered pages through `DetectionRunConfig.makeTrainer` (norms then given
/// image-like statistics, so its maps vary with the page), then the shared
/// pipeline with `DetectionExport` - FP32 parity (random pages of three sizes and a real Eval
/// page), the det metadata, hmean on the Eval pages equal to the checkpoint's own evaluation,
/// INT8 calibrated on Train pages and gated on hmean, latency per page at 640 and 960.
final class DetectorExportJobTests: XCTestCase {
    var dir: URL!
    var runDir: String!
    var config: RunConfig!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("det-export-job-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "invoice total paid\nshipping label order\nreceipt 12.50 cash\nform name date\n"
            .write(to: dir.appendingPathComponent("corpus.txt"), atomically: true, encoding: .utf8)
        runDir = dir.appendingPathComponent("run").path
        let pages = """
            name: SyntheticPages
            fonts: [/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf]
            corpus: \(dir.path)/corpus.txt
            page_size: [128, 160]
            text_size: [12, 24]
        """
        let yaml = """
        Global: {max_steps: 3, print_batch_step: 1, eval_batch_step: [0, 100], save_model_dir: \(runDir!), seed: 5, threads: 2}
        Architecture:
          model_type: det
          algorithm: DB
          Backbone: {name: MobileNetV3, scale: 0.35, model_name: small}
          Neck: {name: RSEFPN, out_channels: 16}
          Head: {name: DBHead, k: 50}
        Loss: {name: DBLoss}
        Optimizer: {name: Adam, lr: {name: Cosine, learning_rate: 0.002, warmup_steps: 2}}
        PostProcess: {name: DBPostProcess, thresh: 0.3, box_thresh: 0.5, unclip_ratio: 1.6}
        Metric: {name: DetMetric, main_indicator: hmean}
        Train:
          dataset:
        \(pages)
            count: 16
            transforms:
              - DecodeImage: {img_mode: BGR, channel_first: False}
              - DetLabelEncode:
              - EastRandomCropData: {size: [64, 64], max_tries: 10, keep_ratio: true}
              - MakeBorderMap: {shrink_ratio: 0.4, thresh_min: 0.3, thresh_max: 0.7}
              - MakeShrinkMap: {shrink_ratio: 0.4, min_text_size: 8}
              - NormalizeImage: {scale: 1./255., mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], order: hwc}
              - ToCHWImage:
              - KeepKeys: {keep_keys: [image, threshold_map, threshold_mask, shrink_map, shrink_mask]}
          loader: {shuffle: true, drop_last: true, batch_size_per_card: 4, num_workers: 1}
        Eval:
          dataset:
        \(pages)
            count: 3
            seed: 3
            transforms:
              - DecodeImage: {img_mode: BGR, channel_first: False}
              - DetLabelEncode:
              - DetResizeForTest: {limit_side_len: 128, limit_type: max}
              - NormalizeImage: {scale: 1./255., mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], order: hwc}
              - ToCHWImage:
              - KeepKeys: {keep_keys: [image, shape, polys, ignore_tags]}
          loader: {shuffle: false, drop_last: false, batch_size_per_card: 1, num_workers: 1}
        """
        config = try RunConfig(tree: ConfigTree(yaml: yaml, source: "det.yml"))
        let det = try DetectionRunConfig(config)
        _ = try det.makeTrainer(events: { _ in }).run { _ in }
        // Three steps leave maps that hardly depend on the page (parity on them would prove
        // little): the checkpoint's norms get the statistics of image-like pages, as in
        // DetectorExportTests, and the checkpoint is written back.
        let latest = runDir + "/latest.h5"
        var c = try Checkpoint.read(from: latest)
        let model = try det.loadModel(from: c, path: latest)
        Torch.seed(7)
        try calibrateBatchNorms(in: model, on: lines([4, 3, 128, 128])) { try model($0) }
        model.eval()
        let spread = try inputSensitivity(noGrad { try model(lines([3, 3, 128, 128])) })
        XCTAssertGreaterThan(spread, 0.05, "the probability map hardly depends on the page")
        c.model = Dictionary(uniqueKeysWithValues: model.stateDict().map { ($0.path, $0.tensor) })
        try c.write(to: latest)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testExportWithINT8() throws {
        let checkpoint = runDir + "/latest.h5"
        let out = dir.appendingPathComponent("export").path
        var o = ExportJob.Options(out: out)
        o.int8 = true
        o.calibrationImages = 4
        o.maxAccuracyDrop = 100
        var log: [String] = []
        let report = try ExportJob(config: config, checkpoint: checkpoint, options: o).run { print($0); log.append($0) }
        print(report.markdown())

        XCTAssertEqual(report.kind, "det")
        XCTAssertEqual(report.metric, "hmean")
        XCTAssertTrue(report.parityPassed, "\(report.parity)")
        XCTAssertLessThanOrEqual(report.parityMaxAbsDiff, 1e-4)
        XCTAssertTrue(report.parity.contains { $0.contains("random, batch 2, size 640 x 480") }, "\(report.parity)")
        XCTAssertTrue(report.parity.contains { $0.contains("real pages, batch 1, size 128 x 96") }, "a 128 wide, 160 high page at limit 128: \(report.parity)")
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: out)),
                       ["model.onnx", "model.int8.onnx", "export-report.json", "export-report.md"])

        // The metadata a detector on the inference side reads.
        let meta = try DetectorMetadata(properties: InferenceSession(path: out + "/model.onnx").metadata.custom)
        XCTAssertEqual(meta.resize, DetResize(mode: .limit(side: 128, type: .max)))
        XCTAssertEqual(meta.postProcess.boxThresh, 0.5)
        XCTAssertEqual(meta.postProcess.unclipRatio, 1.6)
        XCTAssertEqual(meta.colorOrder, "BGR")
        XCTAssertEqual(meta.sourceCheckpoint, checkpoint)
        XCTAssertEqual(meta.configSHA256, SHA256Digest(of: try Checkpoint.read(from: checkpoint).config).hex)
        XCTAssertEqual(try InferenceSession(path: out + "/model.int8.onnx").metadata.custom["ocrkit.kind"], "det")

        // hmean of the ONNX file on the Eval pages = the checkpoint's own evaluation (LibTorch, ocr-eval's path).
        let torch = try DetectionCheckpointEvaluation.run(DetectionRunConfig(config), checkpoint: checkpoint, data: nil, worstImages: 0) { _ in }
        XCTAssertEqual(report.fp32.samples, 3)
        XCTAssertEqual(try XCTUnwrap(report.fp32.accuracy), torch.hmean, accuracy: 1e-9)
        // hmean alone could agree by chance (a 3-step model matches little): the ONNX file must
        // find the same boxes, page by page, as the checkpoint does.
        let onnx = try DetectionExport(config: DetectionRunConfig(config), checkpoint: Checkpoint.read(from: checkpoint), path: checkpoint,
                                       options: ExportOptions()).evaluation(modelAt: out + "/model.onnx", data: nil)
        XCTAssertGreaterThan(torch.metrics.detectionCare, 0, "the model detects nothing: the comparison would prove little")
        XCTAssertEqual(onnx.pages.map(\.source), torch.pages.map(\.source))
        for (a, b) in zip(onnx.pages, torch.pages) {
            XCTAssertEqual(a.result.detectionCare, b.result.detectionCare, "\(a.source): detections")
            XCTAssertEqual(a.result.matched, b.result.matched, "\(a.source): matches")
        }
        XCTAssertTrue(log.contains { $0.hasPrefix("hmean of the FP32 model: ") && $0.contains("(3 samples)") }, "\(log)")

        // INT8: calibrated on Train pages, scored, gated, timed at both page sizes; no sensitivity (no classes).
        let int8 = try XCTUnwrap(report.int8)
        XCTAssertNotNil(int8.accuracy)
        XCTAssertEqual(report.int8Accepted, true)
        XCTAssertTrue(report.calibration?.contains("4 samples") ?? false, report.calibration ?? "none")
        XCTAssertEqual(report.fp32.latency.compactMap(\.input), [[3, 640, 640], [3, 960, 960]])
        XCTAssertEqual(int8.latency.map(\.batch), [1, 1])
        XCTAssertTrue(report.sensitivity.isEmpty)
        XCTAssertTrue(report.markdown().contains("FP32 at 3x960x960, batch 1"), report.markdown())
    }

    /// A recogniser's checkpoint with the det config is refused, naming both tasks; nothing is written.
    func testOtherTasksCheckpointIsRefused() throws {
        var c = try Checkpoint.read(from: runDir + "/latest.h5")
        c.task = TaskEntries(kind: .rec, strings: ["charset": "a\nb\n"])
        let rec = runDir + "/rec.h5"
        try c.write(to: rec)
        let out = dir.appendingPathComponent("refused").path
        XCTAssertThrowsError(try ExportJob(config: config, checkpoint: rec, options: .init(out: out)).run { _ in }) { e in
            XCTAssertTrue("\(e)".contains("it is a rec checkpoint, but the config's Architecture.model_type is det"), "\(e)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/model.onnx"))
    }
}
