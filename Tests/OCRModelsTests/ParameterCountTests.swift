import XCTest
import NN
import Torch
@testable import OCRModels

/// Trainable parameter counts equal to PaddleOCR's for the same config, derived by hand from its
/// code (Paddle's Linear stores W as in x out, same count; BatchNorm's running mean/variance are
/// buffers here and not counted - Paddle lists them among non-trainable parameters).
///
/// make_divisible(v) = max(8, int(v + 4) // 8 * 8), +8 if that lost > 10%.
/// rec_mv3_none_bilstm_ctc (MobileNetV3 large, scale 0.5), per ResidualUnit
///   expand 1x1 in*mid + BN 2*mid, depthwise k*k*mid + BN 2*mid, [SE mid*(mid/4) + mid/4 + (mid/4)*mid + mid],
///   linear 1x1 mid*out + BN 2*out:
///   conv1   3x3 3->8 + BN                                     =    232
///   k in mid out se:  3 8 8 8 -  248 | 3 8 32 16 -  1216 | 3 16 40 16 -  1832 | 5 16 40 24 SE  3658
///                     5 24 64 24 SE 7104 (x2)            | 3 24 120 40 - 9320 | 3 40 104 40 - 9752
///                     3 40 96 40 - 9008 (x2)            | 3 40 240 56 SE 55372 | 3 56 336 56 SE 98980
///                     5 56 336 80 SE 112468              | 5 80 480 80 SE 206680 (x2)
///   conv2   1x1 80->480 + BN                                 =  39360
///   backbone                                                  = 778022
/// SequenceEncoder rnn, 2-layer BiLSTM, hidden 96, per direction 4H*I + 4H*H + 8H:
///   layer 0 (I = 480): 2 * 221952; layer 1 (I = 192): 2 * 111360 = 666624
/// CTCHead fc 192 -> 37                                        =   7141
/// total                                                       = 1451787  (Paddle with BN statistics: 1464155)
/// Cross-check: a public rec_mv3 large x0.5 `.pdparams` with an 880-character dictionary is
/// 9,205,880 bytes; (1464155 - 7141 + 193 * 882 + 666624 cuDNN flat LSTM copy) * 4 B = 9,175,456 + names.
///
/// SVTR-Tiny (rec_svtrnet.yml: embed [64,128,256], depth [3,6,3], mlp 4, qkv_bias, Conv merging,
/// prenorm false, out_channels 192) at img_size [32, 100]:
///   patch_embed: conv 3->32 3x3 + bias 896, BN 64, conv 32->64 3x3 + bias 18496, BN 128 = 19584
///   pos_embed 1 x (8*25) x 64                                   =  12800
///   block(d) = 2 LN 4d + qkv 3d^2+3d + proj d^2+d + fc1 4d^2+4d + fc2 4d^2+d = 12d^2 + 13d
///     d=64: 49984 x3, d=128: 198272 x6, d=256: 789760 x3      = 3708864
///   sub_sample1 conv 64->128 3x3 + bias + LN 256 = 74112; sub_sample2 128->256 + LN 512 = 295680
///   norm LN 256 = 512; last_conv 1x1 256->192 no bias = 49152
///   backbone 4160704; head fc 192 -> 37 = 7141; total 4167845 (the SVTR paper's SVTR-T: 4.0M).
///   At [32, 320] pos_embed is 8*80*64 = 40960: total 4196005.
final class ParameterCountTests: XCTestCase {
    func testCRNNMatchesPaddleOCR() throws {
        let model = try crnn(32, 320)
        XCTAssertEqual(parameterCount(model.backbone), 778_022)
        XCTAssertEqual(parameterCount(model.neck), 666_624)
        XCTAssertEqual(parameterCount(model.head), 7_141)
        XCTAssertEqual(model.parameterCount, 1_451_787)
        let bnStatistics = model.namedBuffers().filter { !$0.path.hasSuffix("num_batches_tracked") }.reduce(0) { $0 + $1.tensor.count }
        XCTAssertEqual(model.parameterCount + bnStatistics, 1_464_155)
    }

    /// Per-block channel counts after make_divisible (scale 0.5).
    func testMobileNetV3ChannelPlan() throws {
        let net = try crnn(32, 320).backbone as! MobileNetV3
        let plan = net.blocks.map { [$0.expandConv.conv.inChannels, $0.expandConv.conv.outChannels, $0.linearConv.conv.outChannels] }
        XCTAssertEqual(plan, [[8, 8, 8], [8, 32, 16], [16, 40, 16], [16, 40, 24], [24, 64, 24], [24, 64, 24],
                              [24, 120, 40], [40, 104, 40], [40, 96, 40], [40, 96, 40], [40, 240, 56], [56, 336, 56],
                              [56, 336, 80], [80, 480, 80], [80, 480, 80]])
        XCTAssertEqual(net.blocks.map { $0.midSE != nil }, [false, false, false, true, true, true, false, false, false, false,
                                                            true, true, true, true, true])
        XCTAssertEqual(net.blocks.map { $0.bottleneckConv.conv.kernel.0 }, [3, 3, 3, 5, 5, 5, 3, 3, 3, 3, 3, 3, 5, 5, 5])
        // Height-only downsampling in blocks 1, 3, 12; shortcuts where the shape is kept.
        XCTAssertEqual(net.blocks.map { $0.bottleneckConv.conv.stride.0 }, [1, 2, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1])
        XCTAssertTrue(net.blocks.allSatisfy { $0.bottleneckConv.conv.stride.1 == 1 })
        XCTAssertEqual(net.blocks.map(\.hasShortcut), [true, false, true, false, true, true, false, true, true, true,
                                                       false, true, false, true, true])
        XCTAssertEqual([0.35, 0.5, 0.75, 1.0, 1.25].map { MobileNetV3.makeDivisible(16 * $0) }, [8, 8, 16, 16, 24])
        XCTAssertEqual(MobileNetV3.makeDivisible(0.35 * 72), 24)    // int(29.2) // 8 * 8 = 24 >= 0.9 * 25.2
        XCTAssertEqual(MobileNetV3.makeDivisible(11), 16)           // int(15) // 8 * 8 = 8 < 0.9 * 11: +8
    }

    /// small_stride [1, 2, 2, 2] (a common PaddleOCR setting) gives block 0 the tuple stride
    /// (1, 1): PaddleOCR's `stride == 1` test is False for a tuple, so no shortcut even though
    /// 8 -> 8 channels would allow one.
    func testTupleStrideOfOneTakesNoShortcut() throws {
        let net = try MobileNetV3(Path("backbone"), modelName: .small, scale: 0.5, smallStride: [1, 2, 2, 2])
        XCTAssertEqual(net.blocks[0].bottleneckConv.conv.stride.0, 1)
        XCTAssertEqual(net.blocks[0].expandConv.conv.inChannels, net.blocks[0].linearConv.conv.outChannels)
        XCTAssertFalse(net.blocks[0].hasShortcut)
    }

    func testCRNNSmallMatchesPaddleOCR() throws {
        // MobileNetV3 small x0.5 backbone 252896 (out 288 ch), BiLSTM(288 -> 96) 519168, head 7141.
        XCTAssertEqual(try crnn(32, 320, modelName: "small").parameterCount, 779_205)
    }

    func testSVTRTinyMatchesPaddleOCR() throws {
        let model = try svtrTiny(32, 100)
        let net = model.backbone as! SVTRNet
        XCTAssertEqual(parameterCount(net.patchEmbed), 19_584)
        XCTAssertEqual(net.posEmbed.count, 12_800)
        XCTAssertEqual(net.blocks1.map(parameterCount), [49_984, 49_984, 49_984])
        XCTAssertEqual(parameterCount(net.blocks2[0]), 198_272)
        XCTAssertEqual(parameterCount(net.blocks3[0]), 789_760)
        XCTAssertEqual(parameterCount(net.subSample1!) + parameterCount(net.subSample2!), 369_792)
        XCTAssertEqual(parameterCount(model.backbone), 4_160_704)
        XCTAssertEqual(model.parameterCount, 4_167_845)
        XCTAssertEqual(try svtrTiny(32, 320, outCharNum: 80).parameterCount, 4_196_005)
    }
}
