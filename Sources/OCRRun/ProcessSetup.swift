import Foundation
import Torch

/// What every OCRKit executable does before anything else.
public enum ProcessSetup {
    /// Thread-pool settings that must be in the environment before LibTorch and OpenBLAS load
    /// (see `Torch.ensureThreadingEnvironment`); may re-execute the program once.
    public static func prepare() { Torch.ensureThreadingEnvironment() }
}

extension ProcessSetup {
    /// The thread settings this process runs with, as YAML comments for the run's config.yml.
    public static func threadSettingsComment(torchThreads: Int) -> String {
        let vars = Torch.threadingVariables.map { "\($0)=\(getenv($0).map { String(cString: $0) } ?? "(unset)")" }
        return "\n# runtime: LibTorch intra-op threads \(torchThreads); " + vars.joined(separator: " ") + "\n"
    }
}
