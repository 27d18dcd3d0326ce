import Foundation
import XCTest
@testable import Torch

/// Gloo collectives between two ranks, each on its own thread with its own process group over one
/// TCP store (as LibTorch's own ProcessGroupGloo tests do): values, bucketing, and that a peer that
/// leaves or goes silent gives an error naming the op and the rank within the timeout.
final class DistributedTests: XCTestCase {
    /// Runs `body(rank, group)` for ranks 0 and 1 on two threads; returns each rank's error, if any.
    func twoRanks(timeout: Double = 20, _ body: @escaping @Sendable (Int, ProcessGroup) throws -> Void) throws -> Results {
        let store = try TCPStore(host: "127.0.0.1", port: 0, isServer: true, worldSize: 2, timeoutSeconds: timeout)
        let results = Results()
        let threads = (0..<2).map { rank in
            Thread {
                do {
                    let s = rank == 0 ? store : try TCPStore(host: "127.0.0.1", port: store.port, isServer: false, worldSize: 2,
                                                             timeoutSeconds: timeout)
                    let g = try ProcessGroup(store: s, rank: rank, worldSize: 2, prefix: "test", timeoutSeconds: timeout)
                    try body(rank, g)
                } catch {
                    results.set(rank, "\(error)")
                }
                results.done.signal()
            }
        }
        threads.forEach { $0.start() }
        for _ in 0..<2 {
            XCTAssertEqual(results.done.wait(timeout: .now() + timeout + 30), .success, "a rank hung")
        }
        return results
    }

    final class Results: @unchecked Sendable {
        let lock = NSLock(), done = DispatchSemaphore(value: 0)
        var errors: [String?] = [nil, nil]
        /// When each rank's error was caught.
        var failedAt: [Date?] = [nil, nil]
        func set(_ rank: Int, _ e: String) { lock.withLock { (errors[rank], failedAt[rank]) = (e, Date()) } }
    }

    func testAllReduceBroadcastBarrier() throws {
        let errors = try twoRanks { rank, g in
            XCTAssertEqual(g.rank, rank)
            XCTAssertEqual(g.worldSize, 2)
            let r = Float(rank + 1)
            // Two float tensors, one double and one int64: buckets per dtype; 16 bytes per bucket
            // splits the float ones into several buckets.
            let a = try Tensor([r, 2 * r, 3 * r, 4 * r, 5 * r], shape: [5])
            let b = try Tensor([10 * r, 20 * r], shape: [2, 1])
            let c = try Tensor([Double(r)])
            let d = try Tensor([Int64(rank + 5)])
            try g.allReduce([a, b, c, d], .sum, bucketBytes: 16)
            XCTAssertEqual(try a.toArray(Float.self), [3, 6, 9, 12, 15])
            XCTAssertEqual(try b.toArray(Float.self), [30, 60])
            XCTAssertEqual(b.shape, [2, 1])
            XCTAssertEqual(try c.toArray(Double.self), [3])
            XCTAssertEqual(try d.toArray(Int64.self), [11])

            let e = try Tensor([r, -r])
            try g.allReduce([e], .average)
            XCTAssertEqual(try e.toArray(Float.self), [1.5, -1.5])

            // Gradients: rank 0 has none for q (a zero gradient is sent), rank 1 has 2s.
            let p = try Tensor([1, 1] as [Float]).requiresGrad(true)
            let q = try Tensor([1, 1] as [Float]).requiresGrad(true)
            try (p * Double(r)).sum().backward()
            if rank == 1 { try (q * 2).sum().backward() }
            try g.allReduceGradients(of: [p, q])
            XCTAssertEqual(try XCTUnwrap(p.grad).toArray(Float.self), [1.5, 1.5])
            XCTAssertEqual(try XCTUnwrap(q.grad).toArray(Float.self), [1, 1])

            let w = try Tensor([r, r, r], shape: [3])
            let n = try Tensor([Int64(rank)])
            try g.broadcast([w, n], root: 1)
            XCTAssertEqual(try w.toArray(Float.self), [2, 2, 2])
            XCTAssertEqual(try n.toArray(Int64.self), [1])
            try g.barrier()
        }.errors
        XCTAssertEqual(errors, [nil, nil])
    }

    /// Rank 1 leaves (its group is freed, closing its connections) while rank 0 waits in an
    /// all-reduce: rank 0 gets an error naming the op, itself and rank 1, well inside the timeout.
    func testPeerThatLeavesGivesAnErrorNamingIt() throws {
        let started = Date()
        let results = try twoRanks(timeout: 60) { rank, g in
            try g.barrier()
            if rank == 1 { return }              // the group is released: connections close
            Thread.sleep(forTimeInterval: 0.5)
            try g.allReduce([try Tensor([1, 2] as [Float])])
        }
        let errors = results.errors
        let seconds = try XCTUnwrap(results.failedAt[0]).timeIntervalSince(started)
        let message = try XCTUnwrap(errors[0], "rank 0 should fail")
        print("rank 0 after \(String(format: "%.1f", seconds)) s: \(message)")
        for fragment in ["all_reduce", "rank 0 of 2", "rank 1"] {
            XCTAssertTrue(message.contains(fragment), "missing '\(fragment)' in: \(message)")
        }
        XCTAssertNil(errors[1])
        XCTAssertLessThan(seconds, 30, "took \(seconds) s with a 60 s timeout")
    }

    /// Rank 1 stays but never joins the collective: rank 0 fails at the timeout, not later.
    func testSilentPeerTimesOut() throws {
        let started = Date()
        let results = try twoRanks(timeout: 3) { rank, g in
            if rank == 0 {
                try g.allReduce([try Tensor([1] as [Float])])
            } else {
                Thread.sleep(forTimeInterval: 8)
            }
        }
        let errors = results.errors
        let seconds = try XCTUnwrap(results.failedAt[0]).timeIntervalSince(started)
        let message = try XCTUnwrap(errors[0], "rank 0 should time out")
        print("rank 0 after \(String(format: "%.1f", seconds)) s: \(message)")
        XCTAssertTrue(message.contains("all_reduce") && message.contains("rank 0 of 2"), message)
        XCTAssertGreaterThan(seconds, 2.5, "failed before the timeout")
        XCTAssertLessThan(seconds, 7, "rank 0 waited for rank 1 instead of timing out")
    }

    func testErrorPaths() throws {
        let store = try TCPStore(host: "127.0.0.1", port: 0, isServer: true, worldSize: 1, timeoutSeconds: 5)
        assertThrowsMessage(["process_group_new", "rank 3 of 2", "rank out of range"]) {
            _ = try ProcessGroup(store: store, rank: 3, worldSize: 2, timeoutSeconds: 5)
        }
        assertThrowsMessage(["store_tcp", "timeout must be positive"]) {
            _ = try TCPStore(host: "127.0.0.1", port: 0, isServer: true, worldSize: 1, timeoutSeconds: 0)
        }
        // Nobody listens on the port of a store that is gone: the client gives up at its timeout.
        let closedPort: Int = try {
            let s = try TCPStore(host: "127.0.0.1", port: 0, isServer: true, worldSize: 1, timeoutSeconds: 5)
            return s.port
        }()
        assertThrowsMessage(["store_tcp(127.0.0.1:\(closedPort))"]) {
            _ = try TCPStore(host: "127.0.0.1", port: closedPort, isServer: false, worldSize: 2, timeoutSeconds: 1)
        }
        // A group of one: collectives are identities; shapes that differ from a peer's cannot be
        // checked here, but a non-float average is refused.
        let g = try ProcessGroup(store: store, rank: 0, worldSize: 1, timeoutSeconds: 5)
        let t = try Tensor([1, 2] as [Float])
        try g.allReduce([t], .average)
        XCTAssertEqual(try t.toArray(Float.self), [1, 2])
        assertThrowsMessage(["all_reduce (1 tensors; rank 0 of 1", "cannot average"]) { try g.allReduce([try Tensor([Int64(1)])], .average) }
        assertThrowsMessage(["broadcast", "root rank out of range"]) { try g.broadcast([t], root: 1) }
    }
}
