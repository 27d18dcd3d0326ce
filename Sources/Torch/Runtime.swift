import CTorch

/// Process-wide LibTorch settings: seeds, generator state, threads.
public enum Torch {
    /// Seeds LibTorch's global CPU generator (randn, dropout, initialisers).
    public static func seed(_ value: UInt64) { ct_manual_seed(value) }

    /// The global generator's state, for checkpoints.
    public static func rngState() throws -> Tensor { try Tensor.call { out, err in ct_rng_state_get(&out, &err) } }
    public static func setRNGState(_ state: Tensor) throws {
        try Tensor.check { err in ct_rng_state_set(state.handle, &err) }
    }

    /// Runs `body` with bfloat16 CPU autocast on this thread: convolutions, matmuls and LSTMs
    /// compute in bfloat16 (AVX-512 BF16), losses and reductions stay float32. Backward passes of
    /// tensors produced inside also run in the autocast dtypes.
    public static func withBF16Autocast<R>(_ enabled: Bool = true, _ body: () throws -> R) rethrows -> R {
        guard enabled else { return try body() }
        let previous = ct_autocast_bf16_enabled()
        ct_set_autocast_bf16(true)
        defer {
            ct_set_autocast_bf16(previous)
            if !previous { ct_autocast_clear_cache() }
        }
        return try body()
    }

    /// Intra-op threads LibTorch uses.
    public static var threads: Int {
        get { Int(ct_get_num_threads()) }
        set { ct_set_num_threads(Int32(newValue)) }
    }
}
