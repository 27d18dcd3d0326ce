import Foundation
import XCTest
import NN
import Torch
@testable import OCRModels

/// The angle classifier of PaddleOCR's configs/cls/cls_mv3.yml: MobileNetV3 small x0.35 from
/// rec_mobilenet_v3.py (PaddleOCR's build_backbone takes the rec backbones for model_type cls;
/// small_stride defaults to [2, 2, 2, 2]) + ClsHead, class_dim 2, input 3 x 48 x 192.
///
/// Parameter count derived by hand from PaddleOCR's code, as ParameterCountTests does for CRNN
/// (BatchNorm running mean/variance are buffers here, counted separately at the end).
/// make_divisible(v) = max(8, int(v + 4) // 8 * 8), +8 if that lost > 10%; scale 0.35:
///   conv1 md(5.6) = 8; per block mid = md(0.35 exp), out = md(0.35 c):
///   exp 16 72 88 96 240 240 120 144 288 576 576 -> mid 8 24 32 32 88 88 40 48 104 200 200
///   c   16 24 24 40  40  40  48  48  96  96  96 -> out 8  8  8 16 16 16 16 16  32  32  32
///   conv2 md(0.35 * 576 = 201.6) = 200 channels.
/// Per ResidualUnit: expand 1x1 in*mid + BN 2*mid, depthwise k*k*mid + BN 2*mid,
///   [SE mid*(mid/4) + mid/4 + (mid/4)*mid + mid], linear 1x1 mid*out + BN 2*out:
///   conv1   3x3 3->8 + BN: 216 + 16                                  =    232
///   k in mid out se:  3  8   8  8 SE   290 | 3  8  24  8 -   712 | 3  8  32  8 -    944
///                     5  8  32 16 SE  2280 | 5 16  88 16 SE 9382 (x2)
///                     5 16  40 16 SE  3322 | 5 16  48 16 SE 4172 | 5 16 104 32 SE 13610
///                     5 32 200 32 SE 38914 (x2)                      = 121922
///   conv2   1x1 32->200 + BN: 6400 + 400                             =   6800
///   backbone                                                         = 128954
///   ClsHead fc 200 -> 2: 400 + 2                                     =    402
///   total                                                            = 129356
/// BN statistics: 2 * (8 + sum(2 mid + out) = 1928 + 200) = 4272; with them 133628, what
/// Paddle's parameter listing counts.
/// Shapes: 48 x 192 -> conv1 24 x 96 -> height strides 2, 2, 2, 2 (widths kept) 12, 6, 3, 2 ->
/// max pool 1 x 48: B x 200 x 1 x 48 -> pool, fc -> B x 2.
final class ClassifierTests: XCTestCase {
    override func setUp() { Torch.seed(11) }

    func classifier() throws -> AngleClassifier {
        try ClassifierFactory.build(.clsMobileNetV3, inputShape: [3, 48, 192])
    }

    func testParameterCountMatchesPaddleOCR() throws {
        let model = try classifier()
        let net = model.backbone
        let plan = net.blocks.map { [$0.expandConv.conv.inChannels, $0.expandConv.conv.outChannels, $0.linearConv.conv.outChannels] }
        XCTAssertEqual(plan, [[8, 8, 8], [8, 24, 8], [8, 32, 8], [8, 32, 16], [16, 88, 16], [16, 88, 16], [16, 40, 16],
                              [16, 48, 16], [16, 104, 32], [32, 200, 32], [32, 200, 32]])
        XCTAssertEqual(net.blocks.map { $0.midSE != nil }, [true, false, false, true, true, true, true, true, true, true, true])
        XCTAssertEqual(net.outChannels, 200)
        XCTAssertEqual(parameterCount(net.conv1), 232)
        XCTAssertEqual(net.blocks.map(parameterCount), [290, 712, 944, 2280, 9382, 9382, 3322, 4172, 13610, 38914, 38914])
        XCTAssertEqual(parameterCount(net.conv2), 6800)
        XCTAssertEqual(parameterCount(net), 128_954)
        XCTAssertEqual(parameterCount(model.head), 402)
        XCTAssertEqual(model.parameterCount, 129_356)
        let bnStatistics = model.namedBuffers().filter { !$0.path.hasSuffix("num_batches_tracked") }.reduce(0) { $0 + $1.tensor.count }
        XCTAssertEqual(model.parameterCount + bnStatistics, 133_628)
        // Checkpoint keys / ONNX initializer names.
        let paths = Set(model.namedParameters().map(\.path))
        XCTAssertTrue(paths.isSuperset(of: ["backbone/conv1/conv/weight", "backbone/blocks/0/mid_se/conv1/weight",
                                            "head/fc/weight", "head/fc/bias"]), "\(paths.sorted().prefix(5))")
    }

    func testShapesAndInputCheck() throws {
        let model = try classifier()
        model.eval()
        let x = try Tensor.randn([3, 3, 48, 192])
        XCTAssertEqual(try noGrad { try model.backbone(x) }.shape, [3, 200, 1, 48])
        XCTAssertEqual(model.backbone.outputSize(forInput: (48, 192)).h, 1)
        let logits = try noGrad { try model(x) }
        XCTAssertEqual(logits.shape, [3, 2])
        let probs = try noGrad { try model.probabilities(x) }
        for total in try probs.sum(dims: [1]).toArray(Float.self) { XCTAssertEqual(total, 1, accuracy: 1e-6) }
        XCTAssertEqual(try probs.toArray(Float.self), try logits.softmax(dim: 1).toArray(Float.self))
        // ClsHead's bias starts at 0 (Paddle's default), its weight at U(+-1/sqrt(200)).
        XCTAssertEqual(try model.head.fc.bias!.toArray(Float.self), [0, 0])
        XCTAssertLessThanOrEqual(try model.head.fc.weight.abs().max().item(), 1 / 200.0.squareRoot())
        for shape in [[1, 3, 48, 100], [1, 3, 32, 192], [1, 1, 48, 192], [3, 48, 192]] {
            XCTAssertThrowsError(try model(Tensor.zeros(shape))) { error in
                XCTAssertEqual((error as? ModelError)?.kind, .invalidInput, "\(error)")
                XCTAssertTrue("\(error)".contains("B x 3 x 48 x 192"), "\(error)")
            }
        }
    }

    /// Adam on 4 images with labels 0, 1, 0, 1: cross-entropy of the logits must fall below half
    /// its start within 30 steps, and every parameter must get a gradient (nothing built is left
    /// out of the forward pass).
    func testOverfitsFourImages() throws {
        Torch.seed(3)                                   // random weights and inputs: the same every run
        let model = try classifier()
        model.train()
        let x = try Tensor.randn([4, 3, 48, 192])
        let y = try Tensor([Int64(0), 1, 0, 1])
        let optimizer = try Optimizer(.adam, parameters: model.trainableParameters(), options: OptimizerOptions(lr: 3e-3))
        var losses: [Double] = []
        for step in 0..<30 {
            let loss = try F.crossEntropy(model(x), y)
            try optimizer.zeroGrad()
            try loss.backward()
            if step == 0 {
                for (path, p) in model.namedParameters() {
                    let g = try XCTUnwrap(p.grad, path)
                    XCTAssertGreaterThan(try g.abs().sum().item(), 0, path)
                }
            }
            try optimizer.step()
            losses.append(try loss.item())                                          // host sync, for the assertion
        }
        let last = losses.suffix(3).reduce(0, +) / 3
        print("AngleClassifier overfit: cross-entropy \(losses[0]) -> \(last) (needs < 50%)")
        XCTAssertEqual(losses[0], log(2), accuracy: 0.1, "a fresh head (bias 0, small weights) starts near ln 2")
        XCTAssertLessThan(last, 0.5 * losses[0])
        // Training mode: after 30 steps the BatchNorm running statistics (momentum 0.1) are not
        // yet those of the batch, so eval mode would answer for other features.
        let predicted = try noGrad { try model(x).argmax(dim: 1) }.toArray(Int64.self)
        XCTAssertEqual(predicted, [0, 1, 0, 1])
    }

    /// PaddleOCR's cls_mv3.yml Architecture section (as JSON: same keys) decodes to the preset;
    /// ClsHead writes only its own keys, so the round trip holds.
    func testDecodesPaddleOCRsClsSection() throws {
        let json = """
        {"model_type": "cls", "algorithm": "CLS", "Transform": null,
         "Backbone": {"name": "MobileNetV3", "scale": 0.35, "model_name": "small"},
         "Neck": null, "Head": {"name": "ClsHead", "class_dim": 2}}
        """
        let arch = try JSONDecoder().decode(ArchitectureConfig.self, from: Data(json.utf8))
        XCTAssertEqual(arch, .clsMobileNetV3)
        let encoded = try JSONEncoder().encode(arch)
        XCTAssertEqual(try JSONDecoder().decode(ArchitectureConfig.self, from: encoded), arch)
        let head = String(decoding: try JSONEncoder().encode(arch.head), as: UTF8.self)
        XCTAssertFalse(head.contains("fc_decay"), head)
        XCTAssertThrowsError(try JSONDecoder().decode(ArchitectureConfig.self,
                                                      from: Data(json.replacingOccurrences(of: ", \"class_dim\": 2", with: "").utf8)),
                             "ClsHead needs class_dim")
    }

    func testFactoryRejectsWhatItCannotBuild() throws {
        func message(_ arch: ArchitectureConfig, _ shape: [Int] = [3, 48, 192]) -> String {
            do {
                _ = try ClassifierFactory.build(arch, inputShape: shape)
                return "built"
            } catch { return "\(error)" }
        }
        let cls = ArchitectureConfig.clsMobileNetV3
        var arch = cls
        XCTAssertEqual(message(arch), "built")
        XCTAssertTrue(message(cls, [3, 32, 192]).contains("0 x 48 feature map"), message(cls, [3, 32, 192]))
        XCTAssertTrue(message(cls, [3, 48]).contains("[C, H, W]"), message(cls, [3, 48]))
        XCTAssertTrue(message(.crnnMobileNetV3).contains("ClassifierFactory builds model_type cls, got 'rec'"), message(.crnnMobileNetV3))
        arch.neck = NeckConfig(encoderType: "reshape")
        XCTAssertTrue(message(arch).contains("cls takes no Neck"), message(arch))
        arch = cls
        arch.head = HeadConfig()
        XCTAssertTrue(message(arch).contains("unknown cls Head name 'CTCHead' (known: ClsHead)"), message(arch))
        arch.head = .clsHead(classDim: 1)
        XCTAssertTrue(message(arch).contains("class_dim must be at least 2, got 1"), message(arch))
        arch = cls
        arch.backbone = .svtrNet(SVTRNetConfig())
        XCTAssertTrue(message(arch).contains("unknown cls Backbone name 'SVTRNet' (known: MobileNetV3)"), message(arch))
        arch = cls
        arch.algorithm = "CRNN"
        XCTAssertTrue(message(arch).contains("unknown cls algorithm 'CRNN' (known: CLS)"), message(arch))
        // The recogniser factory turns the cls section away instead of building a CTC model from it.
        XCTAssertThrowsError(try RecognizerFactory.build(cls, classes: 37, inputShape: [3, 48, 192])) { error in
            XCTAssertTrue("\(error)".contains("ClassifierFactory builds cls models"), "\(error)")
        }
    }
}
