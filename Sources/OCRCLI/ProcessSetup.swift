import Torch

/// What every OCRKit executable does before anything else.
public enum ProcessSetup {
    /// Thread-pool settings that must be in the environment before LibTorch and OpenBLAS load
    /// (see `Torch.ensureThreadingEnvironment`); may re-execute the program once.
    public static func prepare() { Torch.ensureThreadingEnvironment() }
}
