import Foundation
import Torch

/// torchrun's launch contract: how a worker finds its group, and `ocr-train --nproc N`, which
/// starts N workers of itself under the same contract (so a worker started by torchrun joins the
/// same way).
extension DataParallel {
    /// Seconds a collective may wait for a peer that is alive but silent (a dead peer is noticed
    /// at once): `OCRKIT_DIST_TIMEOUT`, default 1800 as torch.distributed's. Rank 0 evaluates
    /// while the others wait, so it must exceed an evaluation.
    public static func timeoutSeconds(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> Double {
        guard let s = env["OCRKIT_DIST_TIMEOUT"] else { return 1800 }
        guard let v = Double(s), v > 0 else { throw TrainError("OCRKIT_DIST_TIMEOUT must be a positive number of seconds, got '\(s)'") }
        return v
    }

    /// Set by `ocr-train --nproc` in its workers' environment: the launcher's pid.
    static let launcherPIDKey = "OCRKIT_LAUNCHER_PID"

    /// A rank the launcher started stops as on SIGTERM (ends its step; rank 0 writes latest.h5)
    /// once the launcher is gone - killed with SIGKILL, it could not stop its workers itself, and
    /// they would train on unseen. The kernel then gives the worker another parent.
    static func watchLauncher(pid launcher: pid_t) {
        let watcher = Thread {
            while getppid() == launcher { Thread.sleep(forTimeInterval: 0.5) }
            FileHandle.standardError.write(Data("data parallel: the launcher (pid \(launcher)) is gone; stopping\n".utf8))
            kill(getpid(), SIGTERM)
        }
        watcher.name = "launcher-watch"
        watcher.start()
    }

    /// Joins the group the environment describes - `RANK`, `WORLD_SIZE`, `MASTER_ADDR`,
    /// `MASTER_PORT` (`LOCAL_RANK` picks the GPU when training on cuda, see `localRank`). Rank 0 hosts the
    /// TCP store, unless `TORCHELASTIC_USE_AGENT_STORE=True` says the launcher hosts it (torchrun,
    /// `ocr-train --nproc`); keys then live under `/worker/attempt_<TORCHELASTIC_RESTART_COUNT>`
    /// as torch.distributed's env:// rendezvous puts them. nil when `WORLD_SIZE` is unset or 1.
    /// `backend`: Gloo, or NCCL when the ranks train on GPUs (`GlobalConfig.processGroupBackend`).
    public static func join(environment env: [String: String] = ProcessInfo.processInfo.environment,
                            backend: ProcessGroup.Backend = .gloo) throws -> DataParallel? {
        guard let ws = env["WORLD_SIZE"] else { return nil }
        func int(_ key: String, _ value: String?) throws -> Int {
            guard let value else { throw TrainError("\(key) is not set but WORLD_SIZE is (\(ws)): start workers with torchrun or ocr-train --nproc") }
            guard let v = Int(value) else { throw TrainError("\(key) must be an integer, got '\(value)'") }
            return v
        }
        let worldSize = try int("WORLD_SIZE", ws)
        guard worldSize >= 1 else { throw TrainError("WORLD_SIZE must be at least 1, got \(worldSize)") }
        if worldSize == 1 { return nil }
        let rank = try int("RANK", env["RANK"])
        guard (0..<worldSize).contains(rank) else { throw TrainError("RANK \(rank) out of range for WORLD_SIZE \(worldSize)") }
        guard let host = env["MASTER_ADDR"] else { throw TrainError("MASTER_ADDR is not set (rank \(rank) of \(worldSize))") }
        let port = try int("MASTER_PORT", env["MASTER_PORT"])
        let agentStore = env["TORCHELASTIC_USE_AGENT_STORE"] == "True"
        let timeout = try timeoutSeconds(env)
        let store = try TCPStore(host: host, port: port, isServer: !agentStore && rank == 0, worldSize: worldSize,
                                 timeoutSeconds: timeout)
        if let launcher = env[launcherPIDKey].flatMap(Int32.init) { watchLauncher(pid: launcher) }
        let prefix = agentStore ? "/worker/attempt_\(env["TORCHELASTIC_RESTART_COUNT"] ?? "0")" : ""
        return DataParallel(group: try ProcessGroup(store: store, rank: rank, worldSize: worldSize, prefix: prefix,
                                                    timeoutSeconds: timeout, backend: backend))
    }

    /// This worker's index on its machine (torchrun's `LOCAL_RANK`; `--nproc` sets it to the rank):
    /// the GPU a bare `Global.device: cuda` means. nil when unset.
    public static func localRank(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> Int? {
        guard let s = env["LOCAL_RANK"] else { return nil }
        guard let v = Int(s), v >= 0 else { throw TrainError("LOCAL_RANK must be a non-negative integer, got '\(s)'") }
        return v
    }
}

/// `ocr-train --nproc N`: hosts the TCP store, starts N copies of this executable as ranks 0..N-1
/// (torchrun's environment, agent store), and waits. When one fails the others are stopped and the
/// error names the rank that failed first - the one killed by a signal if any was.
public enum DataParallelLauncher {
    /// The workers' arguments: ours without `--nproc`, plus the layout's overrides (threads per
    /// rank unless the overrides already set `Global.threads`; the batch share under `auto`).
    public static func workerArguments(_ arguments: [String], layout: LocalLayout) -> [String] {
        var out: [String] = [], i = 0
        while i < arguments.count {
            let a = arguments[i]
            if a == "--nproc" { i += 2; continue }
            if a.hasPrefix("--nproc=") { i += 1; continue }
            out.append(a)
            i += 1
        }
        let extra = layout.workerOverrides(userOverrides: out)
        return extra.isEmpty ? out : out + ["-o"] + extra
    }

    /// Runs `nproc` workers with `arguments` (already `workerArguments`); returns when all have
    /// exited successfully, throws naming the first that failed otherwise.
    public static func run(nproc: Int, arguments: [String], threadsPerRank: Int, log: (String) -> Void) throws {
        let timeout = try DataParallel.timeoutSeconds()
        let store = try TCPStore(host: "127.0.0.1", port: 0, isServer: true, worldSize: nproc, timeoutSeconds: timeout)
        let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let exits = ExitLog()
        var workers: [Process] = []
        defer { withExtendedLifetime(store) {} }
        let base = ProcessInfo.processInfo.environment
        for rank in 0..<nproc {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: exe)
            p.arguments = arguments
            p.environment = base.merging([
                "RANK": "\(rank)", "LOCAL_RANK": "\(rank)", "WORLD_SIZE": "\(nproc)", "LOCAL_WORLD_SIZE": "\(nproc)",
                "GROUP_RANK": "0", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "\(store.port)",
                "TORCHELASTIC_USE_AGENT_STORE": "True", "TORCHELASTIC_RESTART_COUNT": "0",
                "OMP_NUM_THREADS": "\(threadsPerRank)", DataParallel.launcherPIDKey: "\(getpid())",
            ]) { _, new in new }
            p.terminationHandler = { exits.add(rank: rank, process: $0) }
            do {
                try p.run()
            } catch {
                workers.forEach { $0.terminate() }
                throw TrainError("could not start rank \(rank) (\(exe)): \(error)")
            }
            workers.append(p)
        }
        let started = workers
        log("data parallel: started \(nproc) ranks (pids \(workers.map { String($0.processIdentifier) }.joined(separator: ", "))), "
            + "\(threadsPerRank) LibTorch thread(s) each, store 127.0.0.1:\(store.port); rank 0 logs")

        // Ctrl-C reaches the workers through the terminal; a signal sent to this process alone is passed on.
        let signals = [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { for w in started where w.isRunning { kill(w.processIdentifier, sig) } }
            s.resume()
            return s
        }
        defer { signals.forEach { $0.cancel() } }

        var cause: String?                   // the failure seen first, before we stopped anyone
        while exits.count < nproc {
            exits.wait()
            if cause == nil, let first = exits.firstFailure {
                cause = first
                // SIGTERM: a rank that still can ends its step and (rank 0) writes latest.h5;
                // one stuck in a collective fails at once, its peer being gone.
                for w in started where w.isRunning { w.terminate() }
                let grace = Date().addingTimeInterval(30)
                DispatchQueue.global().async {
                    while Date() < grace, started.contains(where: \.isRunning) { Thread.sleep(forTimeInterval: 0.2) }
                    for w in started where w.isRunning { kill(w.processIdentifier, SIGKILL) }
                }
            }
        }
        if let failure = cause {
            let others = exits.failures.filter { $0 != failure }
            throw TrainError("data parallel: \(failure); stopped the other ranks"
                             + (others.isEmpty ? "" : " (then " + others.joined(separator: ", ") + ")"))
        }
    }

    /// Worker exits in the order they were reaped.
    final class ExitLog: @unchecked Sendable {
        private let cond = NSCondition()
        private var done = 0
        private var signalled: [String] = [], failed: [String] = []

        func add(rank: Int, process p: Process) {
            cond.withLock {
                done += 1
                let pid = p.processIdentifier
                if p.terminationReason == .uncaughtSignal {
                    signalled.append("rank \(rank) (pid \(pid)) was killed by signal \(p.terminationStatus)")
                } else if p.terminationStatus != 0 {
                    failed.append("rank \(rank) (pid \(pid)) exited with status \(p.terminationStatus)")
                }
                cond.broadcast()
            }
        }

        var count: Int { cond.withLock { done } }
        /// A rank killed by a signal is the likely cause; the others fail when they lose it.
        var firstFailure: String? { cond.withLock { signalled.first ?? failed.first } }
        var failures: [String] { cond.withLock { signalled + failed } }

        /// Blocks until the next exit is logged (or a second passes).
        func wait() { cond.withLock { _ = cond.wait(until: Date().addingTimeInterval(1)) } }
    }
}
