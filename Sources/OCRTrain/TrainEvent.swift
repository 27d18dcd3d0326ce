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
    }

    public struct Evaluation: Sendable {
        public var step: Int
        public var summary: RecognitionMetrics.Summary
        public var mainMetric: Double
        public var isBest: Bool
        public var samplesPerSecond: Double
    }

    case message(String)
    case step(Step)
    case evaluation(Evaluation)
    case checkpoint(path: String, reason: String)
    case finished(reason: String, step: Int)
}
