import XCTest
import NN
import Torch
@testable import OCRModels

/// A DB detector learns: a few AdamW steps on a tiny synthetic batch lower DBLoss.
final class DBTrainingTests: XCTestCase {
    override func setUp() { Torch.seed(5) }

    /// Two 64 x 64 noise images, each with a bright "text" bar; labels as PaddleOCR's
    /// MakeShrinkMap/MakeBorderMap would roughly give: the bar's inner part as the shrink map,
    /// a band around its border for the threshold map (0.7 on the border, 0.3 elsewhere).
    func batch() throws -> (x: Tensor, shrink: Tensor, shrinkMask: Tensor, threshold: Tensor, thresholdMask: Tensor) {
        let n = 2, h = 64, w = 64
        var image = try (Tensor.rand([n * 3 * h * w]) - 0.5).toArray(Float.self)      // seeded noise in [-0.5, 0.5)
        var shrink = [Float](repeating: 0, count: n * h * w)
        var threshold = [Float](repeating: 0.3, count: n * h * w)
        var thresholdMask = [Float](repeating: 0, count: n * h * w)
        let bars = [(top: 12, bottom: 28, left: 8, right: 56), (top: 36, bottom: 52, left: 16, right: 48)]
        for (b, bar) in bars.enumerated() {
            for y in 0..<h {
                for x in 0..<w {
                    let inside = y >= bar.top && y < bar.bottom && x >= bar.left && x < bar.right
                    if inside { for c in 0..<3 { image[((b * 3 + c) * h + y) * w + x] += 1.5 } }
                    let inner = y >= bar.top + 3 && y < bar.bottom - 3 && x >= bar.left + 3 && x < bar.right - 3
                    if inner { shrink[(b * h + y) * w + x] = 1 }
                    let band = y >= bar.top - 3 && y < bar.bottom + 3 && x >= bar.left - 3 && x < bar.right + 3 && !inner
                    if band {
                        thresholdMask[(b * h + y) * w + x] = 1
                        if !inside || y == bar.top || y == bar.bottom - 1 || x == bar.left || x == bar.right - 1 {
                            threshold[(b * h + y) * w + x] = 0.7
                        }
                    }
                }
            }
        }
        return (try Tensor(image, shape: [n, 3, h, w]), try Tensor(shrink, shape: [n, h, w]), try Tensor.ones([n, h, w]),
                try Tensor(threshold, shape: [n, h, w]), try Tensor(thresholdMask, shape: [n, h, w]))
    }

    func testFewStepsReduceTheLoss() throws {
        for (arch, config) in [(ArchitectureConfig.dbRSEFPN, DBLossConfig()),
                               (.dbMobileNetV3, DBLossConfig(mainLossType: "BCELoss"))] {
            let net = try DetectorFactory.make(arch)
            net.train()
            let data = try batch()
            let loss = try DBLoss(config: config)
            let optimizer = try Optimizer(.adamW, parameters: net.trainableParameters(), options: OptimizerOptions(lr: 2e-3))
            var totals: [Double] = []
            for _ in 0..<20 {
                let parts = try loss(net.trainOutputs(data.x), shrinkMap: data.shrink, shrinkMask: data.shrinkMask,
                                     thresholdMap: data.threshold, thresholdMask: data.thresholdMask)
                try optimizer.zeroGrad()
                try parts.total.backward()
                try optimizer.step()
                totals.append(try parts.total.item())                      // host sync, for the assertion
            }
            let first = totals[0], last = totals.suffix(3).reduce(0, +) / 3
            print("DB \(arch.neck!.name) \(config.mainLossType): loss \(first) -> \(last) (needs < 70%)")
            XCTAssertLessThan(last, 0.7 * first, "\(arch.neck!.name) \(config.mainLossType): \(totals)")
        }
    }

    /// Every parameter takes part in the training outputs (the threshold branch only there).
    func testEveryParameterReceivesGradient() throws {
        let net = try DetectorFactory.make(.dbRSEFPN)
        net.train()
        let out = try net.trainOutputs(Tensor.randn([2, 3, 64, 64]))
        try (out.shrink.mean() + out.threshold.mean() + out.binary.mean()).backward()
        for (path, p) in net.namedParameters() {
            let g = try XCTUnwrap(p.grad, path)
            XCTAssertGreaterThan(try g.abs().sum().item(), 0, path)
        }
    }
}
