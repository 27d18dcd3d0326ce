import Foundation
import NN
import OCRRun
import Torch

/// The training engine every task runs on. One step reads top to bottom: learning rate from a
/// pure function of the step, the task's forward and loss, zero grad, backward, clip, optimizer
/// step, EMA, log. The run loop around it has one named place each for logging, evaluation and
/// checkpointing; Ctrl-C / SIGTERM, a time budget, early stopping and a non-finite loss all end
/// in a checkpoint.
public final class Trainer<Task: TrainingTask> {
    /// The parts of a run that are not the task's.
    public struct Parts {
        public var model: Module
        public var global: GlobalConfig
        public var optimizer: OptimizerConfig
        /// The resolved YAML config, saved in every checkpoint and the run directory.
        public var resolvedConfig: String
        /// Input shape, resize and normalisation policy: a checkpoint with another one is refused on resume.
        public var preprocess: String
        public var train: any BatchSource<Task.Batch>
        public var eval: (any BatchSource<Task.Batch>)?
        /// Data-parallel training: this rank's group (see `DataParallel`); nil trains alone.
        public var dataParallel: DataParallel? = DataParallel.process
        /// Where the model trains (`GlobalConfig.trainingDevice()`); the task's forward moves each
        /// batch there. Checkpoints stay CPU data whatever it is.
        public var device: Device = .cpu

        public init(model: Module, global: GlobalConfig, optimizer: OptimizerConfig, resolvedConfig: String, preprocess: String,
                    train: any BatchSource<Task.Batch>, eval: (any BatchSource<Task.Batch>)?) {
            self.model = model
            self.global = global
            self.optimizer = optimizer
            self.resolvedConfig = resolvedConfig
            self.preprocess = preprocess
            self.train = train
            self.eval = eval
        }
    }

    public let task: Task
    public let parts: Parts
    public internal(set) var progress = TrainingProgress()
    public let totalSteps: Int
    let groups: OptimizerGroups
    let schedule: LearningRateSchedule
    var ema: WeightEMA?

    var global: GlobalConfig { parts.global }
    var runDir: String { parts.global.saveModelDir }

    public init(task: Task, parts: Parts, events: (TrainEvent) -> Void) throws {
        self.task = task
        var parts = parts
        if let dp = parts.dataParallel { parts.train = try dp.shard(parts.train, events: events) }
        self.parts = parts
        let g = parts.global
        // Before the optimizer and EMA: their state is made from the parameters, on their device.
        // The move is in place, so weights loaded below are copied onto the device as they are.
        try parts.device.checkAvailable(setting: "Global.device")
        try parts.model.to(parts.device)
        if parts.device != .cpu { events(.message("device: \(parts.device)")) }
        Torch.seed(g.seed)
        Torch.threads = g.threads
        progress.seed = g.seed
        totalSteps = g.totalSteps(batchesPerEpoch: parts.train.batchesPerEpoch)
        groups = try OptimizerGroups(model: parts.model, global: g, optimizer: parts.optimizer)
        schedule = try parts.optimizer.lr.schedule(totalSteps: totalSteps)
        if let decay = g.emaDecay { ema = try WeightEMA(parts.model, decay: decay) }

        events(.message("model: \(parts.model.parameterCount) parameters (\(groups.frozen) tensors frozen); optimizer "
                        + "\(groups.optimizer.kind.rawValue), \(groups.paths.count) group(s), lr multipliers \(groups.multipliers)"))
        if !g.ignored.isEmpty { events(.message("ignored PaddleOCR keys (no meaning here): Global." + g.ignored.joined(separator: ", Global."))) }
        if let p = g.pretrainedModel { try loadPretrained(p, events: events) }
        if let c = g.checkpoints { try resume(from: c, events: events) }
        try parts.dataParallel?.broadcastState(of: parts.model)
        if let dp = parts.dataParallel { events(.message(dp.synchroniseBatchNorm(in: parts.model, g.syncBn))) }
    }

    // MARK: - the loop

    /// Trains until `max_steps` (or the epochs, or the time budget), an early stop, a stop request
    /// or a non-finite loss; every way out writes latest.h5 first.
    public func run(stop: StopFlag = StopFlag(), events: (TrainEvent) -> Void) throws -> TrainingProgress {
        if parts.dataParallel?.isLeader ?? true {
            try FileManager.default.createDirectory(atPath: runDir, withIntermediateDirectories: true)
            // Under data parallel the batch and threads above are this rank's (`--nproc auto` split the batch).
            let ranks = parts.dataParallel.map { "# data parallel: \($0.worldSize) ranks; Train.loader.batch_size_per_card and "
                + "Global.threads above are each rank's (under ocr-train --nproc auto, its share of the command line's batch)\n" } ?? ""
            try (parts.resolvedConfig + ProcessSetup.threadSettingsComment(torchThreads: Torch.threads) + ranks)
                .write(toFile: runDir + "/config.yml", atomically: true, encoding: .utf8)
        }
        parts.model.train()
        try parts.train.start(epoch: progress.epoch, skipping: progress.batchInEpoch)
        var log = StepLog(startStep: progress.step, wait: parts.train.waitSeconds)
        // A time budget (Global.train_minutes) ends the run early: `planned` is the step it allows
        // at the speed so far, and the schedule is laid over it so the rate anneals by then.
        var planned = totalSteps
        var agreedStop: String?      // data parallel: the ranks agree at the end of every step

        while progress.step < planned {
            if let why = parts.dataParallel == nil ? stop.requested : agreedStop {
                try saveCheckpoint(runDir + "/latest.h5", reason: why, events: events)
                events(.finished(reason: why, step: progress.step))
                return progress
            }
            guard let batch = try parts.train.next() else {        // end of epoch
                progress.epoch += 1
                progress.batchInEpoch = 0
                try parts.train.start(epoch: progress.epoch, skipping: 0)
                continue
            }
            let lr = (planned == totalSteps ? schedule : schedule.stretched(from: totalSteps, to: planned)).rate(at: progress.step)
            let loss = try savingIfPeerLost(events) { try step(batch, lr: lr) }
            progress.step += 1
            progress.batchInEpoch += 1
            guard loss.isFinite else {
                try saveCheckpoint(runDir + "/latest.h5", reason: "loss became \(loss)", events: events)
                throw TrainError("loss became \(loss) at step \(progress.step) (lr \(lr)); the last good state is in \(runDir)/latest.h5 - lower Optimizer.lr.learning_rate or set Optimizer.clip_norm")
            }
            log.add(loss: loss, samples: task.sampleCount(of: batch) * (parts.dataParallel?.worldSize ?? 1))
            if let budget = global.trainMinutes.map({ $0 * 60 }) {
                let trained = log.trainingSeconds
                let perStep = trained / Double(progress.step - log.startStep)
                planned = min(totalSteps, progress.step + max(0, Int((budget - trained) / perStep)))
            }
            if progress.step % max(global.printBatchStep, 1) == 0 || progress.step == planned {
                events(.step(log.report(step: progress.step, planned: planned, epoch: progress.epoch, lr: lr,
                                        wait: parts.train.waitSeconds)))
            }
            if isEvaluationStep(planned: planned) {
                let started = Date()
                let stopEarly = try evaluateAndKeepBest(events: events)
                try saveCheckpoint(runDir + "/latest.h5", reason: "step \(progress.step)", events: events)
                log.evalSeconds += Date().timeIntervalSince(started)
                if stopEarly {
                    let why = "early stopping: no better \(task.mainIndicator) in \(global.earlyStoppingPatience!) evaluations"
                    guard parts.dataParallel != nil else {
                        events(.finished(reason: why, step: progress.step))
                        return progress
                    }
                    stop.request(why)                    // the other ranks learn it just below
                }
            }
            if let dp = parts.dataParallel {
                (agreedStop, planned) = try savingIfPeerLost(events) { try dp.agree(stop: stop.requested, planned: planned) }
            }
        }
        try saveCheckpoint(runDir + "/latest.h5", reason: "finished", events: events)
        events(.finished(reason: planned < totalSteps ? "time budget of \(global.trainMinutes!) minutes spent"
                                                      : "reached \(totalSteps) steps", step: progress.step))
        return progress
    }

    /// One optimizer step on one batch; returns the loss (host sync, for logging and NaN checks).
    func step(_ batch: Task.Batch, lr: Double) throws -> Double {
        try groups.optimizer.setLearningRate(lr, multipliers: groups.multipliers)
        let loss = try task.loss(on: batch)
        try groups.optimizer.zeroGrad()
        try loss.backward()
        try parts.dataParallel?.averageGradients(groups.trainable)
        // Host sync. Data parallel: the global batch's loss, the same on every rank (before the
        // optimizer step, so that a lost peer leaves the state whole).
        let value = try parts.dataParallel?.mean(try loss.item()) ?? loss.item()
        if let clip = parts.optimizer.clipNorm { try clipGradNorm(groups.trainable, maxNorm: clip) }
        try groups.optimizer.step()
        try ema?.update()
        return value
    }

    /// Every `interval` steps from `start` on, and always at the last step (a time budget may end
    /// the run before `start`: best.h5 must still come from an evaluation).
    func isEvaluationStep(planned: Int) -> Bool {
        let (start, interval) = (global.evalBatchStep[0], global.evalBatchStep[1])
        return parts.eval != nil && (parts.dataParallel?.isLeader ?? true) && (progress.step == planned || (progress.step >= start && progress.step % interval == 0))
    }

    // MARK: - evaluation

    /// Evaluates (with EMA weights when on); saves best.h5 on improvement. Returns true to stop early.
    func evaluateAndKeepBest(events: (TrainEvent) -> Void) throws -> Bool {
        guard let eval = parts.eval else { return false }
        let result = try evaluate(eval)
        let main = result.table.mainValue
        let isBest = progress.bestMetric.map { main > $0 } ?? true
        if isBest {
            progress.bestMetric = main
            progress.bestStep = progress.step
            progress.evalsWithoutImprovement = 0
        } else {
            progress.evalsWithoutImprovement += 1
        }
        events(.evaluation(.init(step: progress.step, metrics: result.table, isBest: isBest, samplesPerSecond: result.samplesPerSecond)))
        if isBest {
            try saveCheckpoint(runDir + "/best.h5", reason: "best \(task.mainIndicator) \(main)", events: events,
                               metrics: result.table, evaluatedWeights: true)
        }
        return global.earlyStoppingPatience.map { progress.evalsWithoutImprovement >= $0 } ?? false
    }

    /// Evaluates the current model (EMA weights when on) on every batch of `source`'s epoch 0.
    public func evaluate(_ source: any BatchSource<Task.Batch>) throws -> Task.Evaluation {
        parts.model.eval()
        defer { parts.model.train() }
        try source.start(epoch: 0, skipping: 0)
        let run = { try noGrad { try self.task.evaluate(next: source.next) } }
        return try ema.map { try $0.withAveragedWeights(in: parts.model, run) } ?? run()
    }
}

/// Loss smoothing and the speed window between two progress lines.
struct StepLog {
    let startStep: Int
    let runStart = Date()
    var windowStart = Date(), windowSamples = 0, windowWait: Double
    var smoothed: Double?, last = 0.0
    /// Seconds spent evaluating (left out of training speed and the time budget).
    var evalSeconds = 0.0

    init(startStep: Int, wait: Double) {
        self.startStep = startStep
        windowWait = wait
    }

    var trainingSeconds: Double { Date().timeIntervalSince(runStart) - evalSeconds }

    mutating func add(loss: Double, samples: Int) {
        last = loss
        smoothed = smoothed.map { 0.95 * $0 + 0.05 * loss } ?? loss
        windowSamples += samples
    }

    mutating func report(step: Int, planned: Int, epoch: Int, lr: Double, wait: Double) -> TrainEvent.Step {
        let now = Date()
        let seconds = max(now.timeIntervalSince(windowStart), 1e-9)
        let perStep = trainingSeconds / Double(max(step - startStep, 1))
        defer {
            windowStart = now
            windowSamples = 0
            windowWait = wait
        }
        return TrainEvent.Step(step: step, totalSteps: planned, epoch: epoch, loss: last, smoothedLoss: smoothed ?? last,
                               learningRate: lr, samplesPerSecond: Double(windowSamples) / seconds,
                               dataWaitShare: (wait - windowWait) / seconds, etaSeconds: perStep * Double(planned - step))
    }
}
