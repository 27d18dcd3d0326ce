import CTorch

/// Hyper-parameters of one parameter group. Fields a kind does not use are ignored.
public struct OptimizerOptions: Sendable {
    public var lr: Double
    public var weightDecay: Double
    /// SGD
    public var momentum: Double = 0, dampening: Double = 0, nesterov = false
    /// Adam / AdamW
    public var beta1 = 0.9, beta2 = 0.999, eps = 1e-8, amsgrad = false

    public init(lr: Double, weightDecay: Double = 0) {
        self.lr = lr
        self.weightDecay = weightDecay
    }

    var c: ct_optim_options {
        ct_optim_options(lr: lr, weight_decay: weightDecay, momentum: momentum, dampening: dampening, nesterov: nesterov,
                         beta1: beta1, beta2: beta2, eps: eps, amsgrad: amsgrad)
    }
}

/// One of LibTorch's own optimizers (SGD, Adam, AdamW) over groups of parameters, each group with
/// its own options (per-module learning-rate multipliers). Its per-parameter state is readable
/// and writable as tensors, so checkpoints can carry it.
public final class Optimizer {
    public enum Kind: String, Sendable, CaseIterable {
        case sgd = "SGD", adam = "Adam", adamW = "AdamW"
        var c: ct_optim_kind {
            switch self {
            case .sgd: CT_OPTIM_SGD
            case .adam: CT_OPTIM_ADAM
            case .adamW: CT_OPTIM_ADAMW
            }
        }
        /// The state keys LibTorch keeps per parameter.
        public var stateKeys: [String] {
            switch self {
            case .sgd: ["momentum_buffer"]
            case .adam, .adamW: ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"]
            }
        }
    }

    public let kind: Kind
    public private(set) var groups: [[Tensor]] = []
    let handle: ct_optimizer

    public init(_ kind: Kind, parameters: [Tensor], options: OptimizerOptions) throws {
        self.kind = kind
        var h = ct_optimizer(ptr: nil)
        let hs = parameters.map(\.handle)
        try Tensor.check { err in ct_optimizer_new(&h, kind.c, hs, Int64(hs.count), options.c, &err) }
        handle = h
        groups = [parameters]
    }

    deinit { ct_optimizer_free(handle) }

    public func addGroup(_ parameters: [Tensor], options: OptimizerOptions) throws {
        let hs = parameters.map(\.handle)
        try Tensor.check { err in ct_optimizer_add_group(handle, hs, Int64(hs.count), options.c, &err) }
        groups.append(parameters)
    }

    public func step() throws { try Tensor.check { err in ct_optimizer_step(handle, &err) } }

    /// Drops every parameter's gradient (set-to-none).
    public func zeroGrad() throws { try Tensor.check { err in ct_optimizer_zero_grad(handle, &err) } }

    public func learningRate(group: Int = 0) throws -> Double {
        var lr = 0.0
        try Tensor.check { err in ct_optimizer_get_lr(handle, Int64(group), &lr, &err) }
        return lr
    }

    public func setLearningRate(_ lr: Double, group: Int) throws {
        try Tensor.check { err in ct_optimizer_set_lr(handle, Int64(group), lr, &err) }
    }

    /// Sets every group's rate to `lr` times that group's multiplier (1 where none is given).
    public func setLearningRate(_ lr: Double, multipliers: [Double] = []) throws {
        for g in groups.indices {
            try setLearningRate(lr * (g < multipliers.count ? multipliers[g] : 1), group: g)
        }
    }

    /// A copy of one parameter's state entry, nil before the optimizer has made a step.
    public func state(group: Int, index: Int, key: String) throws -> Tensor? {
        try Tensor.callOptional { out, err in ct_optimizer_state_get(&out, handle, Int64(group), Int64(index), key, &err) }
    }

    public func setState(group: Int, index: Int, key: String, _ value: Tensor) throws {
        try Tensor.check { err in ct_optimizer_state_set(handle, Int64(group), Int64(index), key, value.handle, &err) }
    }
}
