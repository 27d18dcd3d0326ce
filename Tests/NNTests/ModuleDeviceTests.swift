import Foundation
import XCTest
@testable import NN
@testable import Torch

/// A module whose forward reads a constant (like SVTR's attention mask): it moves with the module
/// but is not state.
final class OffsetNet: Module {
    let net: TinyNet
    let offset: Tensor
    init() throws {
        net = try TinyNet()
        offset = try Tensor.full([1], value: 0.5)
        super.init(.root)
        registerConstant(offset)
    }
    func callAsFunction(_ x: Tensor) throws -> Tensor { try net(x) + offset }
}

/// `Module.to(_:)` on `OCRKIT_TEST_DEVICE` (cpu when unset; scripts/gpu-check.sh sets cuda).
final class ModuleDeviceTests: XCTestCase {
    let device: Device = {
        let text = ProcessInfo.processInfo.environment["OCRKIT_TEST_DEVICE"] ?? "cpu"
        do { return try Device(parsing: text, setting: "OCRKIT_TEST_DEVICE") } catch { fatalError("\(error)") }
    }()

    /// The move is in place: the same tensor objects (an optimizer built before it keeps working),
    /// every parameter, buffer and constant on the device, a CPU state loads onto it, and a
    /// training step there updates weights and BatchNorm statistics.
    func testToMovesEverythingInPlace() throws {
        Torch.seed(3)
        let model = try OffsetNet()
        let before = model.stateDict().map { ObjectIdentifier($0.tensor) }
        let cpuState = try Dictionary(uniqueKeysWithValues: model.stateDict().map { ($0.path, try $0.tensor.clone()) })
        let optimizer = try Optimizer(.sgd, parameters: model.parameters(), options: OptimizerOptions(lr: 0.1))

        try model.to(device)
        XCTAssertEqual(model.stateDict().map { ObjectIdentifier($0.tensor) }, before, "tensor identity kept")
        for (path, t) in model.stateDict() { XCTAssertEqual(t.device, device, path) }
        XCTAssertEqual(model.offset.device, device)
        XCTAssertTrue(model.parameters().allSatisfy(\.requiresGrad), "still trainable leaves")

        try model.load(cpuState)                              // CPU data copied onto the device
        for (path, t) in model.stateDict() {
            XCTAssertEqual(t.device, device, path)
            XCTAssertEqual(try t.toArray(Float.self), try cpuState[path]!.toArray(Float.self), path)
        }

        let x = try Tensor.randn([2, 1, 4, 6]).to(device)
        let loss = try model(x).apply(.square).mean()
        try optimizer.zeroGrad()
        try loss.backward()
        try optimizer.step()
        let fc = model.net.head!.weight
        XCTAssertEqual(fc.device, device)
        XCTAssertNotEqual(try fc.toArray(Float.self), try cpuState["head/fc/weight"]!.toArray(Float.self), "the step moved the weights")
        let runningMean = try XCTUnwrap(model.namedBuffers().first { $0.path.hasSuffix("running_mean") }).tensor
        XCTAssertNotEqual(try runningMean.toArray(Float.self), [0, 0, 0, 0], "BatchNorm statistics updated on the device")

        try model.to(.cpu)
        XCTAssertTrue(model.stateDict().allSatisfy { $0.tensor.device == .cpu })
        XCTAssertEqual(model.offset.device, .cpu)
    }
}
