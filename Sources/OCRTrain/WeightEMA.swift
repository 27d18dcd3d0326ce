import NN
import Torch

/// An exponential moving average of a model's parameters (and a copy of its buffers), as
/// PaddleOCR's `ema` option: evaluation and export can use the smoother weights. The effective
/// decay ramps up early on (min(decay, (1 + n) / (10 + n))) so the average is not stuck at init.
public final class WeightEMA {
    public let decay: Double
    public internal(set) var updates: Int
    /// Shadow tensors under the model's parameter and buffer paths.
    public let shadow: [(path: String, tensor: Tensor)]
    /// The model's own tensors, in `shadow`'s order: taken once, since walking the module tree
    /// (reflection) every step would cost more than the update itself. Loading state copies in
    /// place, so these stay the model's tensors.
    private let sources: [Tensor]

    public init(_ model: Module, decay: Double, updates: Int = 0) throws {
        self.decay = decay
        self.updates = updates
        let state = model.stateDict()
        sources = state.map(\.tensor)
        shadow = try noGrad { try state.map { ($0.path, try $0.tensor.detach().clone()) } }
    }

    /// shadow = d * shadow + (1 - d) * current, for floating tensors; integer buffers are copied.
    /// Runs every training step.
    public func update() throws {
        updates += 1
        let d = min(decay, Double(1 + updates) / Double(10 + updates))
        for ((_, s), t) in zip(shadow, sources) {
            if t.dtype.isFloatingPoint {
                try s.update(.mul, d)
                try s.update(.add, try noGrad { try t.detach() * (1 - d) })
            } else {
                try s.copy(from: t)
            }
        }
    }

    public var state: [String: Tensor] { Dictionary(uniqueKeysWithValues: shadow.map { ($0.path, $0.tensor) }) }

    /// Runs `body` with the model holding the averaged weights, then puts the trained ones back.
    public func withAveragedWeights<R>(in model: Module, _ body: () throws -> R) throws -> R {
        let saved = try noGrad { try model.stateDict().map { ($0.path, try $0.tensor.detach().clone()) } }
        try model.load(state)
        defer { _ = try? model.load(Dictionary(uniqueKeysWithValues: saved)) }
        return try body()
    }
}

extension WeightEMA {
    /// Restores shadow weights saved in a checkpoint.
    func load(_ state: [String: Tensor], updates: Int) throws {
        for (path, s) in shadow {
            guard let t = state[path] else { throw TrainError("EMA state in checkpoint lacks \(path)") }
            try s.copy(from: t)
        }
        self.updates = updates
    }
}
