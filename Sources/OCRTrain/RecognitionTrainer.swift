import Foundation
import NN
import OCRCore
import OCRData
import Torch

/// The CTC recognition training loop. One step reads top to bottom: learning rate from a pure
/// function of the step, forward, CTC loss, zero grad, backward, clip, optimizer step, EMA, log.
/// Evaluates every `eval_batch_step`, keeps `latest.h5` and `best.h5`, stops early when asked, and
/// writes a checkpoint on Ctrl-C / SIGTERM before returning.
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
        public var train: BatchSource
        public var eval: BatchSource?
        public var metricOptions: RecognitionMetrics.Options = .paddleOCR
        /// "acc" (line accuracy) or "norm_edit_dis".
        public var mainIndicator = "acc"

        public init(model: Module, forward: @escaping (Tensor) throws -> Tensor, charset: Charset, global: GlobalConfig,
                    optimizer: OptimizerConfig, resolvedConfig: String, preprocess: String, train: BatchSource, eval: BatchSource?) {
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

    public let setup: Setup
    public private(set) var progress = TrainingProgress()
    public let totalSteps: Int
    let optimizer: Optimizer
    /// Parameter paths per optimizer group (groups differ in learning-rate multiplier).
    let groupPaths: [[String]]
    let multipliers: [Double]
    let schedule: LearningRateSchedule
    var ema: WeightEMA?
    /// Parameters the optimizer updates, taken once (walking the module tree is reflection).
    let trainable: [Tensor]

    public init(_ setup: Setup, events: (TrainEvent) -> Void) throws {
        self.setup = setup
        let g = setup.global
        Torch.seed(g.seed)
        Torch.threads = g.threads
        progress.seed = g.seed
        let perEpoch = max(setup.train.batchesPerEpoch, 1)
        totalSteps = g.epochNum.map { $0 * perEpoch } ?? g.maxSteps

        // Freezing and learning-rate multipliers by module path prefix.
        func matches(_ path: String, _ prefix: String) -> Bool { path == prefix || path.hasPrefix(prefix + "/") }
        var frozen = 0
        var byMultiplier: [(Double, [(String, Tensor)])] = []
        for (path, tensor) in setup.model.namedParameters() {
            if g.freeze.contains(where: { matches(path, $0) }) {
                try tensor.requiresGrad(false)
                frozen += 1
                continue
            }
            let mult = g.lrMult.filter { matches(path, $0.key) }.max { $0.key.count < $1.key.count }?.value ?? 1
            if let i = byMultiplier.firstIndex(where: { $0.0 == mult }) { byMultiplier[i].1.append((path, tensor)) }
            else { byMultiplier.append((mult, [(path, tensor)])) }
        }
        guard !byMultiplier.isEmpty else { throw TrainError("every parameter is frozen (Global.freeze = \(g.freeze)): nothing to train") }
        for prefix in g.freeze + Array(g.lrMult.keys)
        where !setup.model.namedParameters().contains(where: { matches($0.path, prefix) }) {
            throw TrainError("Global.freeze / Global.lr_mult: no parameter under '\(prefix)'; top-level modules are "
                             + Set(setup.model.namedParameters().compactMap { $0.path.split(separator: "/").first.map(String.init) }).sorted().joined(separator: ", "))
        }
        groupPaths = byMultiplier.map { $0.1.map(\.0) }
        trainable = byMultiplier.flatMap { $0.1.map(\.1) }
        multipliers = byMultiplier.map(\.0)

        let o = setup.optimizer
        let kind: Optimizer.Kind = switch o.name.lowercased() {
        case "adam": .adam
        case "adamw": .adamW
        default: .sgd
        }
        var options = OptimizerOptions(lr: o.lr.learningRate,
                                       weightDecay: o.weightDecay ?? o.regularizer?.factor ?? (kind == .adamW ? 0.01 : 0))
        options.beta1 = o.beta1
        options.beta2 = o.beta2
        options.eps = o.epsilon
        options.momentum = kind == .sgd ? o.momentum : 0
        options.nesterov = o.nesterov
        optimizer = try Optimizer(kind, parameters: byMultiplier[0].1.map(\.1), options: options)
        for group in byMultiplier.dropFirst() { try optimizer.addGroup(group.1.map(\.1), options: options) }
        schedule = try o.lr.schedule(totalSteps: totalSteps)
        if let decay = g.emaDecay { ema = try WeightEMA(setup.model, decay: decay) }

        events(.message("model: \(setup.model.parameterCount) parameters (\(frozen) tensors frozen); optimizer \(kind.rawValue), "
                        + "\(groupPaths.count) group(s), lr multipliers \(multipliers)"))
        if !g.ignored.isEmpty { events(.message("ignored PaddleOCR keys (no meaning here): Global." + g.ignored.joined(separator: ", Global."))) }
        if let p = g.pretrainedModel { try loadPretrained(p, events: events) }
        if let c = g.checkpoints { try resume(from: c, events: events) }
    }

    // MARK: - the loop

    public func run(stop: StopFlag = StopFlag(), events: (TrainEvent) -> Void) throws -> TrainingProgress {
        let g = setup.global
        let runDir = g.saveModelDir
        try FileManager.default.createDirectory(atPath: runDir, withIntermediateDirectories: true)
        try setup.resolvedConfig.write(toFile: runDir + "/config.yml", atomically: true, encoding: .utf8)
        setup.model.train()
        try setup.train.start(epoch: progress.epoch, skipping: progress.batchInEpoch)
        var smoothed: Double?
        var windowStart = Date(), windowSamples = 0, windowWait = setup.train.waitSeconds
        let runStart = Date(), startStep = progress.step
        // A time budget (Global.train_minutes) ends the run early: `planned` is the step it allows
        // at the speed so far, and the schedule is laid over it so the rate anneals by then.
        let budget = g.trainMinutes.map { $0 * 60 }
        var planned = totalSteps, evalSeconds = 0.0

        while progress.step < planned {
            if let why = stop.requested {
                try saveCheckpoint(runDir + "/latest.h5", reason: why, events: events)
                events(.finished(reason: why, step: progress.step))
                return progress
            }
            guard let batch = try setup.train.next() else {        // end of epoch
                progress.epoch += 1
                progress.batchInEpoch = 0
                try setup.train.start(epoch: progress.epoch, skipping: 0)
                continue
            }
            let lr = (planned == totalSteps ? schedule : schedule.stretched(from: totalSteps, to: planned)).rate(at: progress.step)
            try optimizer.setLearningRate(lr, multipliers: multipliers)
            let loss = try step(batch)
            progress.step += 1
            progress.batchInEpoch += 1
            windowSamples += batch.batch
            guard loss.isFinite else {
                try saveCheckpoint(runDir + "/latest.h5", reason: "loss became \(loss)", events: events)
                throw TrainError("loss became \(loss) at step \(progress.step) (lr \(lr)); the last good state is in \(runDir)/latest.h5 - lower Optimizer.lr.learning_rate or set Optimizer.clip_norm")
            }
            smoothed = smoothed.map { 0.95 * $0 + 0.05 * loss } ?? loss
            if let budget {
                let trained = Date().timeIntervalSince(runStart) - evalSeconds
                let perStep = trained / Double(progress.step - startStep)
                planned = min(totalSteps, progress.step + max(0, Int((budget - trained) / perStep)))
            }

            if progress.step % max(g.printBatchStep, 1) == 0 || progress.step == planned {
                let now = Date()
                let seconds = max(now.timeIntervalSince(windowStart), 1e-9)
                let wait = setup.train.waitSeconds - windowWait
                let perStep = (now.timeIntervalSince(runStart) - evalSeconds) / Double(max(progress.step - startStep, 1))
                events(.step(.init(step: progress.step, totalSteps: planned, epoch: progress.epoch, loss: loss,
                                   smoothedLoss: smoothed!, learningRate: lr, samplesPerSecond: Double(windowSamples) / seconds,
                                   dataWaitShare: wait / seconds, etaSeconds: perStep * Double(planned - progress.step))))
                windowStart = now
                windowSamples = 0
                windowWait = setup.train.waitSeconds
            }
            let (start, interval) = (g.evalBatchStep[0], g.evalBatchStep[1])
            if setup.eval != nil, progress.step >= start, progress.step % interval == 0 || progress.step == planned {
                let evalStart = Date()
                let stopEarly = try evaluateAndKeepBest(events: events)
                try saveCheckpoint(runDir + "/latest.h5", reason: "step \(progress.step)", events: events)
                evalSeconds += Date().timeIntervalSince(evalStart)
                if stopEarly {
                    events(.finished(reason: "early stopping: no better \(setup.mainIndicator) in \(g.earlyStoppingPatience!) evaluations", step: progress.step))
                    return progress
                }
            }
        }
        try saveCheckpoint(runDir + "/latest.h5", reason: "finished", events: events)
        events(.finished(reason: planned < totalSteps ? "time budget of \(g.trainMinutes!) minutes spent"
                                                      : "reached \(totalSteps) steps", step: progress.step))
        return progress
    }

    /// One optimizer step on one batch; returns the loss (host sync, for logging and NaN checks).
    func step(_ batch: LineBatch) throws -> Double {
        let x = try Tensor(batch.pixels, shape: batch.shape)
        let logits = try setup.forward(x)                                   // B x T x C
        let logProbs = try logits.permute([1, 0, 2]).logSoftmax(dim: 2)     // -> T x B x C
        let t = logProbs.size(0)
        let longest = max(batch.labels.map(\.count).max() ?? 1, 1)
        var padded = [Int64](repeating: 0, count: batch.batch * longest)
        for (i, l) in batch.labels.enumerated() { for (j, c) in l.enumerated() { padded[i * longest + j] = Int64(c) } }
        let targets = try Tensor(padded, shape: [batch.batch, longest])
        // PaddleOCR's CTCLoss: per-sample negative log-likelihood, averaged over the batch.
        let loss = try F.ctcLoss(logProbs: logProbs, targets: targets, inputLengths: [Int](repeating: t, count: batch.batch),
                                 targetLengths: batch.labels.map(\.count), reduction: .none, zeroInfinity: true).mean()
        try optimizer.zeroGrad()
        try loss.backward()
        if let clip = setup.optimizer.clipNorm { try clipGradNorm(trainable, maxNorm: clip) }
        try optimizer.step()
        try ema?.update()
        return try loss.item()
    }

    // MARK: - evaluation

    /// Evaluates (with EMA weights when on); saves best.h5 on improvement. Returns true to stop early.
    func evaluateAndKeepBest(events: (TrainEvent) -> Void) throws -> Bool {
        guard let eval = setup.eval else { return false }
        let result = try evaluate(eval)
        let s = result.metrics.overall
        let main = setup.mainIndicator == "norm_edit_dis" ? s.normalizedEditDistance : s.lineAccuracy
        let isBest = progress.bestMetric.map { main > $0 } ?? true
        if isBest {
            progress.bestMetric = main
            progress.bestStep = progress.step
            progress.evalsWithoutImprovement = 0
        } else {
            progress.evalsWithoutImprovement += 1
        }
        events(.evaluation(.init(step: progress.step, summary: s, mainMetric: main, isBest: isBest,
                                 samplesPerSecond: result.samplesPerSecond)))
        if isBest {
            try saveCheckpoint(setup.global.saveModelDir + "/best.h5", reason: "best \(setup.mainIndicator) \(main)",
                               events: events, metrics: s, evaluatedWeights: true)
        }
        return setup.global.earlyStoppingPatience.map { progress.evalsWithoutImprovement >= $0 } ?? false
    }

    /// Evaluates the current model (EMA weights when on) on every batch of `source`'s epoch 0.
    public func evaluate(_ source: BatchSource) throws -> RecognitionEvaluator.Result {
        setup.model.eval()
        defer { setup.model.train() }
        try source.start(epoch: 0, skipping: 0)
        let evaluator = RecognitionEvaluator(charset: setup.charset, options: setup.metricOptions)
        let run = { try evaluator.evaluate(next: source.next, forward: self.setup.forward) }
        return try ema.map { try $0.withAveragedWeights(in: setup.model, run) } ?? run()
    }

    // MARK: - checkpoints

    /// `evaluatedWeights`: store the weights evaluation used (the EMA ones when EMA is on) as the
    /// model, as the best checkpoint must.
    func saveCheckpoint(_ path: String, reason: String, events: (TrainEvent) -> Void,
                        metrics: RecognitionMetrics.Summary? = nil, evaluatedWeights: Bool = false) throws {
        var c = Checkpoint()
        c.model = Dictionary(uniqueKeysWithValues: setup.model.stateDict().map { ($0.path, $0.tensor) })
        if let ema {
            if evaluatedWeights { c.model = ema.state }
            c.ema = ema.state
            c.emaDecay = ema.decay
            c.emaUpdates = ema.updates
        }
        c.optimizerKind = optimizer.kind.rawValue
        for (g, paths) in groupPaths.enumerated() {
            for (i, path) in paths.enumerated() {
                for key in optimizer.kind.stateKeys {
                    if let s = try optimizer.state(group: g, index: i, key: key) { c.optimizer[g, default: [:]][path, default: [:]][key] = s }
                }
            }
        }
        c.rng = try Torch.rngState()
        c.progress = progress
        c.config = setup.resolvedConfig
        c.charset = setup.charset.dictionaryText
        c.useSpaceChar = setup.charset.useSpaceChar
        c.preprocess = setup.preprocess
        if let metrics, let json = try? JSONEncoder().encode(metrics) { c.metrics = String(decoding: json, as: UTF8.self) }
        try c.write(to: path)
        events(.checkpoint(path: path, reason: reason))
    }

    /// Restores model, optimizer, schedule position, EMA, RNG and data position.
    func resume(from path: String, events: (TrainEvent) -> Void) throws {
        let c = try Checkpoint.read(from: path)
        guard c.charset == setup.charset.dictionaryText, c.useSpaceChar == setup.charset.useSpaceChar else {
            throw TrainError("refusing to resume from \(path): its charset (\(c.charset.split(separator: "\n").count) characters, "
                             + "use_space_char \(c.useSpaceChar)) differs from the config's \(setup.charset). "
                             + "To train on a new charset, start a new run with Global.pretrained_model: \(path)")
        }
        guard c.preprocess == setup.preprocess else {
            throw TrainError("refusing to resume from \(path): it was trained with preprocessing '\(c.preprocess)', "
                             + "the config gives '\(setup.preprocess)'")
        }
        try setup.model.load(c.model, strict: true)
        guard c.optimizerKind == optimizer.kind.rawValue else {
            throw TrainError("refusing to resume from \(path): optimizer \(c.optimizerKind ?? "none") there, \(optimizer.kind.rawValue) in the config")
        }
        for (g, paths) in groupPaths.enumerated() {
            for (i, p) in paths.enumerated() {
                for (key, value) in c.optimizer[g]?[p] ?? [:] { try optimizer.setState(group: g, index: i, key: key, value) }
            }
        }
        if let state = c.ema, let ema {
            try ema.load(state, updates: c.emaUpdates)
        }
        if let rng = c.rng { try Torch.setRNGState(rng) }
        progress = c.progress
        events(.message("resumed from \(path) at step \(progress.step) (epoch \(progress.epoch), batch \(progress.batchInEpoch))"))
    }

    /// Initialises weights by path and shape; with a changed charset, the head keeps the rows of
    /// characters both charsets share.
    func loadPretrained(_ path: String, events: (TrainEvent) -> Void) throws {
        let c = try Checkpoint.read(from: path)
        var state = c.model
        var notes: [String] = []
        if c.charset != setup.charset.dictionaryText || c.useSpaceChar != setup.charset.useSpaceChar {
            let old = try Charset(dictionaryText: c.charset, source: path, useSpaceChar: c.useSpaceChar)
            let map = CharsetRemap.classMap(from: old, to: setup.charset)
            let own = Dictionary(uniqueKeysWithValues: setup.model.stateDict().map { ($0.path, $0.tensor) })
            for (p, t) in state where p.hasPrefix("head/") && t.rank >= 1 && t.size(0) == old.classCount {
                guard let fresh = own[p], fresh.size(0) == setup.charset.classCount else { continue }
                state[p] = try CharsetRemap.remapRows(old: t, fresh: fresh, map: map)
                notes.append("\(p): kept \(map.compactMap { $0 }.count) of \(map.count) class rows, \(map.filter { $0 == nil }.count) new characters start fresh")
            }
        }
        let report = try setup.model.load(state, strict: false)
        events(.message("pretrained \(path): \(report)" + (notes.isEmpty ? "" : "\ncharset changed: " + notes.joined(separator: "; "))))
    }
}
