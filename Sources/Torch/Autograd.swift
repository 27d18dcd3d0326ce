import CTorch

extension Tensor {
    public var requiresGrad: Bool { ct_tensor_requires_grad(handle) }

    /// Marks this tensor as a leaf that accumulates gradients. Returns self for chaining.
    @discardableResult
    public func requiresGrad(_ on: Bool) throws -> Tensor {
        try Tensor.check { err in ct_set_requires_grad(handle, on, &err) }
        return self
    }

    /// Back-propagates from this (scalar) tensor, or with an explicit upstream `gradient`.
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false) throws {
        try Tensor.check { err in ct_backward(handle, gradient?.handle ?? ct_tensor(ptr: nil), retainGraph, &err) }
    }

    /// The accumulated gradient, nil before the first backward (or after `zeroGrad`).
    public var grad: Tensor? {
        get throws { try Tensor.callOptional { out, err in ct_grad(&out, handle, &err) } }
    }

    /// Drops the accumulated gradient (set-to-none semantics).
    public func zeroGrad() throws { try Tensor.check { err in ct_zero_grad(handle, &err) } }

    public func detach() throws -> Tensor { try Tensor.call { out, err in ct_detach(&out, handle, &err) } }
}

/// Runs `body` with gradient recording off on this thread (LibTorch's grad mode is per thread).
public func noGrad<R>(_ body: () throws -> R) rethrows -> R {
    let previous = ct_grad_enabled()
    ct_set_grad_enabled(false)
    defer { ct_set_grad_enabled(previous) }
    return try body()
}

/// Whether operations on this thread record gradients.
public var isGradEnabled: Bool { ct_grad_enabled() }

/// Scales the gradients of `parameters` in place so their global `normType`-norm is at most
/// `maxNorm`. Returns the norm before clipping. Host sync.
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Double, normType: Double = 2) throws -> Double {
    var total = 0.0
    let hs = parameters.map(\.handle)
    try withExtendedLifetime(parameters) {
        try Tensor.check { err in ct_clip_grad_norm(hs, Int64(hs.count), maxNorm, normType, &total, &err) }
    }
    return total
}
