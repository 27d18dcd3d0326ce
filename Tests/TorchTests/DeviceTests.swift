import CTorch
import Foundation
import XCTest
@testable import Torch

/// The device the op tests place tensors on: `OCRKIT_TEST_DEVICE` (scripts/gpu-check.sh sets
/// cuda), cpu when unset.
let testDevice: Device = {
    let text = ProcessInfo.processInfo.environment["OCRKIT_TEST_DEVICE"] ?? "cpu"
    do { return try Device(parsing: text, setting: "OCRKIT_TEST_DEVICE") } catch { fatalError("\(error)") }
}()

/// Device parsing, placement and moves; a small training step on `testDevice` against the CPU;
/// what a build without CUDA or NCCL says when asked for them.
final class DeviceTests: XCTestCase {
    func testParsing() throws {
        XCTAssertEqual(try Device(parsing: "cpu"), .cpu)
        XCTAssertEqual(try Device(parsing: "cuda"), .cuda(0))
        XCTAssertEqual(try Device(parsing: "cuda:1"), .cuda(1))
        XCTAssertEqual(try Device(parsing: "CUDA:12"), .cuda(12))
        XCTAssertEqual(Device.cuda(3).description, "cuda:3")
        XCTAssertEqual(Device.cpu.description, "cpu")
        for bad in ["gpu", "", "cuda:", "cuda:-1", "cuda:x", "cpu:0", "cuda1", " cpu"] {
            assertThrowsMessage(["Global.device: '\(bad)' is not a device", "use cpu, cuda or cuda:N"]) {
                _ = try Device(parsing: bad, setting: "Global.device")
            }
        }
    }

    func testCPURoundTrip() throws {
        let t = try Tensor([1.5, -2, 3, 4] as [Float], shape: [2, 2])
        XCTAssertEqual(t.device, .cpu)
        let same = try t.to(.cpu)
        XCTAssertEqual(same.device, .cpu)
        XCTAssertEqual(try same.toArray(Float.self), [1.5, -2, 3, 4])
        try t.move(to: .cpu)                                   // a no-op, the values stay
        XCTAssertEqual(try t.toArray(Float.self), [1.5, -2, 3, 4])
        // To the test device and back: values, dtype and item() survive; host reads work there too.
        let there = try Tensor([Int64(7), 8, 9], shape: [3], on: testDevice)
        XCTAssertEqual(there.device, testDevice)
        XCTAssertEqual(try there.toArray(Int64.self), [7, 8, 9])
        XCTAssertEqual(try there.sum().item(), 24)
        let back = try there.to(.cpu)
        XCTAssertEqual(back.device, .cpu)
        XCTAssertEqual(back.dtype, .int64)
        XCTAssertEqual(try back.toArray(Int64.self), [7, 8, 9])
    }

    /// Without CUDA (Debian's LibTorch) asking for a GPU says how to get one; with it, asking for
    /// a GPU past the last says how many there are.
    func testUnavailableCUDAIsAClearError() throws {
        guard Device.cudaIsAvailable else {
            XCTAssertEqual(Device.cudaDeviceCount, 0)
            assertThrowsMessage(["Global.device: cuda:0 requested but this LibTorch has no CUDA (torch::cuda::is_available() is false); "
                                 + "build with LIBTORCH=<an official CUDA LibTorch> on a machine with an NVIDIA GPU"]) {
                try Device.cuda(0).checkAvailable(setting: "Global.device")
            }
            assertThrowsMessage(["to_device(input=[2])"]) { _ = try Tensor([1, 2] as [Float]).to(.cuda(0)) }
            return
        }
        let n = Device.cudaDeviceCount
        XCTAssertGreaterThan(n, 0)
        try Device.cuda(n - 1).checkAvailable()
        assertThrowsMessage(["Global.device: cuda:\(n) requested but this machine has \(n) CUDA device"]) {
            try Device.cuda(n).checkAvailable(setting: "Global.device")
        }
    }

    /// Each device entry point's error path (a negative GPU index never reaches LibTorch).
    func testErrorPaths() throws {
        let t = try Tensor([1, 2, 3] as [Float])
        assertThrowsMessage(["to_device(input=[3])", "cuda device index must be >= 0, got -1"]) { _ = try t.to(.cuda(-1)) }
        assertThrowsMessage(["move_to_device_(input=[3])", "cuda device index must be >= 0"]) { try t.move(to: .cuda(-1)) }
        XCTAssertEqual(t.device, .cpu, "a failed move leaves the tensor where it was")
        XCTAssertEqual(Tensor(handle: ct_tensor(ptr: nil)).device, .cpu, "a NULL handle reads as the CPU, it does not crash")
    }

    /// A few AdamW steps of a conv + linear classifier with clipping, its parameters moved in
    /// place to `testDevice` before the optimizer is built (as the engine does): on a GPU the
    /// parameters and losses match the CPU run within float tolerance (cuDNN and cuBLAS sum in
    /// another order), on the CPU the two runs are the same run. Optimizer state read from or
    /// written to a checkpoint is CPU data and lands on the parameter's device.
    func testTrainingStepOnTestDeviceMatchesCPU() throws {
        let cpu = try trainSteps(on: .cpu)
        let dev = try trainSteps(on: testDevice)
        XCTAssertEqual(dev.stateDevice, testDevice)
        var worst = 0.0
        for (a, b) in zip(cpu.params, dev.params) {
            XCTAssertEqual(a.count, b.count)
            worst = max(worst, zip(a, b).map { Double(abs($0 - $1)) }.max() ?? 0)
        }
        let lossDiff = zip(cpu.losses, dev.losses).map { abs($0 - $1) }.max() ?? 0
        print("device \(testDevice) vs cpu: max |param diff| = \(worst), max |loss diff| = \(lossDiff) (limit 1e-4)")
        XCTAssertLessThanOrEqual(worst, 1e-4)
        XCTAssertLessThanOrEqual(lossDiff, 1e-4)
        XCTAssertGreaterThan(abs(cpu.losses.first! - cpu.losses.last!), 1e-4, "the steps must change the loss")
    }

    func trainSteps(on device: Device, steps: Int = 4) throws -> (params: [[Float]], losses: [Double], stateDevice: Device) {
        Torch.seed(5)
        let w = try Tensor.randn([4, 3, 3, 3]) * 0.3, b = try Tensor.zeros([4]), fc = try Tensor.randn([2, 4]) * 0.5
        let x = try Tensor.randn([6, 3, 8, 8]), y = try Tensor([Int64(0), 1, 1, 0, 1, 0])
        let params = [w, b, fc]
        for p in params {
            try p.move(to: device)
            try p.requiresGrad(true)
        }
        let opt = try Optimizer(.adamW, parameters: params, options: OptimizerOptions(lr: 0.05, weightDecay: 0.01))
        var losses: [Double] = []
        for _ in 0..<steps {
            let h = try F.conv2d(x.to(device), weight: w, bias: b, padding: (1, 1)).relu().mean(dims: [2, 3])   // B x 4
            let loss = try F.crossEntropy(try F.linear(h, weight: fc), try y.to(device))
            try opt.zeroGrad()
            try loss.backward()
            _ = try clipGradNorm(params, maxNorm: 1)
            try opt.step()
            losses.append(try loss.item())                     // host sync
        }
        // A checkpoint's state comes back as CPU data: set it, and it sits beside its parameter.
        let saved = try XCTUnwrap(try opt.state(group: 0, index: 2, key: "exp_avg")).to(.cpu)
        try opt.setState(group: 0, index: 2, key: "exp_avg", saved)
        let restored = try XCTUnwrap(try opt.state(group: 0, index: 2, key: "exp_avg"))
        XCTAssertEqual(restored.device, device)
        XCTAssertEqual(try restored.toArray(Float.self), try saved.toArray(Float.self))
        XCTAssertTrue(params.allSatisfy { $0.device == device })
        return (try params.map { try $0.toArray(Float.self) }, losses, restored.device)
    }

    /// NCCL: refused with a reason in a build without it; in a CUDA build a group of one reduces
    /// GPU tensors in place and CPU tensors through the GPU (the engine's loss and stop agreements).
    func testNCCLGroup() throws {
        let store = try TCPStore(host: "127.0.0.1", port: 0, isServer: true, worldSize: 1, timeoutSeconds: 30)
        guard Device.cudaIsAvailable else {
            assertThrowsMessage(["process_group_new (rank 0 of 1, nccl)", "this LibTorch build has no NCCL"]) {
                _ = try ProcessGroup(store: store, rank: 0, worldSize: 1, timeoutSeconds: 30, backend: .nccl(device: 0))
            }
            return
        }
        let gpu: Device = testDevice == .cpu ? .cuda(0) : testDevice
        guard case .cuda(let index) = gpu else { return XCTFail("unreachable") }
        let g = try ProcessGroup(store: store, rank: 0, worldSize: 1, timeoutSeconds: 30, backend: .nccl(device: index))
        let onHost = try Tensor([1, 2] as [Float])
        try g.allReduce([onHost], .average)
        XCTAssertEqual(try onHost.toArray(Float.self), [1, 2])
        XCTAssertEqual(onHost.device, .cpu)
        let onGPU = try Tensor([3, 4] as [Float], shape: [2], on: gpu)
        try g.allReduce([onGPU], .sum)
        XCTAssertEqual(try onGPU.toArray(Float.self), [3, 4])
        XCTAssertEqual(onGPU.device, gpu)
        try g.barrier()
    }
}
