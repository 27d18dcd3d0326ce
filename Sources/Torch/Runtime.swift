import CTorch
import Foundation

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

    /// Settings read only when the libraries load, so they must be in the environment first:
    /// - `OPENBLAS_NUM_THREADS=1`: Debian's pthread OpenBLAS otherwise starts its own pool inside
    ///   LibTorch's OpenMP threads and the two fight over the cores;
    /// - `GOMP_SPINCOUNT=20000`: idle OpenMP threads spin briefly, then sleep, leaving the cores to
    ///   the data-loader threads (the default spins ~300 ms; `OMP_WAIT_POLICY=PASSIVE` costs ~10%);
    /// - `GLIBC_TUNABLES=glibc.malloc.hugetlb=1`: large activations come from huge pages instead of
    ///   thousands of 4 KiB page faults per tensor.
    /// Measured (CRNN-sized step, batch 64, 2 threads, torch-bench-ref): 1.32 s with OpenBLAS at
    /// 1 thread alone, 1.00 s with all three; 6.3 s with none while another process competes.
    /// When any is unset this re-executes the program once with it set (the caller's own values
    /// win). Call first thing in `main`.
    public static func ensureThreadingEnvironment() {
        let missing = zip(threadingVariables, threadingDefaults).filter { getenv($0.0) == nil }
        guard !missing.isEmpty, getenv("OCRKIT_NO_REEXEC") == nil else { return }
        for (k, v) in missing { setenv(k, v, 0) }
        let name = (CommandLine.arguments.first ?? "ocrkit").split(separator: "/").last.map(String.init) ?? "ocrkit"
        FileHandle.standardError.write(Data(("\(name): set " + missing.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            + " before LibTorch loads (set them yourself to choose other values)\n").utf8))
        setenv("OCRKIT_NO_REEXEC", "1", 1)                 // never loop
        let args = CommandLine.arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", args)                      // returns only on failure: carry on as we are
    }

    /// The variables `ensureThreadingEnvironment` sets when they are unset, and their values.
    public static let threadingVariables = ["OPENBLAS_NUM_THREADS", "GOMP_SPINCOUNT", "GLIBC_TUNABLES"]
    static let threadingDefaults = ["1", "20000", "glibc.malloc.hugetlb=1"]

    /// Intra-op threads LibTorch uses.
    public static var threads: Int {
        get { Int(ct_get_num_threads()) }
        set { ct_set_num_threads(Int32(newValue)) }
    }
}
