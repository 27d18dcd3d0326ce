import Foundation
import XCTest
@testable import OCRTrain

/// `--nproc auto`, the default layout: two single-threaded ranks splitting each step's batch on a
/// machine with two or more cores; one process where the batch or the cores do not allow it.
final class LocalLayoutTests: XCTestCase {
    func testAutoSplitsTheBatchOverTwoRanksWhenItCan() {
        XCTAssertEqual(LocalLayout.automatic(cores: 2, batchSizePerCard: 16),
                       LocalLayout(ranks: 2, threadsPerRank: 1, batchPerRank: 8, reason: "2 cores: 2 ranks share the batch of 16"))
        XCTAssertEqual(LocalLayout.automatic(cores: 16, batchSizePerCard: 64).threadsPerRank, 8)
        XCTAssertEqual(LocalLayout.automatic(cores: 16, batchSizePerCard: 64).batchPerRank, 32)
        // One core, an odd batch, or shares below 4: one process with every core's thread.
        for (cores, batch) in [(1, 64), (2, 15), (2, 6)] {
            let l = LocalLayout.automatic(cores: cores, batchSizePerCard: batch)
            XCTAssertEqual(l.ranks, 1, "\(cores) cores, batch \(batch)")
            XCTAssertEqual(l.threadsPerRank, cores)
            XCTAssertNil(l.batchPerRank)
        }
        XCTAssertEqual(LocalLayout.explicit(ranks: 4, cores: 2), LocalLayout(ranks: 4, threadsPerRank: 1, batchPerRank: nil, reason: "--nproc 4"))
        // -o Global.threads=N on the command line: one process with those threads, not two ranks of N each.
        let pinned = LocalLayout.automatic(cores: 2, batchSizePerCard: 16, threadsGiven: true)
        XCTAssertEqual(pinned.ranks, 1)
        XCTAssertEqual(pinned.reason, "-o Global.threads given: one process")
    }

    /// auto's workers get their share of the batch and one thread; what the user set wins.
    func testAutoWorkerArguments() {
        let auto = LocalLayout.automatic(cores: 2, batchSizePerCard: 16)
        XCTAssertEqual(DataParallelLauncher.workerArguments(["-c", "a.yml", "-o", "X=1"], layout: auto),
                       ["-c", "a.yml", "-o", "X=1", "-o", "Global.threads=1", "Train.loader.batch_size_per_card=8"])
        XCTAssertEqual(DataParallelLauncher.workerArguments(["--nproc", "auto", "-c", "a.yml", "-o", "Global.threads=2", "Global.sync_bn=false"],
                                                            layout: auto),
                       ["-c", "a.yml", "-o", "Global.threads=2", "Global.sync_bn=false", "-o", "Train.loader.batch_size_per_card=8"])
    }
}

extension DataParallelLaunchTests {
    /// `ocr-train` with no --nproc on a machine with 2+ cores: two ranks, each reading half of every
    /// batch of 8, so an epoch has as many steps as one process of batch 8 would take.
    func testDefaultLayoutSplitsTheBatchOverTwoRanks() throws {
        guard ProcessInfo.processInfo.activeProcessorCount >= 2 else { throw XCTSkip("one core: auto trains in one process") }
        let run = try Run(try ocrTrain(), ["-c", DataParallelTests.tinyConfig, "-o", "Global.max_steps=2", "Global.print_batch_step=1",
                                           "Global.save_model_dir=\(dir.path)", "Global.eval_batch_step=[1000,1000]",
                                           "Train.dataset.count=96", "Eval.dataset.count=8", "Train.loader.batch_size_per_card=8"])
        XCTAssertTrue(run.waitForExit(seconds: 300), "still running:\n\(run.output)")
        let out = run.output
        XCTAssertEqual(run.process.terminationStatus, 0, out)
        XCTAssertTrue(out.contains("ocr-train: 2 ranks x 1 thread(s), 4 samples each per step"), out)
        XCTAssertTrue(out.contains("2 ranks, 12 global batches per epoch"), out)
        let saved = try String(contentsOf: dir.appendingPathComponent("config.yml"), encoding: .utf8)
        XCTAssertTrue(saved.contains("batch_size_per_card: 4"), "rank 0's resolved config names its share:\n\(saved)")
    }
}

extension DataParallelLaunchTests {
    /// The launcher killed with SIGKILL cannot stop its workers: they notice their parent is gone,
    /// stop as on SIGTERM (rank 0 writing latest.h5) and exit instead of training on unseen.
    func testWorkersStopWhenTheLauncherIsKilled() throws {
        let run = try Run(try ocrTrain(), args(steps: 100_000))
        defer { if run.process.isRunning { run.process.terminate() } }
        let deadline = Date().addingTimeInterval(240)
        while !run.output.contains("step 2/"), Date() < deadline, run.process.isRunning { Thread.sleep(forTimeInterval: 0.2) }
        let out = run.output
        let pids = try XCTUnwrap(out.firstMatch(of: /started 2 ranks \(pids (\d+), (\d+)\)/), out)
        let workers = [pid_t(pids.1)!, pid_t(pids.2)!]
        kill(run.process.processIdentifier, SIGKILL)
        // Gone: no such process, or a zombie nobody reaps (PID 1 in a container may not).
        func gone(_ pid: pid_t) -> Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
        }
        let stopBy = Date().addingTimeInterval(60)
        while !workers.allSatisfy(gone), Date() < stopBy { Thread.sleep(forTimeInterval: 0.2) }
        XCTAssertTrue(workers.allSatisfy(gone), "workers \(workers) still running 60 s after the launcher was killed:\n\(run.output)")
        XCTAssertTrue(run.output.contains("the launcher (pid \(run.process.processIdentifier)) is gone"), run.output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("latest.h5").path), "rank 0 saves on its way out")
    }
}
