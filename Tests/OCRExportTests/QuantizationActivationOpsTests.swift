import Foundation
import OCRInference
import Torch
import XCTest
@testable import OCRExport

/// INT8 for the weightless operators between convolutions: HardSwish and HardSigmoid rewritten
/// into Add -> saturating Q -> DQ (-> Mul), SE gates, residual adds and global pooling quantised
/// next to quantised tensors, transformer residuals left float.
final class QuantizationActivationOpsTests: XCTestCase {
    /// The rewrite's arithmetic, emulated exactly as QuantizeLinear and DequantizeLinear define it:
    /// the gate equals HardSigmoid within one step of the constant's and the gate's grids, for
    /// PyTorch's slope 1/6 (HardSwish) and Paddle's 0.2 (SE), both activation types.
    func testRewrittenHardSigmoidMatchesTheFunction() throws {
        for type in ActivationType.allCases {
            for (opType, alpha, beta) in [("HardSwish", Float(1.0 / 6.0), Float(0.5)), ("HardSigmoid", 0.2, 0.5)] {
                let attributes: [ONNXAttribute] = opType == "HardSigmoid" ? [.float("alpha", alpha), .float("beta", beta)] : []
                let node = ONNXNode(opType: opType, name: "act", inputs: ["x_dequantized"], outputs: ["y"], attributes: attributes)
                let (nodes, constants) = try QDQQuantizer.integerHardActivation(node, activationType: type)
                XCTAssertEqual(nodes.map(\.opType), ["DequantizeLinear", "Add", "QuantizeLinear", "DequantizeLinear"]
                               + (opType == "HardSwish" ? ["Mul"] : []), "\(type) \(opType)")
                XCTAssertEqual(nodes.last?.outputs, ["y"])
                XCTAssertEqual(nodes.first { $0.opType == "Add" }?.inputs.first, "x_dequantized")
                func scalar(_ name: String) -> Float {
                    let t = constants.first { $0.name.hasSuffix(name) }!
                    switch t.dataType {
                    case .float: return t.rawData.withUnsafeBytes { $0.loadUnaligned(as: Float.self) }
                    case .uint8: return Float(t.rawData[0])
                    default: return Float(Int8(bitPattern: t.rawData[0]))
                    }
                }
                let (lo, hi): (Float, Float) = type == .uint8 ? (0, 255) : (-128, 127)
                let offset = (scalar("_offset_quantized") - scalar("_offset_zero_point")) * scalar("_offset_scale")
                XCTAssertEqual(offset, beta / alpha, accuracy: 1e-5)
                let (s, z, gs) = (scalar("_shifted_scale"), scalar("_shifted_zero_point"), scalar("_gate_scale"))
                XCTAssertEqual(gs, s * alpha, accuracy: 1e-9)
                var worst: Float = 0
                for i in -2000...2000 {
                    let x = Float(i) / 200                                      // [-10, 10]
                    let q = min(hi, max(lo, ((x + offset) / s).rounded(.toNearestOrEven) + z))
                    let gate = (q - z) * gs
                    let want = min(1, max(0, alpha * x + beta))
                    worst = max(worst, abs(gate - want))
                    if opType == "HardSwish" { XCTAssertEqual(x * gate, x * want, accuracy: abs(x) * 0.5 * gs + 1e-6) }
                }
                XCTAssertLessThanOrEqual(worst, 0.5 * gs + 1e-6, "\(type) \(opType): the gate is off by more than half a step")
                XCTAssertEqual(gs, 1.0 / 255, accuracy: 1e-7, "all 256 levels span [0, 1]")
            }
        }
    }

    /// The small MobileNetV3 CRNN of the demo and fine-tuning recipes: every HardSwish and
    /// HardSigmoid is rewritten (none is left for ONNX Runtime to run in float), every SE gate's Mul,
    /// global pool and residual Add is planned, and ONNX Runtime's output tracks the float model's.
    /// SVTR-Tiny keeps its transformer residual Adds, LayerNorms and bias Adds float.
    func testMobileNetV3RunsInt8BetweenConvolutionsAndTransformerResidualsStayFloat() throws {
        let small = try TestModels.crnnSmall()
        let float = try RecognizerExporter.export(model: small.model, metadata: small.metadata)
        let calibration = try (0..<4).map { _ in try FloatTensor(try lines([4, 3, 32, 100]).toArray(Float.self), shape: [4, 3, 32, 100]) }
        let (int8, plan, _) = try INT8Quantization.quantize(float, calibration: calibration, options: QuantizationOptions(method: .minMax))

        let planned = Set(plan.activationOps.map(\.name))
        for type in ["HardSwish", "HardSigmoid", "GlobalAveragePool"] {
            let all = float.graph.nodes.filter { $0.opType == type }
            XCTAssertFalse(all.isEmpty, type)
            for n in all { XCTAssertTrue(planned.contains(n.name), "\(n.name) stays float") }
        }
        let seMuls = float.graph.nodes.filter { $0.opType == "Mul" && $0.name.contains("_se/") }
        let residuals = float.graph.nodes.filter { $0.opType == "Add" && $0.name.hasPrefix("backbone/blocks/") }
        XCTAssertFalse(seMuls.isEmpty)
        XCTAssertFalse(residuals.isEmpty)
        for n in seMuls + residuals { XCTAssertTrue(planned.contains(n.name), "\(n.name) stays float") }
        XCTAssertFalse(int8.graph.nodes.contains { $0.opType == "HardSwish" || $0.opType == "HardSigmoid" })
        // Every planned operator reads dequantised inputs only, so ONNX Runtime can fuse it.
        let dequantized = Set(int8.graph.nodes.filter { $0.opType == "DequantizeLinear" }.flatMap(\.outputs))
        for n in int8.graph.nodes where planned.contains(n.name) {
            XCTAssertTrue(n.inputs.allSatisfy(dequantized.contains), "\(n.name) reads \(n.inputs)")
        }

        // ONNX Runtime runs it; the logits track the float model's (random-init CRNN: compare the
        // per-frame probabilities, whose spread survives the BiLSTM).
        let x = try FloatTensor(try lines([3, 3, 32, 160]).toArray(Float.self), shape: [3, 3, 32, 160])
        let want = try TemporaryModel(float).session(threads: 2).run(["x": x])["logits"]!
        let got = try TemporaryModel(int8).session(threads: 2).run(["x": x])["logits"]!
        XCTAssertEqual(got.shape, want.shape)
        let spread = (want.values.max()! - want.values.min()!)
        let worst = zip(got.values, want.values).map { abs($0 - $1) }.max()!
        print("small CRNN INT8 vs FP32: max |logit diff| \(worst), logit spread \(spread)")
        XCTAssertLessThan(worst, 0.25 * spread)

        let svtr = try TestModels.svtrTiny()
        let svtrFloat = try RecognizerExporter.export(model: svtr.model, metadata: svtr.metadata)
        let svtrPlan = QDQQuantizer.plan(svtrFloat.graph, options: QuantizationOptions())
        let initializers = Set(svtrFloat.graph.initializers.map(\.name))
        let producers = Dictionary(svtrFloat.graph.nodes.flatMap { n in n.outputs.map { ($0, n) } }, uniquingKeysWith: { a, _ in a })
        for op in svtrPlan.activationOps {
            XCTAssertFalse(op.inputs.contains(where: initializers.contains), "\(op.name): a constant operand stays float")
            for input in op.inputs {
                let producer = producers[input]
                XCTAssertFalse(producer?.name.contains("norm") ?? false, "\(op.name) reads a LayerNorm output")
            }
        }
        let mixerAdds = svtrFloat.graph.nodes.filter { $0.opType == "Add" && $0.name.contains("blocks") && !$0.inputs.contains(where: initializers.contains) }
        XCTAssertFalse(mixerAdds.isEmpty)
        for n in mixerAdds { XCTAssertFalse(svtrPlan.activationOps.contains { $0.name == n.name }, "\(n.name) is quantised") }
    }
}
