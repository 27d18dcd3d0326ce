import Foundation
import NN
import OCRCore
import OCRData
import OCRModels
import Torch
import XCTest
@testable import OCRTrain

/// The whole training path on real parts: lines rendered from a font file, the loader, PaddleOCR's
/// CRNN, CTC, AdamW, greedy decoding and the metrics. A handful of lines must be learnt to 100%.
final class OverfitEndToEndTests: XCTestCase {
    func testCRNNOverfitsAHandfulOfRenderedLinesToFullAccuracy() throws {
        let texts = ["invoice", "$17.90", "OCRKit", "03-15", "hello", "Swift", "AB-123", "paid"]
        let charset = try Charset(characters: String(Set(texts.joined())).sorted().map(String.init).joined())
        let corpus = try CorpusSampler(texts: texts, mode: .lines(maxLength: nil), charset: charset)
        let dataset = try SyntheticLineDataset(fontPaths: ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"], corpus: corpus,
                                               options: .clean, count: texts.count)
        let pipeline = LinePipeline(resize: RecResize(imageShape: [3, 32, 100]), charset: charset)
        let loader = LineLoader(dataset: dataset, pipeline: pipeline,
                                options: LoaderOptions(batchSize: 8, shuffle: true, dropLast: false, workers: 0), seed: 3)
        // rendered once: the test is about learning, and debug-build rendering is slow
        let evalBatches = [try loader.batch(epoch: 0, index: 0)]

        Torch.seed(0)
        // a small CRNN (MobileNetV3-small x0.35, BiLSTM 48) keeps the test well under a minute
        let arch = ArchitectureConfig(algorithm: "CRNN", backbone: .mobileNetV3(MobileNetV3Config(modelName: "small", scale: 0.35, smallStride: [1, 2, 2, 2])),
                                      neck: NeckConfig(encoderType: "rnn", hiddenSize: 48), head: HeadConfig(fcDecay: 0))
        let model = try RecognizerFactory.build(arch, classes: charset.classCount, inputShape: [3, 32, 100])
        var g = GlobalConfig()
        g.maxSteps = 1000
        g.evalBatchStep = [25, 25]
        g.earlyStoppingPatience = nil
        g.saveModelDir = FileManager.default.temporaryDirectory.appendingPathComponent("overfit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: g.saveModelDir) }
        var o = OptimizerConfig()
        o.lr = .init()
        o.lr.name = "Const"
        o.lr.learningRate = 0.005
        o.lr.warmupSteps = 20
        let setup = RecognitionTrainer.Setup(model: model, forward: { try model($0) }, charset: charset, global: g, optimizer: o,
                                             resolvedConfig: "", preprocess: "3x32x100", train: ArrayBatchSource(evalBatches),
                                             eval: ArrayBatchSource(evalBatches))
        let trainer = try RecognitionTrainer(setup) { _ in }
        let stop = StopFlag()
        let start = Date()
        var accuracy = 0.0
        _ = try trainer.run(stop: stop) { e in
            if case .step(let s) = e, s.step % 50 == 0 { print("overfit: step \(s.step) loss \(s.loss)") }
            if case .evaluation(let ev) = e {
                accuracy = ev.metrics["acc"] ?? 0
                print("overfit: step \(ev.step) line accuracy \(accuracy)")
                if accuracy == 1 { stop.request("learnt") }
            }
        }
        print("overfit: \(Date().timeIntervalSince(start)) s")
        XCTAssertEqual(accuracy, 1, "the 8 lines were not all read exactly")
    }
}
