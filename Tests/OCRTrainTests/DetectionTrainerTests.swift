import Foundation
import NN
import OCRCore
import OCRData
import OCRRun
import Torch
import XCTest
@testable import OCRTrain

/// The DB detector on the engine, through the real config, loader (rendered pages, augmentation,
/// shrink and threshold maps), model, loss, post-processing and metric: resume equivalence,
/// task checks on resume, a checkpoint `ocr-eval` reads back.
final class DetectionTrainerTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("det-trainer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "invoice total paid\nshipping label order\nreceipt 12.50 cash\nform name date\n"
            .write(to: dir.appendingPathComponent("corpus.txt"), atomically: true, encoding: .utf8)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func config(steps: Int, runDir: String, extra: [String] = []) throws -> DetectionRunConfig {
        let yaml = """
        Global: {max_steps: \(steps), print_batch_step: 1, eval_batch_step: [0, 3], save_model_dir: \(runDir), seed: 5, threads: 1}
        Architecture:
          model_type: det
          algorithm: DB
          Backbone: {name: MobileNetV3, scale: 0.35, model_name: small}
          Neck: {name: RSEFPN, out_channels: 16}
          Head: {name: DBHead, k: 50}
        Loss: {name: DBLoss}
        Optimizer: {name: Adam, lr: {name: Cosine, learning_rate: 0.002, warmup_steps: 2}}
        PostProcess: {name: DBPostProcess, box_thresh: 0.5}
        Metric: {name: DetMetric, main_indicator: hmean}
        Train:
          dataset:
            name: SyntheticPages
            fonts: [/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf]
            corpus: \(dir.path)/corpus.txt
            count: 24
            page_size: [128, 128]
            text_size: [12, 24]
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
            name: SyntheticPages
            fonts: [/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf]
            corpus: \(dir.path)/corpus.txt
            count: 2
            seed: 3
            page_size: [128, 128]
            text_size: [12, 24]
            transforms:
              - DecodeImage: {img_mode: BGR, channel_first: False}
              - DetLabelEncode:
              - DetResizeForTest: {limit_side_len: 128, limit_type: max}
              - NormalizeImage: {scale: 1./255., mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], order: hwc}
              - ToCHWImage:
              - KeepKeys: {keep_keys: [image, shape, polys, ignore_tags]}
          loader: {shuffle: false, drop_last: false, batch_size_per_card: 1, num_workers: 1}
        """
        var tree = try ConfigTree(yaml: yaml, source: "det.yml")
        try tree.applyOverrides(extra, allowNewKeys: true)
        return try DetectionRunConfig(RunConfig(tree: tree))
    }

    /// Train N+M steps in one go, or N, stop, resume, M more: the same weights.
    func testResumeEquivalence() throws {
        let fullDir = dir.appendingPathComponent("full").path
        let full = try config(steps: 8, runDir: fullDir).makeTrainer(events: { _ in })
        _ = try full.run { _ in }

        let partDir = dir.appendingPathComponent("part").path
        let first = try config(steps: 8, runDir: partDir).makeTrainer(events: { _ in })
        let stop = StopFlag()
        _ = try first.run(stop: stop) { e in if case .step(let s) = e, s.step == 5 { stop.request("test stop") } }
        let second = try config(steps: 8, runDir: partDir, extra: ["Global.checkpoints=\(partDir)/latest.h5"])
            .makeTrainer(events: { _ in })
        XCTAssertEqual(second.progress.step, 5)
        _ = try second.run { _ in }
        for ((p, a), (_, b)) in zip(full.parts.model.stateDict(), second.parts.model.stateDict()) {
            let d = try (a - b).abs().max().item()
            XCTAssertLessThanOrEqual(d, 1e-6, "\(p) differs by \(d) after resume")
        }
        let best = try Checkpoint.read(from: fullDir + "/best.h5")
        XCTAssertEqual(best.task.kind, .det)
        XCTAssertTrue(best.metrics.contains("hmean"), best.metrics)
    }

    /// A detector's checkpoint is refused by another task's resume, and ocr-eval's path scores it.
    func testCheckpointIsADetectorsAndEvaluates() throws {
        let runDir = dir.appendingPathComponent("a").path
        let run = try config(steps: 3, runDir: runDir)
        _ = try run.makeTrainer(events: { _ in }).run { _ in }
        var c = try Checkpoint.read(from: runDir + "/latest.h5")
        XCTAssertEqual(c.task.kind, .det)
        let result = try DetectionCheckpointEvaluation.run(run, checkpoint: runDir + "/latest.h5", data: nil, worstImages: 1) { _ in }
        XCTAssertEqual(result.pages.count, 2, "each eval page scored once")
        XCTAssertGreaterThan(result.metrics.groundTruthCare, 0, "rendered pages carry text regions")
        c.task = TaskEntries(kind: .rec, strings: ["charset": "a\nb\n"])
        try c.write(to: runDir + "/rec.h5")
        XCTAssertThrowsError(try DetectionCheckpointEvaluation.run(run, checkpoint: runDir + "/rec.h5", data: nil) { _ in }) { e in
            XCTAssertTrue("\(e)".contains("rec checkpoint"), "\(e)")
        }
        XCTAssertThrowsError(try config(steps: 3, runDir: dir.appendingPathComponent("b").path,
                                        extra: ["Global.checkpoints=\(runDir)/rec.h5"]).makeTrainer(events: { _ in })) { e in
            XCTAssertTrue("\(e)".contains("refusing to resume") || "\(e)".contains("rec"), "\(e)")
        }
    }

    func testConfigErrorsNameTheKey() throws {
        XCTAssertThrowsError(try config(steps: 1, runDir: dir.path, extra: ["Loss.alpah=3"])) { e in
            XCTAssertTrue("\(e)".contains("alpah"), "\(e)")
        }
        XCTAssertThrowsError(try config(steps: 1, runDir: dir.path, extra: ["PostProcess.box_thresh=7"])) { e in
            XCTAssertTrue("\(e)".contains("box_thresh"), "\(e)")
        }
        XCTAssertThrowsError(try config(steps: 1, runDir: dir.path, extra: ["Metric.main_indicator=acc"])) { e in
            XCTAssertTrue("\(e)".contains("main_indicator"), "\(e)")
        }
        XCTAssertThrowsError(try config(steps: 1, runDir: dir.path, extra: ["Train.dataset.fontz=[a]"])) { e in
            XCTAssertTrue("\(e)".contains("fontz"), "\(e)")
        }
    }
}
