import Foundation

/// The learning rate as a pure function of the step, so a resumed run continues exactly where it
/// stopped. PaddleOCR's `Optimizer.lr` section: `name: Cosine | Piecewise | Const`, with warmup.
public enum LearningRateSchedule: Sendable, Equatable {
    /// `base` throughout (after warmup).
    case constant(base: Double, warmupSteps: Int)
    /// Linear warmup from 0 to `base` over `warmupSteps`, then cosine decay to `minimum` at `totalSteps`.
    case cosine(base: Double, warmupSteps: Int, totalSteps: Int, minimum: Double)
    /// `values[i]` while step < `boundaries[i]`, the last value after the last boundary (values has one more).
    case piecewise(boundaries: [Int], values: [Double], warmupSteps: Int)

    public func rate(at step: Int) -> Double {
        switch self {
        case .constant(let base, let w):
            return LearningRateSchedule.warm(base, step, w)
        case .cosine(let base, let w, let total, let minimum):
            if step < w { return LearningRateSchedule.warm(base, step, w) }
            let span = max(total - w, 1)
            let progress = min(Double(step - w) / Double(span), 1)
            return minimum + (base - minimum) * 0.5 * (1 + cos(Double.pi * progress))
        case .piecewise(let boundaries, let values, let w):
            let i = boundaries.firstIndex { step < $0 } ?? boundaries.count
            let v = values[min(i, values.count - 1)]
            return step < w ? LearningRateSchedule.warm(values[0], step, w) : v
        }
    }

    /// Linear warmup: step 0 gets base / warmup, reaching base at the end (PaddleOCR's LinearWarmup from 0).
    private static func warm(_ base: Double, _ step: Int, _ warmup: Int) -> Double {
        warmup > 0 && step < warmup ? base * Double(step + 1) / Double(warmup) : base
    }

    /// The same schedule laid over `steps` steps instead of its own total (a time budget that
    /// allows fewer steps): cosine ends at `steps`, piecewise boundaries scale with it.
    public func stretched(from total: Int, to steps: Int) -> LearningRateSchedule {
        guard total > 0, steps != total else { return self }
        switch self {
        case .constant:
            return self
        case .cosine(let base, let w, _, let minimum):
            return .cosine(base: base, warmupSteps: w, totalSteps: max(steps, w + 1), minimum: minimum)
        case .piecewise(let boundaries, let values, let w):
            let scale = Double(steps) / Double(total)
            return .piecewise(boundaries: boundaries.map { Int((Double($0) * scale).rounded()) }, values: values, warmupSteps: w)
        }
    }
}
