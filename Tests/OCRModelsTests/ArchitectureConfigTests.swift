import Foundation
import XCTest
import Torch
@testable import OCRModels

/// Architecture sections as PaddleOCR's YAML writes them (here as JSON: same keys).
final class ArchitectureConfigTests: XCTestCase {
    func decode(_ json: String) throws -> ArchitectureConfig {
        try JSONDecoder().decode(ArchitectureConfig.self, from: Data(json.utf8))
    }

    let crnnJSON = """
    {"model_type": "rec", "algorithm": "CRNN", "Transform": null,
     "Backbone": {"name": "MobileNetV3", "scale": 0.5, "model_name": "large"},
     "Neck": {"name": "SequenceEncoder", "encoder_type": "rnn", "hidden_size": 96},
     "Head": {"name": "CTCHead", "fc_decay": 0}}
    """

    func testDecodesPaddleOCRsCRNNSection() throws {
        let arch = try decode(crnnJSON)
        XCTAssertEqual(arch, ArchitectureConfig.crnnMobileNetV3)
        guard case .mobileNetV3(let b) = arch.backbone else { return XCTFail("not MobileNetV3") }
        XCTAssertEqual(b.largeStride, [1, 2, 2, 2])
        XCTAssertEqual(b.smallStride, [2, 2, 2, 2])
        XCTAssertFalse(b.disableSE)
    }

    func testDecodesPaddleOCRsSVTRSectionWithDefaults() throws {
        let arch = try decode("""
        {"model_type": "rec", "algorithm": "SVTR",
         "Backbone": {"name": "SVTRNet", "img_size": [32, 100], "out_char_num": 25, "out_channels": 192,
                      "patch_merging": "Conv", "embed_dim": [64, 128, 256], "depth": [3, 6, 3], "num_heads": [2, 4, 8],
                      "mixer": ["Local","Local","Local","Local","Local","Local","Global","Global","Global","Global","Global","Global"],
                      "local_mixer": [[7, 11], [7, 11], [7, 11]], "last_stage": true, "prenorm": false},
         "Neck": {"name": "SequenceEncoder", "encoder_type": "reshape"},
         "Head": {"name": "CTCHead"}}
        """)
        guard case .svtrNet(let b) = arch.backbone else { return XCTFail("not SVTRNet") }
        XCTAssertEqual(b.imgSize, [32, 100])
        XCTAssertEqual(b.mlpRatio, 4)
        XCTAssertTrue(b.qkvBias)
        XCTAssertEqual(b.epsilon, 1e-6)
        XCTAssertEqual(b.dropPathRate, 0.1)
        XCTAssertEqual(b.lastDrop, 0.1)
        XCTAssertEqual(b.patchMerging, "Conv")
        XCTAssertEqual(arch.head.fcDecay, 0.0004)
        XCTAssertEqual(arch.neck?.hiddenSize, 48)
        var preset = ArchitectureConfig.svtrTiny
        if case .svtrNet(var p) = preset.backbone { p.imgSize = [32, 100]; preset.backbone = .svtrNet(p) }
        XCTAssertEqual(arch, preset)
        let model = try RecognizerFactory.build(arch, classes: 37, inputShape: [3, 32, 100])
        XCTAssertEqual(model.fixedInputWidth, 100)
    }

    func testRoundTripsThroughJSON() throws {
        for arch in [ArchitectureConfig.crnnMobileNetV3, .svtrTiny] {
            let data = try JSONEncoder().encode(arch)
            XCTAssertEqual(try JSONDecoder().decode(ArchitectureConfig.self, from: data), arch)
            let text = String(decoding: data, as: UTF8.self)
            XCTAssertTrue(text.contains("\"Backbone\":{"), text)
            XCTAssertTrue(text.contains("\"name\":\"\(arch.backbone.name)\""), text)
        }
        // An explicit null patch_merging survives (distinct from the default, Conv).
        var b = SVTRNetConfig()
        b.patchMerging = nil
        b.embedDim = [64, 64, 64]
        let decoded = try JSONDecoder().decode(SVTRNetConfig.self, from: JSONEncoder().encode(b))
        XCTAssertNil(decoded.patchMerging)
    }

    func testUnknownBackboneNameListsKnownOnes() throws {
        let json = crnnJSON.replacingOccurrences(of: "\"MobileNetV3\"", with: "\"ResNet\"")
        XCTAssertThrowsError(try decode(json)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("unknown Backbone name 'ResNet' (known: MobileNetV3, SVTRNet, PPLCNetV3, PPLCNetV4)"), text)
        }
    }

    func testUnknownNamesInOtherSectionsListKnownOnes() throws {
        let cases: [(String, String, String)] = [
            ("\"rnn\"", "\"transformer\"", "unknown SequenceEncoder encoder_type 'transformer' (known: reshape, fc, rnn, svtr, lightsvtr)"),
            ("\"CTCHead\"", "\"AttentionHead\"", "unknown Head name 'AttentionHead' (known: CTCHead, ClsHead, DBHead)"),
            ("\"CRNN\"", "\"NRTR\"", "unknown algorithm 'NRTR' (known: CRNN, SVTR, SVTR_LCNet, CLS, DB)"),
            ("\"Transform\": null", "\"Transform\": {\"name\": \"TPS\"}", "unknown Transform 'TPS' (none is implemented)"),
        ]
        for (from, to, message) in cases {
            XCTAssertThrowsError(try decode(crnnJSON.replacingOccurrences(of: from, with: to))) { error in
                XCTAssertTrue("\(error)".contains(message), "\(error)")
            }
        }
    }

    func testFactoryRejectsWhatItCannotBuild() throws {
        func message(_ arch: ArchitectureConfig, _ shape: [Int] = [3, 32, 320]) -> String {
            do {
                _ = try RecognizerFactory.build(arch, classes: 37, inputShape: shape)
                return "built"
            } catch { return "\(error)" }
        }
        var arch = ArchitectureConfig.crnnMobileNetV3
        arch.backbone = .mobileNetV3(MobileNetV3Config(modelName: "medium"))
        XCTAssertTrue(message(arch).contains("unknown MobileNetV3 model_name 'medium' (known: large, small)"), message(arch))
        arch.backbone = .mobileNetV3(MobileNetV3Config(modelName: "large", scale: 0.6))
        XCTAssertTrue(message(arch).contains("scale 0.6 is not supported"), message(arch))
        XCTAssertTrue(message(.crnnMobileNetV3, [3, 64, 320]).contains("2 x 80 feature map"), message(.crnnMobileNetV3, [3, 64, 320]))
        arch.backbone = .mobileNetV3(MobileNetV3Config(modelName: "small"))             // default small_stride [2, 2, 2, 2]
        XCTAssertTrue(message(arch).contains("0 x 80 feature map"), message(arch))
        XCTAssertTrue(message(arch).contains("small_stride [1, 2, 2, 2]"), message(arch))
        arch = .crnnMobileNetV3
        arch.neck = NeckConfig(encoderType: "cascadernn")
        XCTAssertTrue(message(arch).contains("unknown SequenceEncoder encoder_type 'cascadernn' (known: reshape, fc, rnn, svtr, lightsvtr)"), message(arch))
        arch.neck = nil
        XCTAssertTrue(message(arch).contains("CTCHead needs a sequence"), message(arch))
        arch = .crnnMobileNetV3
        arch.head.name = "SARHead"
        XCTAssertTrue(message(arch).contains("unknown Head name 'SARHead' (known: CTCHead)"), message(arch))

        var svtr = ArchitectureConfig.svtrTiny
        guard case .svtrNet(var b) = svtr.backbone else { return XCTFail() }
        b.imgSize = [32, 100]
        svtr.backbone = .svtrNet(b)
        XCTAssertTrue(message(svtr).contains("img_size [32, 100] differs from the input shape's H, W [32, 320]"), message(svtr))
        b.imgSize = nil
        b.mixer[0] = "Window"
        svtr.backbone = .svtrNet(b)
        XCTAssertTrue(message(svtr).contains("unknown SVTRNet mixer 'Window' (known: Global, Local, Conv)"), message(svtr))
        b.mixer[0] = "Local"
        b.patchMerging = "Merge"
        svtr.backbone = .svtrNet(b)
        XCTAssertTrue(message(svtr).contains("unknown SVTRNet patch_merging 'Merge' (known: Conv, Pool, None)"), message(svtr))
        b.patchMerging = "Conv"
        b.lastStage = false
        svtr.backbone = .svtrNet(b)
        XCTAssertTrue(message(svtr).contains("last_stage: false"), message(svtr))
        XCTAssertTrue(message(.svtrTiny, [3, 30, 320]).contains("height divisible by 16"), message(.svtrTiny, [3, 30, 320]))
        XCTAssertTrue(message(.crnnMobileNetV3, [3, 32]).contains("[C, H, W]"))
    }

    /// PaddleOCR's other SVTR options build and run: Pool merging, Conv mixers, prenorm, sub_num 3.
    func testSVTRVariantsBuild() throws {
        var b = SVTRNetConfig()
        b.patchMerging = "Pool"
        b.mixer = Array(repeating: "Conv", count: 3) + Array(repeating: "Local", count: 3) + Array(repeating: "Global", count: 6)
        b.depth = [3, 6, 3]
        b.subNum = 3
        b.prenorm = true
        let arch = ArchitectureConfig(algorithm: "SVTR", backbone: .svtrNet(b), neck: NeckConfig(encoderType: "fc", hiddenSize: 64),
                                      head: HeadConfig(midChannels: 32))
        let model = try RecognizerFactory.build(arch, classes: 11, inputShape: [3, 64, 128])
        let y = try model(.randn([2, 3, 64, 128]))
        XCTAssertEqual(y.shape, [2, 25, 11])
        XCTAssertTrue(model.namedParameters().contains { $0.path == "backbone/blocks1/0/mixer/local_mixer/weight" })
        XCTAssertTrue(model.namedParameters().contains { $0.path == "backbone/sub_sample1/proj/weight" })
        XCTAssertTrue(model.namedParameters().contains { $0.path == "backbone/patch_embed/proj/2/conv/weight" })
        XCTAssertTrue(model.namedParameters().contains { $0.path == "neck/encoder/fc/weight" })
        XCTAssertTrue(model.namedParameters().contains { $0.path == "head/fc2/bias" })
    }
}
