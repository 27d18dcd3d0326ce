import XCTest
@testable import NN
@testable import Torch

/// A small model in the style of the OCR models: nested modules, arrays of blocks, an optional head.
final class TinyBlock: Module, UnaryLayer {
    let conv: Conv2d, bn: BatchNorm2d
    init(_ p: Path, _ c: Int, _ o: Int) throws {
        conv = try Conv2d(p / "conv", c, o, kernel: 3, bias: false)
        bn = try BatchNorm2d(p / "bn", o)
        super.init(p)
    }
    func callAsFunction(_ x: Tensor) throws -> Tensor { try bn(conv(x)).hardSwish() }
}

final class TinyNet: Module {
    let stages: [TinyBlock]
    let rnn: LSTM
    let head: Linear?
    init(at p: Path = .root) throws {
        stages = [try TinyBlock(p / "backbone/stages" / 0, 1, 4), try TinyBlock(p / "backbone/stages" / 1, 4, 8)]
        rnn = try LSTM(p / "neck/lstm", inputSize: 8, hiddenSize: 6, bidirectional: true)
        head = try Linear(p / "head/fc", 12, 5)
        super.init(p)
    }
    func callAsFunction(_ x: Tensor) throws -> Tensor {
        let f = try stages.reduce(x) { try $1($0) }             // B x 8 x H x W
        let seq = try f.mean(dims: [2]).permute([2, 0, 1])       // B x C x W -> W x B x C
        return try head!(rnn(seq))                               // W x B x 5
    }
}

final class ModuleTreeTests: XCTestCase {
    func testParameterPathsAreExplicitAndOrdered() throws {
        let net = try TinyNet()
        let paths = net.namedParameters().map(\.path)
        XCTAssertEqual(Array(paths.prefix(4)), ["backbone/stages/0/conv/weight", "backbone/stages/0/bn/weight",
                                                 "backbone/stages/0/bn/bias", "backbone/stages/1/conv/weight"])
        XCTAssertTrue(paths.contains("neck/lstm/weight_hh_l0_reverse"))
        XCTAssertEqual(paths.last, "head/fc/bias")
        XCTAssertEqual(Set(paths).count, paths.count)
        XCTAssertEqual(net.namedBuffers().map(\.path).prefix(3),
                       ["backbone/stages/0/bn/running_mean", "backbone/stages/0/bn/running_var",
                        "backbone/stages/0/bn/num_batches_tracked"])
        XCTAssertEqual(net.children.count, 4)                    // 2 stages, rnn, head
        XCTAssertEqual(net.modules().count, 1 + 2 * 3 + 1 + 1)
        let conv = net.modules().first { $0 is Conv2d } as! Conv2d
        XCTAssertEqual(conv.kind, "Conv2d")
        XCTAssertTrue(conv.attributes.contains { $0.name == "stride" && $0.value == .ints([1, 1]) })
        XCTAssertEqual(net.parameterCount, 1 * 4 * 9 + 8 + 4 * 8 * 9 + 16 + 2 * (4 * 6 * (8 + 6) + 2 * 24) + 12 * 5 + 5)
        XCTAssertTrue(net.summary().contains("neck/lstm  LSTM  input_size=8 hidden_size=6"))
    }

    func testTrainEvalPropagatesAndChangesBehaviour() throws {
        let net = try TinyNet()
        let x = try Tensor.randn([2, 1, 4, 6])
        XCTAssertTrue(net.modules().allSatisfy(\.isTraining))
        _ = try net(x)
        let bn = net.stages[0].bn
        XCTAssertNotEqual(try bn.runningMean.toArray(Float.self), [0, 0, 0, 0])   // updated in training
        XCTAssertEqual(try bn.batchesTracked.item(), 1)
        net.eval()
        XCTAssertTrue(net.modules().allSatisfy { !$0.isTraining })
        let before = try bn.runningMean.toArray(Float.self)
        let a = try net(x).toArray(Float.self), b = try net(x).toArray(Float.self)
        XCTAssertEqual(a, b)                                                       // deterministic in eval
        XCTAssertEqual(try bn.runningMean.toArray(Float.self), before)
    }

    func testFreezingAndDefaultInitBounds() throws {
        let net = try TinyNet()
        try net.stages[0].setTrainable(false)
        XCTAssertEqual(net.trainableParameters().count, net.parameters().count - 3)
        let fc = try Linear("fc", 100, 50)
        let w = try fc.weight.toArray(Float.self)
        XCTAssertLessThanOrEqual(w.map(Swift.abs).max()!, 0.1)                     // 1/sqrt(100)
        XCTAssertGreaterThan(w.map(Swift.abs).max()!, 0.09)
        let lstm = try LSTM("l", inputSize: 3, hiddenSize: 16)
        XCTAssertLessThanOrEqual(try lstm.flatWeights[0].abs().max().item(), 0.25)  // 1/sqrt(16)
        let bn = try BatchNorm2d("bn", 3)
        XCTAssertEqual(try bn.weight.toArray(Float.self), [1, 1, 1])
        XCTAssertEqual(try bn.runningVar.toArray(Float.self), [1, 1, 1])
    }

    func testLoadStrictAndPartial() throws {
        let a = try TinyNet(), b = try TinyNet()
        var state = Dictionary(uniqueKeysWithValues: a.stateDict().map { ($0.path, $0.tensor) })
        let report = try b.load(state)
        XCTAssertTrue(report.isExact)
        XCTAssertEqual(try b.head!.weight.toArray(Float.self), try a.head!.weight.toArray(Float.self))
        XCTAssertTrue(b.head!.weight.requiresGrad)                                  // still a parameter
        state["head/fc/weight"] = try Tensor.zeros([7, 12])
        state["extra/thing"] = try Tensor.zeros([1])
        state.removeValue(forKey: "head/fc/bias")
        XCTAssertThrowsError(try b.load(state)) { e in
            let m = "\(e)"
            XCTAssertTrue(m.contains("head/fc/weight") && m.contains("[5, 12]") && m.contains("[7, 12]"), m)
            XCTAssertTrue(m.contains("extra/thing") && m.contains("head/fc/bias"), m)
        }
        let partial = try b.load(state, strict: false)
        XCTAssertEqual(partial.missing, ["head/fc/bias"])
        XCTAssertEqual(partial.unexpected, ["extra/thing"])
        XCTAssertEqual(partial.mismatched.map(\.path), ["head/fc/weight"])
    }

    func testConvErrorNamesLayerShapes() throws {
        let conv = try Conv2d("c", 3, 4, kernel: 3)
        XCTAssertThrowsError(try conv(try Tensor.zeros([1, 2, 8, 8]))) { e in
            XCTAssertTrue("\(e)".contains("conv2d(input=[1, 2, 8, 8], weight=[4, 3, 3, 3]"), "\(e)")
        }
        XCTAssertThrowsError(try Conv2d("c", 3, 4, kernel: (3, 3), groups: 2)) { e in
            XCTAssertTrue("\(e)".contains("not divisible by groups 2"), "\(e)")
        }
    }
}
