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

    /// Intra-op threads LibTorch uses.
    public static var threads: Int {
        get { Int(ct_get_num_threads()) }
        set { ct_set_num_threads(Int32(newValue)) }
    }
}
