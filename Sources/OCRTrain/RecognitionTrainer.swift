import NN
import OCRCore
import OCRData
import OCRRun
import Torch

/// CTC recognition training: the engine (`Trainer`) running a `RecognitionTask`, set up from one
/// struct as recognition runs and tests build it.
public final class RecognitionTrainer {
    public struct Setup {
        public var model: Module
        /// B x 3 x H x W -> logits B x T x C.
        public var forward: (Tensor) throws -> Tensor
        public var charset: Charset
        public var global: GlobalConfig
        public var optimizer: OptimizerConfig
        /// The resolved YAML config, saved in every checkpoint and the run directory.
        public var resolvedConfig: String
        /// Input shape, resize and normalisation policy: a checkpoint with another one is refused on resume.
        public var preprocess: String
        public var train: any BatchSource<LineBatch>
        public var eval: (any BatchSource<LineBatch>)?
        public var metricOptions: RecognitionMetrics.Options = .paddleOCR
        /// "acc" (line accuracy) or "norm_edit_dis".
        public var mainIndicator = "acc"
        /// Where the model trains (`forward` must move its input there).
        public var device: Device = .cpu

        public init(model: Module, forward: @escaping (Tensor) throws -> Tensor, charset: Charset, global: GlobalConfig,
                    optimizer: OptimizerConfig, resolvedConfig: String, preprocess: String, train: any BatchSource<LineBatch>,
                    eval: (any BatchSource<LineBatch>)?) {
            self.model = model
            self.forward = forward
            self.charset = charset
            self.global = global
            self.optimizer = optimizer
            self.resolvedConfig = resolvedConfig
            self.preprocess = preprocess
            self.train = train
            self.eval = eval
        }
    }

    public let engine: Trainer<RecognitionTask>

    public init(_ setup: Setup, events: (TrainEvent) -> Void) throws {
        let task = RecognitionTask(forward: setup.forward, charset: setup.charset, metricOptions: setup.metricOptions,
                                   mainIndicator: setup.mainIndicator)
        var parts = Trainer<RecognitionTask>.Parts(model: setup.model, global: setup.global, optimizer: setup.optimizer,
                                                   resolvedConfig: setup.resolvedConfig, preprocess: setup.preprocess,
                                                   train: setup.train, eval: setup.eval)
        parts.device = setup.device
        engine = try Trainer(task: task, parts: parts, events: events)
    }

    public var progress: TrainingProgress { engine.progress }
    public var totalSteps: Int { engine.totalSteps }

    public func run(stop: StopFlag = StopFlag(), events: (TrainEvent) -> Void) throws -> TrainingProgress {
        try engine.run(stop: stop, events: events)
    }

    public func evaluate(_ source: any BatchSource<LineBatch>) throws -> RecognitionEvaluation { try engine.evaluate(source) }
}
