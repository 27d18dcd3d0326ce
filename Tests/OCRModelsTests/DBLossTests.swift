import Foundation
import XCTest
import NN
import Torch
@testable import OCRModels

/// DBLoss on hand-computed 4 x 4 maps, its gradient against finite differences, the OHEM top-k,
/// and finiteness on crops without text.
final class DBLossTests: XCTestCase {
    override func setUp() { Torch.seed(11) }

    func map(_ rows: [[Double]], dtype: DType = .float64) throws -> Tensor {
        try Tensor(rows.flatMap { $0 }, shape: [1, 1, rows.count, rows[0].count]).to(dtype)
    }

    // P, the shrink label (2 positives at the top left) and its mask ((3, 3) ignored).
    let p: [[Double]] = [[0.9, 0.8, 0.1, 0.2], [0.7, 0.6, 0.3, 0.4], [0.1, 0.2, 0.5, 0.05], [0.3, 0.1, 0.2, 0.9]]
    let gt: [[Double]] = [[1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]
    let mask: [[Double]] = [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 0]]
    // T, its label and mask (6 pixels: the top row, (1, 0), (1, 3)).
    let t: [[Double]] = [[0.3, 0.5, 0.7, 0.2], [0.4, 0.4, 0.4, 0.4], [0.6, 0.1, 0.0, 0.3], [0.3, 0.3, 0.3, 0.3]]
    let tLabel: [[Double]] = [[0.3, 0.7, 0.7, 0.3], [0.3, 0.7, 0.7, 0.3], [0.3, 0.3, 0.3, 0.3], [0.3, 0.3, 0.3, 0.3]]
    let tMask: [[Double]] = [[1, 1, 1, 1], [1, 0, 0, 1], [0, 0, 0, 0], [0, 0, 0, 0]]
    let b: [[Double]] = [[0.95, 0.6, 0.2, 0.1], [0.3, 0.2, 0.1, 0.0], [0.0, 0.1, 0.4, 0.0], [0.0, 0.0, 0.0, 0.8]]

    func parts(_ config: DBLossConfig) throws -> DBLossParts {
        let out = DBOutputs(shrink: try map(p), threshold: try map(t), binary: try map(b))
        return try DBLoss(config: config)(out, shrinkMap: map(gt), shrinkMask: map(mask), thresholdMap: map(tLabel),
                                          thresholdMask: map(tMask))
    }

    /// By hand:
    ///   MaskL1(T) = (0 + .2 + 0 + .1 + .1 + .1) / 6 = 0.0833333        -> x beta 10
    ///   Dice(B): I = .95 + .6 = 1.55, U = sum(B m) 2.95 + sum(g m) 2 = 4.95: 1 - 3.1 / 4.95 = 0.3737374
    ///   Dice(P): I = .9 + .8 = 1.7, U = (6.35 - .9) + 2 = 7.45: 1 - 3.4 / 7.45 = 0.5436242; balanced
    ///     over 2 positives + min(13, 3 * 2) = 6 negatives: x 8 / (8 + 1e-6)  -> x alpha 5
    ///   BCE + OHEM 3: positives -ln .9 - ln .8 = 0.3285041; the 6 hardest of 13 negatives (P = .7,
    ///     .6, .5, .4, .3, .3): -sum ln(1 - P) = 4.8848866; (0.3285041 + 4.8848866) / 8 = 0.5457612
    ///   BCE + OHEM 2.5: 5 negatives, one of the two P = .3 ties: (0.3285041 + 3.6809145) / 7 = 0.5727735
    func testHandComputedValues() throws {
        let dice = try parts(DBLossConfig())
        XCTAssertEqual(try dice.threshold.item(), 10 * 0.0833333194, accuracy: 1e-7)
        XCTAssertEqual(try dice.binary.item(), 0.3737375003, accuracy: 1e-7)
        XCTAssertEqual(try dice.shrink.item(), 5 * 0.5436241544, accuracy: 1e-7)
        XCTAssertEqual(try dice.total.item(), 2.7181207719 + 0.8333331944 + 0.3737375003, accuracy: 1e-7)

        let bce = try parts(DBLossConfig(mainLossType: "BCELoss"))
        XCTAssertEqual(try bce.shrink.item(), 5 * 0.5457612187, accuracy: 1e-7)
        XCTAssertEqual(try bce.total.item(), 5 * 0.5457612187 + 0.8333331944 + 0.3737375003, accuracy: 1e-7)
        let tie = try parts(DBLossConfig(mainLossType: "BCELoss", ohemRatio: 2.5))
        XCTAssertEqual(try tie.shrink.item(), 5 * 0.5727735398, accuracy: 1e-7)

        // Unbalanced: Dice as is; BCE averaged over the 15 mask pixels.
        XCTAssertEqual(try parts(DBLossConfig(balanceLoss: false)).shrink.item(), 5 * 0.5436242223, accuracy: 1e-7)
        let (pv, gv, mv) = (p.flatMap { $0 }, gt.flatMap { $0 }, mask.flatMap { $0 })
        var all = 0.0
        for i in pv.indices {
            let bce: Double = gv[i] == 1 ? -Foundation.log(pv[i]) : -Foundation.log(1 - pv[i])
            all += mv[i] * bce / 15
        }
        XCTAssertEqual(try parts(DBLossConfig(balanceLoss: false, mainLossType: "BCELoss")).shrink.item(), 5 * all, accuracy: 1e-6)
    }

    /// Soft mask weights (not 0/1): the Dice top k is taken over the actual negative weights.
    func testDiceBalanceWithSoftMask() throws {
        var soft = mask
        soft[2] = [0.5, 0.75, 1, 1]                                      // negative weights: 11 ones, 0.75, 0.5
        let shrink = try map(p)
        let d = try DiceLoss()(shrink, map(gt), map(soft)).item()
        // 2 positives, k = int(min(12.25, 6)) = 6: the six largest negative weights are all 1.
        let balanced = try BalanceLoss(main: .dice)(shrink, map(gt), map(soft)).item()
        XCTAssertEqual(balanced, d * (2 + 6) / (8 + 1e-6), accuracy: 1e-9)
        // ratio 6: k = int(min(12.25, 12)) = 12: the eleven ones and the 0.75.
        let wide = try BalanceLoss(main: .dice, negativeRatio: 6)(shrink, map(gt), map(soft)).item()
        XCTAssertEqual(wide, d * (2 + 11.75) / (14 + 1e-6), accuracy: 1e-9)
    }

    /// Labels may come as B x H x W; float32 maps give the same numbers.
    func testAcceptsUnbatchedChannelLabelsAndRejectsOtherShapes() throws {
        let out = DBOutputs(shrink: try map(p, dtype: .float32), threshold: try map(t, dtype: .float32),
                            binary: try map(b, dtype: .float32))
        let loss = try DBLoss()
        let parts = try loss(out, shrinkMap: map(gt).squeeze(1), shrinkMask: map(mask).squeeze(1),
                             thresholdMap: map(tLabel).squeeze(1), thresholdMask: map(tMask).squeeze(1))
        XCTAssertEqual(try parts.total.item(), 2.7181207719 + 0.8333331944 + 0.3737375003, accuracy: 1e-5)
        XCTAssertThrowsError(try loss(out, shrinkMap: Tensor.zeros([1, 4, 5]), shrinkMask: map(mask), thresholdMap: map(tLabel),
                                      thresholdMask: map(tMask))) { error in
            XCTAssertTrue("\(error)".contains("DBLoss shrink_map has shape [1, 4, 5]; the predicted maps are [1, 1, 4, 4]"), "\(error)")
        }
    }

    /// The host-side k-th largest and the weighted top-k sum against a sort.
    func testTopKSumEqualsSortedSum() throws {
        for n in [1, 7, 1000] {
            // Few distinct values, so ties are common; negatives and -0.0 included.
            let picks = try Tensor.randint(0, 8, [n]).toArray(Int64.self)
            let values = picks.map { [-1.5, -0.0, 0, 0.25, 0.25, 3, 1e-30, 7.5][Int($0)] }
            let sorted = values.sorted(by: >)
            for k in Set([1, n / 2 + 1, n]) {
                XCTAssertEqual(KthLargest.value(values, k: k), sorted[k - 1], "n \(n) k \(k)")
                let sum = try BalanceLoss.topKSum(Tensor(values, shape: [n]), k: k).item()
                XCTAssertEqual(sum, sorted.prefix(k).reduce(0, +), accuracy: 1e-9, "n \(n) k \(k)")
            }
        }
    }

    /// d total / d logits for P, T, B = sigmoid(logits) against central differences (float64).
    func testGradientMatchesFiniteDifferences() throws {
        for config in [DBLossConfig(), DBLossConfig(mainLossType: "BCELoss")] {
            let logits = try (Tensor.randn([2, 3, 6, 6], dtype: .float64) * 2).requiresGrad(true)
            let gtMap = try (Tensor.rand([2, 1, 6, 6], dtype: .float64).apply(.gt, 0.9)).to(.float64)
            let shrinkMask = try (Tensor.rand([2, 1, 6, 6], dtype: .float64).apply(.gt, 0.1)).to(.float64)
            let tMap = try Tensor.rand([2, 1, 6, 6], dtype: .float64) * 0.4 + 0.3
            let tMaskMap = try (Tensor.rand([2, 1, 6, 6], dtype: .float64).apply(.gt, 0.5)).to(.float64)
            let loss = try DBLoss(config: config)
            func total() throws -> Tensor {
                let maps = try logits.sigmoid()
                let out = DBOutputs(shrink: try maps.narrow(1, start: 0, length: 1), threshold: try maps.narrow(1, start: 1, length: 1),
                                    binary: try maps.narrow(1, start: 2, length: 1))
                return try loss(out, shrinkMap: gtMap, shrinkMask: shrinkMask, thresholdMap: tMap, thresholdMask: tMaskMap).total
            }
            try total().backward()
            let analytic = try XCTUnwrap(logits.grad).toArray(Double.self)
            let eps = 1e-6
            var worst = 0.0
            for i in stride(from: 0, to: logits.count, by: 5) {
                var delta = [Double](repeating: 0, count: logits.count)
                delta[i] = eps
                let d = try Tensor(delta, shape: logits.shape)
                try noGrad { try logits.update(.add, d) }
                let plus = try noGrad { try total().item() }
                try noGrad { try logits.update(.sub, d); try logits.update(.sub, d) }
                let minus = try noGrad { try total().item() }
                try noGrad { try logits.update(.add, d) }
                let numeric = (plus - minus) / (2 * eps)
                let err = Swift.abs(numeric - analytic[i]) / Swift.max(1, Swift.abs(numeric))
                worst = Swift.max(worst, err)
                XCTAssertLessThan(err, 1e-6, "\(config.mainLossType) [\(i)]: numeric \(numeric) analytic \(analytic[i])")
            }
            print("gradcheck DBLoss \(config.mainLossType): worst relative error \(worst) (limit 1e-6)")
        }
    }

    /// No text at all (all-background crop), with full and with empty masks, on a real model's
    /// outputs: every part and every parameter gradient is finite.
    func testAllBackgroundIsFinite() throws {
        let net = try DetectorFactory.make(.dbRSEFPN)
        net.train()
        for config in [DBLossConfig(), DBLossConfig(mainLossType: "BCELoss")] {
            for maskValue in [1.0, 0.0] {
                for p in net.parameters() { try p.zeroGrad() }
                let out = try net.trainOutputs(Tensor.randn([2, 3, 64, 64]))
                let zeros = try Tensor.zeros([2, 64, 64]), masks = try Tensor.full([2, 64, 64], value: maskValue)
                let parts = try DBLoss(config: config)(out, shrinkMap: zeros, shrinkMask: masks, thresholdMap: zeros,
                                                       thresholdMask: masks)
                let values = try [parts.total, parts.shrink, parts.threshold, parts.binary].map { try $0.item() }
                XCTAssertTrue(values.allSatisfy(\.isFinite), "\(config.mainLossType) mask \(maskValue): \(values)")
                XCTAssertEqual(values[1], 0, "no positives: the balanced shrink loss is 0")
                XCTAssertEqual(values[3], 1, accuracy: 1e-6, "Dice with no text is 1")
                try parts.total.backward()
                for (path, p) in net.namedParameters() {
                    guard let g = try p.grad else { continue }
                    let s = try g.abs().sum().item()
                    XCTAssertTrue(s.isFinite, "\(config.mainLossType) mask \(maskValue): gradient of \(path) is \(s)")
                }
            }
        }
    }

    func testDecodesPaddleOCRsLossSection() throws {
        let json = #"{"name": "DBLoss", "balance_loss": true, "main_loss_type": "DiceLoss", "alpha": 5, "beta": 10, "ohem_ratio": 3}"#
        let config = try JSONDecoder().decode(DBLossConfig.self, from: Data(json.utf8))
        XCTAssertEqual(config, DBLossConfig())
        XCTAssertEqual(try JSONDecoder().decode(DBLossConfig.self, from: JSONEncoder().encode(config)), config)
        XCTAssertEqual(try JSONDecoder().decode(DBLossConfig.self, from: Data(#"{"name": "DBLoss"}"#.utf8)), config)
        for (from, to, message) in [("DiceLoss", "FocalLoss", "unknown DBLoss main_loss_type 'FocalLoss' (known: DiceLoss, BCELoss)"),
                                    ("\"DBLoss\"", "\"EASTLoss\"", "unknown Loss name 'EASTLoss' (known: DBLoss)")] {
            XCTAssertThrowsError(try JSONDecoder().decode(DBLossConfig.self, from: Data(json.replacingOccurrences(of: from, with: to).utf8))) {
                XCTAssertTrue("\($0)".contains(message), "\($0)")
            }
        }
        XCTAssertThrowsError(try DBLoss(config: DBLossConfig(mainLossType: "MSE"))) {
            XCTAssertTrue("\($0)".contains("unknown DBLoss main_loss_type 'MSE'"), "\($0)")
        }
        XCTAssertThrowsError(try DBLoss(config: DBLossConfig(ohemRatio: 0))) {
            XCTAssertTrue("\($0)".contains("ohem_ratio"), "\($0)")
        }
    }
}
