import Foundation
import XCTest
import NN
import Torch
@testable import OCRModels

/// The DB detector's structure: stage outputs, map shapes, PaddleOCR's parameter paths and counts.
///
/// Counts are derived from PaddleOCR's code by the formulas below (trainable parameters; BN's
/// running statistics are buffers here, as in `ParameterCountTests`):
///   ResidualUnit(k, in, mid, out, se) = in*mid + 2 mid + k*k*mid + 2 mid + [SE(mid)] + mid*out + 2 out
///   SE(c) = c*(c/4) + c/4 + (c/4)*c + c (two 1x1 convs with bias)
///   det MobileNetV3 large x0.5 = conv 3x3 3->8 + BN (232) + 15 units (the rec plan, same rows;
///     the det strides change no weight) + conv_last 1x1 80->480 + BN (39360) = 778022;
///     without SE 398480 (the SE blocks hold 379542)
///   DBFPN(in, C) = sum(in)*C + 4 * (C*(C/4)*9)        (no biases): [16, 24, 56, 480], 256 -> 737280
///   RSEFPN(in, C) = sum_i (in_i*C + SE(C)) + 4 * (C*(C/4)*9 + SE(C/4)):                96 -> 158424
///   DBHead(C) = 2 x [C*(C/4)*9 + BN 2(C/4) + ConvT (C/4)^2*4 + C/4 + BN 2(C/4) + ConvT (C/4)*4 + 1]:
///     256 -> 328834, 96 -> 46514
///   det_mv3_db (large x0.5 + DBFPN 256 + DBHead) = 1844136
///   large x0.5 + RSEFPN 96 + DBHead = 982960; with disable_se (PP-OCRv3 student) = 603418
final class DBModelTests: XCTestCase {
    override func setUp() { Torch.seed(3) }

    // MARK: independent counts (PaddleOCR's layer shapes, not the model code)

    static func se(_ c: Int) -> Int { c * (c / 4) + c / 4 + (c / 4) * c + c }
    static func unit(_ k: Int, _ i: Int, _ mid: Int, _ o: Int, _ se: Bool) -> Int {
        i * mid + 2 * mid + k * k * mid + 2 * mid + (se ? Self.se(mid) : 0) + mid * o + 2 * o
    }
    /// MobileNetV3 large x0.5 after make_divisible: (kernel, in, mid, out, SE) per unit.
    static let largeHalfPlan: [(Int, Int, Int, Int, Bool)] = [
        (3, 8, 8, 8, false), (3, 8, 32, 16, false), (3, 16, 40, 16, false), (5, 16, 40, 24, true), (5, 24, 64, 24, true),
        (5, 24, 64, 24, true), (3, 24, 120, 40, false), (3, 40, 104, 40, false), (3, 40, 96, 40, false),
        (3, 40, 96, 40, false), (3, 40, 240, 56, true), (3, 56, 336, 56, true), (5, 56, 336, 80, true),
        (5, 80, 480, 80, true), (5, 80, 480, 80, true),
    ]
    static func backbone(disableSE: Bool) -> Int {
        (3 * 3 * 3 * 8 + 16) + largeHalfPlan.reduce(0) { $0 + unit($1.0, $1.1, $1.2, $1.3, $1.4 && !disableSE) } + (80 * 480 + 960)
    }
    static func dbFPN(_ ins: [Int], _ c: Int) -> Int { ins.reduce(0, +) * c + 4 * (c * (c / 4) * 9) }
    static func rseFPN(_ ins: [Int], _ c: Int) -> Int {
        ins.reduce(0) { $0 + $1 * c + se(c) } + 4 * (c * (c / 4) * 9 + se(c / 4))
    }
    static func dbHead(_ c: Int) -> Int {
        let m = c / 4
        return 2 * (c * m * 9 + 2 * m + m * m * 4 + m + 2 * m + m * 4 + 1)
    }

    func testParameterCountsMatchPaddleOCR() throws {
        let ins = [16, 24, 56, 480]
        XCTAssertEqual(Self.backbone(disableSE: false), 778_022)
        XCTAssertEqual(Self.backbone(disableSE: true), 398_480)
        XCTAssertEqual(Self.dbFPN(ins, 256), 737_280)
        XCTAssertEqual(Self.rseFPN(ins, 96), 158_424)
        XCTAssertEqual(Self.dbHead(256), 328_834)
        XCTAssertEqual(Self.dbHead(96), 46_514)

        let db = try DetectorFactory.make(.dbMobileNetV3)
        XCTAssertEqual(parameterCount(db.backbone), Self.backbone(disableSE: false))
        XCTAssertEqual(parameterCount(db.neck), Self.dbFPN(ins, 256))
        XCTAssertEqual(parameterCount(db.head), Self.dbHead(256))
        XCTAssertEqual(db.parameterCount, 1_844_136)

        var arch = ArchitectureConfig.dbRSEFPN
        arch.backbone = .mobileNetV3(MobileNetV3Config(modelName: "large", scale: 0.5, disableSE: false))
        let rse = try DetectorFactory.make(arch)
        XCTAssertEqual(parameterCount(rse.neck), Self.rseFPN(ins, 96))
        XCTAssertEqual(parameterCount(rse.head), Self.dbHead(96))
        XCTAssertEqual(rse.parameterCount, 982_960)
        let student = try DetectorFactory.make(.dbRSEFPN)
        XCTAssertEqual(parameterCount(student.backbone), Self.backbone(disableSE: true))
        XCTAssertEqual(student.parameterCount, 603_418)
    }

    /// Large x0.5: stages cut before rows 3, 6, 12 (PaddleOCR's `s == 2 and i > 2`), conv_last at
    /// the end of stage 3; outputs [16, 24, 56, 480] at strides 4, 8, 16, 32. Small x0.5: [8, 16, 24, 288].
    func testBackboneStagesChannelsAndStrides() throws {
        let large = try DetMobileNetV3("backbone", modelName: .large, scale: 0.5)
        XCTAssertEqual(large.outChannels, [16, 24, 56, 480])
        XCTAssertEqual(large.stages.map(\.layers.count), [3, 3, 6, 4])
        XCTAssertEqual(large.specs.map(\.stride.h), [1, 2, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1, 2, 1, 1])
        let units = large.stages.flatMap(\.layers).compactMap { $0 as? ResidualUnit }
        XCTAssertEqual(units.map(\.hasShortcut), [true, false, true, false, true, true, false, true, true, true,
                                                  false, true, false, true, true])
        XCTAssertEqual(units.map { [$0.expandConv.conv.inChannels, $0.expandConv.conv.outChannels, $0.linearConv.conv.outChannels] },
                       Self.largeHalfPlan.map { [$0.1, $0.2, $0.3] })
        large.eval()
        let maps = try large(Tensor.randn([1, 3, 128, 96]))
        XCTAssertEqual(maps.map(\.shape), [[1, 16, 32, 24], [1, 24, 16, 12], [1, 56, 8, 6], [1, 480, 4, 3]])

        let small = try DetMobileNetV3("backbone", modelName: .small, scale: 0.5)
        XCTAssertEqual(small.outChannels, [8, 16, 24, 288])
        XCTAssertEqual(small.stages.map(\.layers.count), [1, 2, 5, 4])
        XCTAssertEqual(try small(Tensor.randn([1, 3, 64, 64])).map(\.shape),
                       [[1, 8, 16, 16], [1, 16, 8, 8], [1, 24, 4, 4], [1, 288, 2, 2]])
        XCTAssertTrue(try DetMobileNetV3("b", disableSE: true).stages.flatMap(\.layers).allSatisfy { ($0 as? ResidualUnit)?.midSE == nil })
    }

    func testOutputShapesAt640() throws {
        let net = try DetectorFactory.make(.dbMobileNetV3)
        net.train()
        let out = try net.trainOutputs(Tensor.randn([1, 3, 640, 640]))
        XCTAssertEqual([out.shrink.shape, out.threshold.shape, out.binary.shape], Array(repeating: [1, 1, 640, 640], count: 3))
        net.eval()
        XCTAssertEqual(try noGrad { try net(Tensor.randn([1, 3, 640, 640])) }.shape, [1, 1, 640, 640])
    }

    /// Any multiple of 32 works, in both modes; eval P equals the training outputs' P in eval mode.
    func testOutputShapesAtOtherSizes() throws {
        for arch in [ArchitectureConfig.dbMobileNetV3, .dbRSEFPN] {
            let net = try DetectorFactory.make(arch)
            for (h, w) in [(64, 96), (128, 32), (32, 160)] {
                let x = try Tensor.randn([2, 3, h, w])
                net.train()
                let out = try net.trainOutputs(x)
                for map in [out.shrink, out.threshold, out.binary] { XCTAssertEqual(map.shape, [2, 1, h, w]) }
                net.eval()
                let p = try net(x)
                XCTAssertEqual(p.shape, [2, 1, h, w])
                let again = try net.trainOutputs(x)
                XCTAssertEqual(try (again.shrink - p).abs().max().item(), 0)
                let values = try p.toArray(Float.self)
                XCTAssertTrue(values.allSatisfy { $0 > 0 && $0 < 1 }, "P is a sigmoid output")
            }
        }
    }

    /// B = sigmoid(k (P - T)) with k = 50.
    func testBinaryMapIsTheStepFunction() throws {
        let net = try DetectorFactory.make(.dbRSEFPN)
        net.eval()
        let out = try net.trainOutputs(Tensor.randn([1, 3, 32, 32]))
        let p = try out.shrink.toArray(Double.self), t = try out.threshold.toArray(Double.self)
        let b = try out.binary.toArray(Double.self)
        let worst = zip(zip(p, t), b).map { Swift.abs(1 / (1 + Foundation.exp(-50 * ($0.0 - $0.1))) - $1) }.max()!
        XCTAssertLessThan(worst, 1e-5, "max |B - 1/(1+exp(-k(P-T)))| = \(worst)")
    }

    func testRejectsSizesThatAreNotMultiplesOf32() throws {
        let net = try DetectorFactory.make(.dbRSEFPN)
        XCTAssertThrowsError(try net(Tensor.randn([1, 3, 100, 96]))) { error in
            XCTAssertTrue("\(error)".contains("multiples of 32"), "\(error)")
        }
        XCTAssertThrowsError(try net(Tensor.randn([1, 1, 64, 64]))) { error in
            XCTAssertTrue("\(error)".contains("B x 3 x H x W"), "\(error)")
        }
    }

    /// PaddleOCR's structured names, so its det weights map key for key.
    func testParameterPaths() throws {
        let db = Set(try DetectorFactory.make(.dbMobileNetV3).namedParameters().map(\.path))
        for path in ["backbone/conv/conv/weight", "backbone/conv/bn/weight", "backbone/stage0/0/expand_conv/conv/weight",
                     "backbone/stage1/0/mid_se/conv1/bias", "backbone/stage3/3/conv/weight", "backbone/stage3/3/bn/bias",
                     "neck/in2_conv/weight", "neck/p5_conv/weight", "head/binarize/conv1/weight",
                     "head/binarize/conv_bn1/weight", "head/binarize/conv2/bias", "head/thresh/conv_bn2/bias",
                     "head/thresh/conv3/weight"] {
            XCTAssertTrue(db.contains(path), path)
        }
        let model = try DetectorFactory.make(.dbMobileNetV3)
        let paths = model.namedParameters().map(\.path)
        XCTAssertEqual(Set(paths).count, paths.count, "duplicate parameter paths")
        // conv, 15 units (+ 8 SE), conv_last; 8 FPN convs; 2 head branches of 9.
        XCTAssertEqual(paths.count, 3 + 15 * 9 + 8 * 4 + 3 + 8 + 2 * 9)
        let shapes = Dictionary(uniqueKeysWithValues: model.namedParameters().map { ($0.path, $0.tensor.shape) })
        XCTAssertEqual(shapes["backbone/stage3/3/conv/weight"], [480, 80, 1, 1])
        XCTAssertEqual(shapes["neck/p5_conv/weight"], [64, 256, 3, 3])
        XCTAssertEqual(shapes["head/binarize/conv2/weight"], [64, 64, 2, 2])          // C x O x kh x kw, as Paddle
        XCTAssertEqual(shapes["head/thresh/conv3/weight"], [64, 1, 2, 2])
        let buffers = model.namedBuffers().map(\.path)
        XCTAssertTrue(buffers.contains("backbone/stage0/0/expand_conv/bn/running_mean"))
        XCTAssertTrue(buffers.contains("head/thresh/conv_bn2/running_var"))
        // Two builds give the same state paths in the same order, and one loads the other exactly.
        let other = try DetectorFactory.make(.dbMobileNetV3)
        XCTAssertEqual(other.stateDict().map(\.path), model.stateDict().map(\.path))
        XCTAssertTrue(try other.load(Dictionary(uniqueKeysWithValues: model.stateDict().map { ($0.path, $0.tensor) })).isExact)

        let rse = Set(try DetectorFactory.make(.dbRSEFPN).namedParameters().map(\.path))
        for path in ["neck/ins_conv/0/in_conv/weight", "neck/ins_conv/3/se_block/conv2/bias", "neck/inp_conv/2/in_conv/weight"] {
            XCTAssertTrue(rse.contains(path), path)
        }
        XCTAssertFalse(rse.contains { $0.contains("mid_se") }, "disable_se leaves no SE in the backbone")
    }

    /// PaddleOCR's named initialisers: Kaiming uniform (bound sqrt(6 / fan_in), wider than the
    /// PyTorch default 1 / sqrt(fan_in)) in the FPN and the head's transposed convs, BN shift 1e-4.
    func testPaddleOCRInitialisers() throws {
        let db = try DetectorFactory.make(.dbMobileNetV3)
        let fpn = db.neck as! DBFPN
        let lateral = try fpn.in2Conv.weight.abs().max().item()                 // fan_in 16: bound 0.612
        XCTAssertGreaterThan(lateral, 0.5)
        XCTAssertLessThanOrEqual(lateral, (6.0 / 16).squareRoot())
        let branch = db.head.binarize
        XCTAssertEqual(try XCTUnwrap(branch.convBN1).bias.toArray(Float.self), [Float](repeating: 1e-4, count: 64))
        XCTAssertEqual(try XCTUnwrap(branch.convBN2).weight.toArray(Float.self), [Float](repeating: 1, count: 64))
        let up = try branch.conv3.weight.abs().max().item()                      // fan_in 1 * 2 * 2: bound 1.22
        XCTAssertGreaterThan(up, 0.6)
        XCTAssertLessThanOrEqual(up, (6.0 / 4).squareRoot())
        XCTAssertLessThanOrEqual(try XCTUnwrap(branch.conv2.bias).abs().max().item(), 1.0 / 8)   // 1 / sqrt(256 / 4)
    }

    // MARK: config

    func decode(_ json: String) throws -> ArchitectureConfig {
        try JSONDecoder().decode(ArchitectureConfig.self, from: Data(json.utf8))
    }

    /// det_mv3_db.yml's and the PP-OCRv3 student's Architecture sections (as JSON: same keys).
    let dbJSON = """
    {"model_type": "det", "algorithm": "DB", "Transform": null,
     "Backbone": {"name": "MobileNetV3", "scale": 0.5, "model_name": "large", "disable_se": false},
     "Neck": {"name": "DBFPN", "out_channels": 256},
     "Head": {"name": "DBHead", "k": 50}}
    """

    func testDecodesPaddleOCRsDetSections() throws {
        XCTAssertEqual(try decode(dbJSON), .dbMobileNetV3)
        let rse = try decode("""
        {"model_type": "det", "algorithm": "DB",
         "Backbone": {"name": "MobileNetV3", "scale": 0.5, "model_name": "large", "disable_se": true},
         "Neck": {"name": "RSEFPN", "out_channels": 96, "shortcut": true}, "Head": {"name": "DBHead", "k": 50}}
        """)
        XCTAssertEqual(rse, .dbRSEFPN)
        let defaults = try decode(dbJSON.replacingOccurrences(of: ", \"k\": 50", with: ""))
        XCTAssertEqual(defaults.head.k, 50)
        for arch in [ArchitectureConfig.dbMobileNetV3, .dbRSEFPN] {
            let data = try JSONEncoder().encode(arch)
            XCTAssertEqual(try JSONDecoder().decode(ArchitectureConfig.self, from: data), arch)
            let text = String(decoding: data, as: UTF8.self)
            XCTAssertFalse(text.contains("encoder_type") || text.contains("fc_decay"), "only the named parts' keys: \(text)")
        }
    }

    func testUnknownOrMissingDetKeysAreNamed() throws {
        let cases: [(String, String, String)] = [
            ("\"DBFPN\"", "\"LKPAN\"", "unknown Neck name 'LKPAN' (known: SequenceEncoder, DBFPN, RSEFPN, RepLKFPN)"),
            ("\"DBHead\"", "\"PSEHead\"", "unknown Head name 'PSEHead' (known: CTCHead, ClsHead, DBHead)"),
            ("\"DB\"", "\"EAST\"", "unknown algorithm 'EAST' (known: CRNN, SVTR, SVTR_LCNet, CLS, DB)"),
            (", \"out_channels\": 256", "", "out_channels"),
        ]
        for (from, to, message) in cases {
            XCTAssertThrowsError(try decode(dbJSON.replacingOccurrences(of: from, with: to))) { error in
                XCTAssertTrue("\(error)".contains(message), "\(error)")
            }
        }
    }

    func testFactoryRejectsWhatItCannotBuild() throws {
        func message(_ arch: ArchitectureConfig) -> String {
            do {
                _ = try DetectorFactory.make(arch)
                return "built"
            } catch { return "\(error)" }
        }
        var arch = ArchitectureConfig.dbMobileNetV3
        arch.modelType = "rec"
        XCTAssertTrue(message(arch).contains("DetectorFactory builds model_type det, got 'rec'"), message(arch))
        arch = .dbMobileNetV3
        arch.backbone = .svtrNet(SVTRNetConfig())
        XCTAssertTrue(message(arch).contains("unknown det Backbone name 'SVTRNet' (known: MobileNetV3, PPLCNetV3, PPLCNetV4)"), message(arch))
        arch.backbone = .mobileNetV3(MobileNetV3Config(modelName: "tiny"))
        XCTAssertTrue(message(arch).contains("unknown MobileNetV3 model_name 'tiny' (known: large, small)"), message(arch))
        arch.backbone = .mobileNetV3(MobileNetV3Config(modelName: "large", smallStride: [1, 2, 2, 2]))
        XCTAssertTrue(message(arch).contains("large_stride/small_stride are recogniser settings"), message(arch))
        arch.backbone = .mobileNetV3(MobileNetV3Config(modelName: "large", scale: 0.6))
        XCTAssertTrue(message(arch).contains("scale 0.6 is not supported"), message(arch))
        arch = .dbMobileNetV3
        arch.neck = NeckConfig(encoderType: "rnn")
        XCTAssertTrue(message(arch).contains("unknown det Neck name 'SequenceEncoder' (known: DBFPN, RSEFPN, RepLKFPN)"), message(arch))
        arch.neck = nil
        XCTAssertTrue(message(arch).contains("DBHead needs a feature pyramid"), message(arch))
        arch = .dbMobileNetV3
        arch.head = HeadConfig()
        XCTAssertTrue(message(arch).contains("unknown det Head name 'CTCHead' (known: DBHead)"), message(arch))
        arch = .dbMobileNetV3
        arch.neck = .dbFPN(outChannels: 30)
        XCTAssertTrue(message(arch).contains("out_channels divisible by 4"), message(arch))
        // And the recogniser refuses a det neck by name.
        var rec = ArchitectureConfig.crnnMobileNetV3
        rec.neck = .dbFPN()
        XCTAssertThrowsError(try RecognizerFactory.build(rec, classes: 37, inputShape: [3, 32, 320])) { error in
            XCTAssertTrue("\(error)".contains("unknown Neck name 'DBFPN' (known: SequenceEncoder)"), "\(error)")
        }
    }
}
