import NN
import OCRRun
import Torch

/// The optimizer and its parameter groups: parameters under a `Global.freeze` prefix are frozen,
/// the rest grouped by their `Global.lr_mult` multiplier (the longest matching prefix wins).
struct OptimizerGroups {
    let optimizer: Optimizer
    /// Parameter paths per group, in the optimizer's order (checkpoint keys for optimizer state).
    let paths: [[String]]
    let multipliers: [Double]
    /// Parameters the optimizer updates, taken once (walking the module tree is reflection).
    let trainable: [Tensor]
    let frozen: Int

    init(model: Module, global g: GlobalConfig, optimizer o: OptimizerConfig) throws {
        func matches(_ path: String, _ prefix: String) -> Bool { path == prefix || path.hasPrefix(prefix + "/") }
        let named = model.namedParameters()
        var frozen = 0
        var byMultiplier: [(Double, [(String, Tensor)])] = []
        for (path, tensor) in named {
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
        for prefix in g.freeze + Array(g.lrMult.keys) where !named.contains(where: { matches($0.path, prefix) }) {
            throw TrainError("Global.freeze / Global.lr_mult: no parameter under '\(prefix)'; top-level modules are "
                             + Set(named.compactMap { $0.path.split(separator: "/").first.map(String.init) }).sorted().joined(separator: ", "))
        }
        paths = byMultiplier.map { $0.1.map(\.0) }
        trainable = byMultiplier.flatMap { $0.1.map(\.1) }
        multipliers = byMultiplier.map(\.0)
        self.frozen = frozen

        let kind = o.kind
        var options = OptimizerOptions(lr: o.lr.learningRate,
                                       weightDecay: o.weightDecay ?? o.regularizer?.factor ?? (kind == .adamW ? 0.01 : 0))
        options.beta1 = o.beta1
        options.beta2 = o.beta2
        options.eps = o.epsilon
        options.momentum = kind == .sgd ? o.momentum : 0
        options.nesterov = o.nesterov
        optimizer = try Optimizer(kind, parameters: byMultiplier[0].1.map(\.1), options: options)
        for group in byMultiplier.dropFirst() { try optimizer.addGroup(group.1.map(\.1), options: options) }
    }
}

extension OptimizerConfig {
    /// PaddleOCR's names: Adam, AdamW, SGD / Momentum.
    var kind: Optimizer.Kind {
        switch name.lowercased() {
        case "adam": .adam
        case "adamw": .adamW
        default: .sgd
        }
    }
}
