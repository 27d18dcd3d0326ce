import Foundation
import Torch
import XCTest
@testable import OCRTrain

/// `ocr-train --nproc 2` as a user runs it: the built executable starts two worker processes of
/// itself. Needs `swift build --build-tests` (which builds ocr-train next to the test bundle).
final class DataParallelLaunchTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("ddp-launch-\(UUID().uuidString)")
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func ocrTrain() throws -> String {
        let candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(), Bundle.main.bundleURL]
            .map { $0.appendingPathComponent("ocr-train").path }
        guard let path = candidates.first(where: FileManager.default.isExecutableFile) else {
            throw TrainError("ocr-train not built next to the tests (\(candidates)): run swift build --build-tests")
        }
        return path
    }

    /// A running `ocr-train` whose merged output is collected.
    final class Run: @unchecked Sendable {
        let process = Process()
        private let lock = NSLock()
        private var text = ""
        var output: String { lock.withLock { text } }

        init(_ exe: String, _ args: [String], environment: [String: String] = [:]) throws {
            let pipe = Pipe()
            process.executableURL = URL(fileURLWithPath: exe)
            process.arguments = args
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
            process.standardOutput = pipe
            process.standardError = pipe
            pipe.fileHandleForReading.readabilityHandler = { [weak self] h in
                let d = h.availableData
                guard let self, !d.isEmpty else { return }
                self.lock.withLock { self.text += String(decoding: d, as: UTF8.self) }
            }
            try process.run()
        }

        /// Waits until `output` contains `fragment` (or the process ends, or `seconds` pass).
        func wait(for fragment: String, seconds: Double) -> Bool {
            let end = Date().addingTimeInterval(seconds)
            while Date() < end {
                if output.contains(fragment) { return true }
                if !process.isRunning { return output.contains(fragment) }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return false
        }

        func waitForExit(seconds: Double) -> Bool {
            let end = Date().addingTimeInterval(seconds)
            while process.isRunning, Date() < end { Thread.sleep(forTimeInterval: 0.1) }
            Thread.sleep(forTimeInterval: 0.3)                      // the last output
            return !process.isRunning
        }
    }

    func args(steps: Int) -> [String] {
        ["-c", DataParallelTests.tinyConfig, "--nproc", "2", "-o", "Global.max_steps=\(steps)", "Global.print_batch_step=1",
         "Global.save_model_dir=\(dir.path)", "Global.eval_batch_step=[1000,1000]", "Train.dataset.count=96", "Eval.dataset.count=8"]
    }

    /// Two workers train; only rank 0 logs and writes; both exit cleanly.
    func testTwoWorkersTrainAndOnlyRankZeroWrites() throws {
        let run = try Run(try ocrTrain(), args(steps: 3))
        XCTAssertTrue(run.waitForExit(seconds: 300), "still running:\n\(run.output)")
        let out = run.output
        XCTAssertEqual(run.process.terminationStatus, 0, out)
        XCTAssertTrue(out.contains("data parallel: started 2 ranks"), out)
        XCTAssertEqual(out.components(separatedBy: "2 ranks, 3 global batches per epoch").count - 1, 1, "rank 0 logs alone:\n\(out)")
        XCTAssertEqual(out.components(separatedBy: "step 3/3").count - 1, 1, out)
        for f in ["config.yml", "latest.h5", "best.h5", "metrics.jsonl"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path), "\(f) missing")
        }
    }

    /// `Global.sync_bn: true` on the real CRNN (MobileNetV3, dozens of BatchNorm layers): two
    /// worker processes run every layer's all-reduce in forward and backward in the same order,
    /// train, and rank 0 says once that the statistics are synchronised.
    func testTwoWorkersWithSynchronisedBatchNorm() throws {
        let run = try Run(try ocrTrain(), args(steps: 3) + ["Global.sync_bn=true"])
        XCTAssertTrue(run.waitForExit(seconds: 300), "still running:\n\(run.output)")
        let out = run.output
        XCTAssertEqual(run.process.terminationStatus, 0, out)
        XCTAssertEqual(out.components(separatedBy: "data parallel: BatchNorm statistics synchronised over 2 ranks").count - 1, 1, out)
        XCTAssertEqual(out.components(separatedBy: "step 3/3").count - 1, 1, out)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("latest.h5").path))
    }

    /// SIGKILL one worker mid-run: rank 0 fails at once with an error naming the lost rank (after
    /// writing latest.h5), and the launcher exits non-zero naming the killed rank - well within
    /// the group's timeout.
    func testKilledRankMakesTheOtherFailNamingIt() throws {
        let run = try Run(try ocrTrain(), args(steps: 100_000))
        guard run.wait(for: "step 2/", seconds: 300) else {
            run.process.terminate()
            return XCTFail("training did not start:\n\(run.output)")
        }
        let out = run.output
        let pids = try XCTUnwrap(out.range(of: #"pids (\d+), (\d+)"#, options: .regularExpression).map { String(out[$0]) })
            .dropFirst(5).components(separatedBy: ", ").compactMap { Int32($0) }
        XCTAssertEqual(pids.count, 2, out)
        let killed = Date()
        kill(pids[1], SIGKILL)
        XCTAssertTrue(run.waitForExit(seconds: 120), "the launcher did not exit:\n\(run.output)")
        let seconds = Date().timeIntervalSince(killed)
        let all = run.output
        print("exited \(String(format: "%.1f", seconds)) s after SIGKILL (timeout 1800 s); last lines:\n"
              + all.split(separator: "\n").suffix(4).joined(separator: "\n"))
        XCTAssertNotEqual(run.process.terminationStatus, 0)
        XCTAssertTrue(all.contains("rank 1 (pid \(pids[1])) was killed by signal 9"), all)
        XCTAssertTrue(all.contains("rank 0 of 2") && all.contains("rank 1 exited or stopped answering"), all)
        XCTAssertLessThan(seconds, 60)
        XCTAssertEqual(kill(pids[0], 0), -1, "rank 0 is still running")
        XCTAssertTrue(all.contains("(a peer rank was lost at step"), all)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("latest.h5").path))
    }

    /// Workers started the way torchrun's default (c10d) rendezvous starts them: no launcher store,
    /// rank 0 hosts it at MASTER_ADDR:MASTER_PORT.
    func testWorkersStartedWithTorchrunsEnvironmentJoin() throws {
        let port = try { () throws -> Int in         // a free port: one a store just used and closed
            try TCPStore(host: "127.0.0.1", port: 0, isServer: true, worldSize: 1, timeoutSeconds: 5).port
        }()
        var workerArgs = args(steps: 2)
        workerArgs.removeSubrange(2...3)              // no --nproc
        let runs = try (0..<2).map { rank in
            try Run(try ocrTrain(), workerArgs, environment: [
                "RANK": "\(rank)", "LOCAL_RANK": "\(rank)", "WORLD_SIZE": "2", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "\(port)",
                "TORCHELASTIC_USE_AGENT_STORE": "False", "OCRKIT_DIST_TIMEOUT": "120",
            ])
        }
        for r in runs { XCTAssertTrue(r.waitForExit(seconds: 300), "still running:\n\(r.output)") }
        XCTAssertEqual(runs.map(\.process.terminationStatus), [0, 0], runs.map(\.output).joined(separator: "\n----\n"))
        XCTAssertTrue(runs[0].output.contains("step 2/2"), runs[0].output)
        XCTAssertFalse(runs[1].output.contains("step 2/2"), "rank 1 logs nothing:\n\(runs[1].output)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("latest.h5").path))
    }

    func testWorkerArgumentsAndEnvironmentErrors() throws {
        XCTAssertEqual(DataParallelLauncher.workerArguments(["-c", "a.yml", "--nproc", "2", "-o", "X=1"], layout: .explicit(ranks: 2, cores: 6)),
                       ["-c", "a.yml", "-o", "X=1", "-o", "Global.threads=3"])
        XCTAssertEqual(DataParallelLauncher.workerArguments(["--nproc=4", "-c", "a.yml", "-o", "Global.threads=5"], layout: .explicit(ranks: 4, cores: 4)),
                       ["-c", "a.yml", "-o", "Global.threads=5"])
        XCTAssertNil(try DataParallel.join(environment: [:]))
        XCTAssertNil(try DataParallel.join(environment: ["WORLD_SIZE": "1"]))
        XCTAssertThrowsError(try DataParallel.join(environment: ["WORLD_SIZE": "2"])) { XCTAssertTrue("\($0)".contains("RANK is not set"), "\($0)") }
        XCTAssertThrowsError(try DataParallel.join(environment: ["WORLD_SIZE": "2", "RANK": "2"])) { XCTAssertTrue("\($0)".contains("out of range"), "\($0)") }
        XCTAssertThrowsError(try DataParallel.join(environment: ["WORLD_SIZE": "2", "RANK": "1", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "x"])) {
            XCTAssertTrue("\($0)".contains("MASTER_PORT must be an integer"), "\($0)")
        }
        XCTAssertThrowsError(try DataParallel.timeoutSeconds(["OCRKIT_DIST_TIMEOUT": "-1"])) { XCTAssertTrue("\($0)".contains("OCRKIT_DIST_TIMEOUT"), "\($0)") }
    }
}
