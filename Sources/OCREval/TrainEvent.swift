import OCRCore

/// What a training run reports. The library emits these; the executable decides how to show them
/// (progress bar, JSON lines).
public enum TrainEvent: Sendable {
    public struct Step: Sendable, Codable {
        public var step: Int, totalSteps: Int, epoch: Int
        public var loss: Double, smoothedLoss: Double, learningRate: Double
        public var samplesPerSecond: Double
        /// Share of wall time the step spent waiting for the data loader.
        public var dataWaitShare: Double
        public var etaSeconds: Double

        public init(step: Int, totalSteps: Int, epoch: Int, loss: Double, smoothedLoss: Double, learningRate: Double,
                    samplesPerSecond: Double, dataWaitShare: Double, etaSeconds: Double) {
            self.step = step
            self.totalSteps = totalSteps
            self.epoch = epoch
            self.loss = loss
            self.smoothedLoss = smoothedLoss
            self.learningRate = learningRate
            self.samplesPerSecond = samplesPerSecond
            self.dataWaitShare = dataWaitShare
            self.etaSeconds = etaSeconds
        }
    }

    public struct Evaluation: Sendable {
        public var step: Int
        /// The task's named figures; `metrics.main` picked best.h5.
        public var metrics: MetricsTable
        public var mainMetric: Double { metrics.mainValue }
        public var isBest: Bool
        public var samplesPerSecond: Double

        public init(step: Int, metrics: MetricsTable, isBest: Bool, samplesPerSecond: Double) {
            self.step = step
            self.metrics = metrics
            self.isBest = isBest
            self.samplesPerSecond = samplesPerSecond
        }
    }

    case message(String)
    case step(Step)
    case evaluation(Evaluation)
    case checkpoint(path: String, reason: String)
    case finished(reason: String, step: Int)
}
