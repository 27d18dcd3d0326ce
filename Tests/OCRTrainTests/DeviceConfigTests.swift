import Foundation
import OCRCore
import OCRRun
import Torch
import XCTest
@testable import OCRTrain

/// `Global.device` through the real entry point (a YAML config with `-o` overrides, then
/// `makeTrainer`, as ocr-train runs it): a GPU this build lacks stops the run before any data is
/// read, with a message saying what to do; a bad value or a misspelt key names the key; `cpu`
/// trains exactly as a config without the key.
final class DeviceConfigTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("device-\(UUID().uuidString)")
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// configs/ci/tiny_rec.yml cut to 2 steps on 16 lines (8 to evaluate).
    func config(_ overrides: [String], run: String = "run") throws -> RecognitionRunConfig {
        try RecognitionRunConfig(RunConfig(path: DataParallelTests.tinyConfig, overrides: [
            "Train.dataset.count=16", "Train.loader.batch_size_per_card=4", "Train.loader.num_workers=0",
            "Eval.dataset.count=8", "Eval.loader.num_workers=0", "Global.max_steps=2",
            "Global.save_model_dir=\(dir.appendingPathComponent(run).path)",
        ] + overrides))
    }

    func testCUDAWithoutCUDAStopsBeforeTraining() throws {
        var events: [String] = []
        let record: (TrainEvent) -> Void = { events.append("\($0)") }
        guard Device.cudaIsAvailable else {
            for (setting, named) in [("cuda", "cuda:0"), ("cuda:1", "cuda:1")] {
                XCTAssertThrowsError(try config(["Global.device=\(setting)"]).makeTrainer(events: record)) { e in
                    XCTAssertEqual("\(e)", "Global.device: \(named) requested but this LibTorch has no CUDA "
                                   + "(torch::cuda::is_available() is false); build with LIBTORCH=<an official CUDA LibTorch> "
                                   + "on a machine with an NVIDIA GPU")
                }
            }
            XCTAssertTrue(events.isEmpty, "stopped before reading data: \(events)")
            // A data-parallel worker asking for a bare cuda gets its LOCAL_RANK's GPU, and the NCCL backend.
            let g = try config(["Global.device=cuda"]).global
            XCTAssertThrowsError(try g.processGroupBackend(environment: ["LOCAL_RANK": "3"])) {
                XCTAssertTrue("\($0)".hasPrefix("Global.device: cuda:3 requested"), "\($0)")
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.path), "no run directory written")
            return
        }
        let n = Device.cudaDeviceCount
        XCTAssertThrowsError(try config(["Global.device=cuda:\(n)"]).makeTrainer(events: record)) { e in
            XCTAssertTrue("\(e)".contains("cuda:\(n) requested but this machine has \(n) CUDA device"), "\(e)")
        }
        XCTAssertEqual(try config(["Global.device=cuda"]).global.processGroupBackend(environment: ["LOCAL_RANK": "0"]), .nccl(device: 0))
    }

    func testBadDeviceValueAndMisspeltKeyNameTheKey() throws {
        XCTAssertThrowsError(try config(["Global.device=tpu"])) { e in
            XCTAssertTrue("\(e)".contains("Global.device: 'tpu' is not a device; use cpu, cuda or cuda:N"), "\(e)")
        }
        XCTAssertThrowsError(try config(["Global.devcie=cuda"])) { e in
            XCTAssertTrue("\(e)".contains("Global.devcie"), "\(e)")
            XCTAssertTrue("\(e)".contains("device"), "the message suggests the right key: \(e)")
        }
    }

    /// `Global.device: cpu` is the default spelt out: the same two steps, the same weights, Gloo.
    func testCPUTrainsAsBefore() throws {
        func train(_ overrides: [String], run: String) throws -> [String: [Float]] {
            Torch.seed(7)                                      // the model's initial weights
            let trainer = try config(overrides, run: run).makeTrainer(events: { _ in })
            _ = try trainer.run(events: { _ in })
            return try Dictionary(uniqueKeysWithValues: trainer.engine.parts.model.stateDict().map {
                ($0.path, try $0.tensor.toArray(Float.self))
            })
        }
        let plain = try train([], run: "plain")
        let cpu = try train(["Global.device=cpu"], run: "cpu")
        XCTAssertEqual(plain.count, cpu.count)
        for (path, values) in plain { XCTAssertEqual(cpu[path], values, path) }
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("cpu/latest.h5").path))
        XCTAssertEqual(try config(["Global.device=cpu"]).global.processGroupBackend(environment: ["LOCAL_RANK": "1"]), .gloo)
        XCTAssertEqual(try config([]).global.trainingDevice(localRank: 1), .cpu)
    }
}
