import XCTest
import NN
import Torch
@testable import OCRModels

final class RecognizerShapeTests: XCTestCase {
    /// PaddleOCR's rec MobileNetV3 halves the width twice (conv1 stride 2, the final 2x2 max
    /// pool) and the height five times: [3, 32, 100] -> T = 25 (PaddleOCR's max_text_length),
    /// [3, 32, 320] -> T = 80.
    func testCRNNLogitShapes() throws {
        for (h, w, t) in [(32, 320, 80), (48, 320, 80), (32, 100, 25), (32, 257, 64), (48, 64, 16)] {
            let model = try crnn(h, w)
            model.eval()
            let y = try model(Tensor.randn([2, 3, h, w]))
            XCTAssertEqual(y.shape, [2, t, englishClasses], "\(h)x\(w)")
            XCTAssertEqual(model.outputLength(forWidth: w), t, "\(h)x\(w)")
            XCTAssertNil(model.fixedInputWidth)
            XCTAssertEqual(model.inputHeight, h)
        }
    }

    /// CRNN takes any width once built: one 32x320 model, three widths.
    func testCRNNAcceptsOtherWidths() throws {
        let model = try crnn(32, 320)
        for w in [96, 200, 640] {
            let y = try model(Tensor.randn([1, 3, 32, w]))
            XCTAssertEqual(y.shape, [1, model.outputLength(forWidth: w), englishClasses])
            XCTAssertEqual(y.size(1), (w + 1) / 2 / 2)
        }
    }

    func testCRNNSmallBackbone() throws {
        let model = try crnn(32, 320, modelName: "small")
        let y = try model(Tensor.randn([2, 3, 32, 320]))
        XCTAssertEqual(y.shape, [2, 80, englishClasses])
        XCTAssertEqual((model.backbone as! MobileNetV3).outChannels, 288)
    }

    /// MobileNetV3 large x0.5 ends in 480 channels on a 1-row map.
    func testCRNNBackboneFeatureMap() throws {
        let model = try crnn(32, 320)
        let f = try model.backbone(Tensor.randn([1, 3, 32, 320]))
        XCTAssertEqual(f.shape, [1, 480, 1, 80])
        XCTAssertEqual(try model.neck(f).shape, [1, 80, 192])                // BiLSTM: 2 x 96
    }

    func testSVTRTinyShapes() throws {
        let small = try svtrTiny(32, 100)
        small.eval()
        XCTAssertEqual(try small(Tensor.randn([2, 3, 32, 100])).shape, [2, 25, englishClasses])
        XCTAssertEqual(small.fixedInputWidth, 100)
        XCTAssertEqual(small.outputLength(forWidth: 100), 25)
        XCTAssertEqual(try small.backbone(Tensor.randn([1, 3, 32, 100])).shape, [1, 192, 1, 25])

        let line = try svtrTiny(32, 320, outCharNum: 80)
        line.eval()
        XCTAssertEqual(try line(Tensor.randn([1, 3, 32, 320])).shape, [1, 80, englishClasses])
        let tall = try svtrTiny(48, 320, outCharNum: 40)
        XCTAssertEqual(try tall(Tensor.randn([1, 3, 48, 320])).shape, [1, 40, englishClasses])
    }

    func testSVTRStageGrids() throws {
        let model = try svtrTiny(32, 320, outCharNum: 80)
        let net = model.backbone as! SVTRNet
        XCTAssertTrue(net.grid == (8, 80))
        XCTAssertEqual(net.posEmbed.shape, [1, 640, 64])
        let attn1 = net.blocks1[0].mixer as! SVTRAttention, attn2 = net.blocks2[0].mixer as! SVTRAttention
        XCTAssertEqual(attn1.mixer, .local)
        XCTAssertEqual(attn1.mask?.shape, [1, 1, 640, 640])
        XCTAssertEqual(attn2.mask?.shape, [1, 1, 320, 320])                     // 4 x 80 after sub_sample1
        XCTAssertEqual((net.blocks2[3].mixer as! SVTRAttention).mixer, .global)  // mixer[9]
        XCTAssertNil((net.blocks3[0].mixer as! SVTRAttention).mask)
    }

    /// Channels-last (NHWC) input is a layout choice only: same logits, same gradients.
    func testChannelsLastInputGivesTheSameResult() throws {
        for model in [try crnn(32, 64) as any Recognizer, try svtrTiny(32, 64, outCharNum: 16)] {
            model.eval()
            let x = try Tensor.randn([2, 3, 32, 64])
            model.channelsLastInput = false
            let a = try model(x)
            model.channelsLastInput = true
            let b = try model(x)
            let diff = try (a - b).abs().max().item()
            XCTAssertLessThan(diff, 1e-4, "\(model.architecture.algorithm): max |diff| = \(diff) (limit 1e-4)")
        }
    }

    func testLayoutDefaults() throws {
        XCTAssertTrue(try crnn(32, 64).channelsLastInput)
        XCTAssertFalse(try svtrTiny(32, 64, outCharNum: 16).channelsLastInput)
    }

    func testWrongInputShapesAreRejected() throws {
        let svtr = try svtrTiny(32, 100)
        XCTAssertThrowsError(try svtr(Tensor.randn([1, 3, 32, 128]))) { error in
            XCTAssertEqual((error as? ModelError)?.kind, .invalidInput)
            XCTAssertTrue("\(error)".contains("3 x 32 x 100"), "\(error)")
        }
        let model = try crnn(32, 320)
        XCTAssertThrowsError(try model(Tensor.randn([1, 3, 48, 320])))
        XCTAssertThrowsError(try model(Tensor.randn([1, 1, 32, 320])))
        XCTAssertThrowsError(try model(Tensor.randn([3, 32, 320])))
    }
}
