import OCRCore
import Torch

extension KeyedDecodingContainer {
    /// The value at `key`, or `fallback` when the key is absent (every config field has a default).
    func value<T: Decodable>(_ key: Key, or fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }
}

/// `Global`: the run as a whole. Keys as in PaddleOCR where PaddleOCR has them.
public struct GlobalConfig: Decodable, Sendable {
    /// Training stops after this many optimizer steps (2000 when neither it nor `epoch_num` is given).
    public var maxSteps: Int? = nil
    /// PaddleOCR's epoch count: training stops after this many passes (or at `max_steps` if sooner).
    public var epochNum: Int?
    /// OCRKit: a training-time budget in minutes (evaluation not counted). Training stops when it is
    /// spent (or at `max_steps`, whichever comes first), and the learning-rate schedule is stretched
    /// over the steps the budget allows at the speed measured so far. Time-dependent, so two runs
    /// differ in their last steps; leave it unset where runs must repeat exactly.
    public var trainMinutes: Double?
    /// Log a progress line every N steps.
    public var printBatchStep = 10
    /// [start, interval]: evaluate every `interval` steps once `start` is reached (PaddleOCR's form).
    public var evalBatchStep = [0, 500]
    /// The run directory: resolved config, metrics.jsonl, latest.h5, best.h5.
    public var saveModelDir = "runs/rec"
    /// Resume everything (model, optimizer, schedule, EMA, RNG, data position) from this checkpoint.
    public var checkpoints: String?
    /// Initialise weights from this checkpoint by path and shape (fine-tuning); reports what was loaded.
    public var pretrainedModel: String?
    /// The charset dictionary file, one character per line.
    public var characterDictPath: String?
    /// Append a space class to the charset.
    public var useSpaceChar = false
    /// Texts longer than this (in classes) are reported and skipped (or fail, see `dataIssuePolicy`).
    public var maxTextLength = 25
    /// Seeds LibTorch, data order, augmentation and synthetic rendering.
    public var seed: UInt64 = 42
    /// The evaluation loader's seed: training's loader takes `seed`, evaluation's the next one, so
    /// in-training evaluation, `ocr-eval`, `--pipeline` and the export gates see the same pages.
    public var evalSeed: UInt64 { seed &+ 1 }
    /// LibTorch intra-op threads.
    public var threads = 2
    /// Keep an exponential moving average of the weights with this decay (nil: off); evaluation and
    /// the best checkpoint use the average.
    public var emaDecay: Double?
    /// Stop after this many evaluations without a better main metric (nil: never).
    public var earlyStoppingPatience: Int?
    /// Module path prefixes whose parameters are frozen, e.g. ["backbone"].
    public var freeze: [String] = []
    /// Learning-rate multipliers per module path prefix, e.g. {backbone: 0.1}.
    public var lrMult: [String: Double] = [:]
    /// What to do with a bad label line, unreadable image or out-of-charset text in training data:
    /// skip (report and go on) or fail (stop at the first, naming file and line). The default of
    /// every data section's `label_issue_policy`. Evaluation never substitutes: it counts, lists
    /// and leaves out what it could not read.
    public var dataIssuePolicy = LabelIssuePolicy.skip
    /// A classifier's class labels (PaddleOCR's cls configs give them here and in
    /// PostProcess.label_list; when both are given they must agree). Recognition configs must not set it.
    public var labelList: [String]?
    /// Run convolutions under bfloat16 autocast (CPU with AVX-512 BF16).
    public var bf16 = false
    /// Data-parallel training (`--nproc`, torchrun): BatchNorm layers normalise with the statistics
    /// of the whole global batch, all-reduced over the ranks each step (PyTorch's SyncBatchNorm;
    /// training then matches one process with the global batch), instead of each rank's own share
    /// (false: cheaper, one all-reduce fewer per BatchNorm layer and step). No effect in a
    /// single-process run.
    public var syncBn = false
    /// Where the model trains: cpu, cuda (data parallel: each rank its LOCAL_RANK's GPU) or cuda:N.
    /// CUDA needs a build against a CUDA LibTorch (docs/DESIGN.md, "GPU"); checkpoints stay CPU data.
    public var device = "cpu"

    /// PaddleOCR keys that have no meaning here; accepted so PaddleOCR configs load, and listed in a warning.
    public static let ignoredPaddleKeys = ["use_gpu", "distributed", "log_smooth_window", "save_epoch_step",
                                           "save_inference_dir", "use_visualdl", "infer_img", "infer_mode",
                                           "save_res_path", "use_amp", "amp_level", "d2s_train_image_shape",
                                           "cal_metric_during_train"]
    public private(set) var ignored: [String] = []

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxSteps = "max_steps", epochNum = "epoch_num", trainMinutes = "train_minutes", printBatchStep = "print_batch_step"
        case evalBatchStep = "eval_batch_step", saveModelDir = "save_model_dir", checkpoints
        case pretrainedModel = "pretrained_model", characterDictPath = "character_dict_path"
        case useSpaceChar = "use_space_char", maxTextLength = "max_text_length", seed, threads
        case emaDecay = "ema_decay", earlyStoppingPatience = "early_stopping_patience", freeze
        case lrMult = "lr_mult", dataIssuePolicy = "data_issue_policy", bf16, labelList = "label_list"
        case syncBn = "sync_bn"
        case device
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        maxSteps = try c.decodeIfPresent(Int.self, forKey: .maxSteps)
        epochNum = try c.decodeIfPresent(Int.self, forKey: .epochNum)
        trainMinutes = try c.decodeIfPresent(Double.self, forKey: .trainMinutes)
        printBatchStep = try c.value(.printBatchStep, or: printBatchStep)
        evalBatchStep = try c.value(.evalBatchStep, or: evalBatchStep)
        saveModelDir = try c.value(.saveModelDir, or: saveModelDir)
        checkpoints = try c.decodeIfPresent(String.self, forKey: .checkpoints)
        pretrainedModel = try c.decodeIfPresent(String.self, forKey: .pretrainedModel)
        characterDictPath = try c.decodeIfPresent(String.self, forKey: .characterDictPath)
        useSpaceChar = try c.value(.useSpaceChar, or: useSpaceChar)
        maxTextLength = try c.value(.maxTextLength, or: maxTextLength)
        seed = try c.value(.seed, or: seed)
        threads = try c.value(.threads, or: threads)
        emaDecay = try c.decodeIfPresent(Double.self, forKey: .emaDecay)
        earlyStoppingPatience = try c.decodeIfPresent(Int.self, forKey: .earlyStoppingPatience)
        freeze = try c.value(.freeze, or: freeze)
        lrMult = try c.value(.lrMult, or: lrMult)
        dataIssuePolicy = try c.value(.dataIssuePolicy, or: dataIssuePolicy)
        bf16 = try c.value(.bf16, or: bf16)
        labelList = try c.decodeIfPresent([String].self, forKey: .labelList)
        syncBn = try c.value(.syncBn, or: syncBn)
        device = try c.value(.device, or: device)
        do { _ = try Device(parsing: device, setting: "Global.device") } catch let e as TorchError {
            throw ConfigError(.invalidValue, path: "Global.device", e.message)
        }
        let extra = try decoder.container(keyedBy: AnyKey.self)
        for key in GlobalConfig.ignoredPaddleKeys where extra.contains(AnyKey(stringValue: key)) {
            _ = try extra.decode(ConfigValue.self, forKey: AnyKey(stringValue: key))
            ignored.append(key)
        }
        guard [.skip, .fail].contains(dataIssuePolicy) else {
            throw ConfigError(.invalidValue, path: "Global.data_issue_policy", "Global.data_issue_policy must be skip or fail, not '\(dataIssuePolicy.rawValue)'")
        }
        if let m = trainMinutes, !(m > 0) {
            throw ConfigError(.invalidValue, path: "Global.train_minutes", "Global.train_minutes must be a positive number of minutes, got \(m)")
        }
        guard evalBatchStep.count == 2, evalBatchStep[1] > 0 else {
            throw ConfigError(.invalidValue, path: "Global.eval_batch_step", "Global.eval_batch_step must be [start, interval] with interval > 0")
        }
    }
}

/// `Optimizer`: PaddleOCR's names (Adam, AdamW, Momentum/SGD), `lr` schedule, L2 `regularizer`.
public struct OptimizerConfig: Decodable, Sendable {
    public struct LR: Decodable, Sendable {
        /// Cosine, Piecewise or Const.
        public var name = "Cosine"
        public var learningRate = 0.001
        /// Linear warmup steps (PaddleOCR gives warmup_epoch; here steps).
        public var warmupSteps = 0
        /// Piecewise: step boundaries and the values between them (one more value than boundaries).
        public var boundaries: [Int] = []
        public var values: [Double] = []
        /// Cosine: the final rate.
        public var minLearningRate = 0.0
        enum CodingKeys: String, CodingKey {
            case name, learningRate = "learning_rate", warmupSteps = "warmup_steps", boundaries = "decay_steps", values
            case minLearningRate = "min_learning_rate"
        }
        public init() {}
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.value(.name, or: name)
            learningRate = try c.value(.learningRate, or: learningRate)
            warmupSteps = try c.value(.warmupSteps, or: warmupSteps)
            boundaries = try c.value(.boundaries, or: boundaries)
            values = try c.value(.values, or: values)
            minLearningRate = try c.value(.minLearningRate, or: minLearningRate)
        }

        public func schedule(totalSteps: Int) throws -> LearningRateSchedule {
            switch name.lowercased() {
            case "cosine": return .cosine(base: learningRate, warmupSteps: warmupSteps, totalSteps: totalSteps, minimum: minLearningRate)
            case "const", "constant": return .constant(base: learningRate, warmupSteps: warmupSteps)
            case "piecewise":
                guard values.count == boundaries.count + 1 else {
                    throw ConfigError(.invalidValue, path: "Optimizer.lr.values", "Optimizer.lr: Piecewise needs one more value than decay_steps")
                }
                return .piecewise(boundaries: boundaries, values: values, warmupSteps: warmupSteps)
            default:
                throw ConfigError(.invalidValue, path: "Optimizer.lr.name", "Optimizer.lr.name '\(name)' is not one of Cosine, Piecewise, Const")
            }
        }
    }

    public struct Regularizer: Decodable, Sendable {
        public var name = "L2"
        public var factor = 0.0
    }

    public var name = "AdamW"
    public var beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8
    public var momentum = 0.9
    public var nesterov = false
    /// Decoupled weight decay for AdamW; for Adam/SGD the regularizer's L2 factor is used.
    public var weightDecay: Double?
    public var lr = LR()
    public var regularizer: Regularizer?
    /// Clip the global gradient norm to this (nil: no clipping).
    public var clipNorm: Double?

    enum CodingKeys: String, CodingKey {
        case name, beta1, beta2, epsilon, momentum, nesterov, weightDecay = "weight_decay", lr, regularizer
        case clipNorm = "clip_norm"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.value(.name, or: name)
        beta1 = try c.value(.beta1, or: beta1)
        beta2 = try c.value(.beta2, or: beta2)
        epsilon = try c.value(.epsilon, or: epsilon)
        momentum = try c.value(.momentum, or: momentum)
        nesterov = try c.value(.nesterov, or: nesterov)
        weightDecay = try c.decodeIfPresent(Double.self, forKey: .weightDecay)
        lr = try c.value(.lr, or: lr)
        regularizer = try c.decodeIfPresent(Regularizer.self, forKey: .regularizer)
        clipNorm = try c.decodeIfPresent(Double.self, forKey: .clipNorm)
        guard ["adam", "adamw", "sgd", "momentum"].contains(name.lowercased()) else {
            throw ConfigError(.invalidValue, path: "Optimizer.name", "Optimizer.name '\(name)' is not one of Adam, AdamW, SGD, Momentum")
        }
    }
}

extension GlobalConfig {
    /// The run's length in steps: `epoch_num` passes, `max_steps`, or whichever ends first when
    /// both are given (so neither is silently ignored); 2000 steps when neither is.
    public func totalSteps(batchesPerEpoch: Int) -> Int {
        let byEpochs = epochNum.map { $0 * max(batchesPerEpoch, 1) }
        switch (byEpochs, maxSteps) {
        case let (e?, s?): return min(e, s)
        case let (e?, nil): return e
        case let (nil, s?): return s
        case (nil, nil): return 2000
        }
    }
}
