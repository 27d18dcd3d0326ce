import OCRRun
import Torch

/// `Global.device` resolved for this process: which device the engine trains on and which
/// process-group backend data-parallel ranks use. Resolved before any data is read, so a run that
/// asks for a GPU it cannot have stops at once with a message saying why.
extension GlobalConfig {
    /// `device` as written; a bare `cuda` in a worker with a `localRank` means that rank's GPU
    /// (torchrun's convention: one GPU per local rank). Throws, naming `Global.device`, unless
    /// LibTorch can place tensors there (no CUDA in this build, or too few GPUs).
    public func trainingDevice(localRank: Int?) throws -> Device {
        var d = try Device(parsing: device, setting: "Global.device")
        if device.lowercased() == "cuda", let r = localRank { d = .cuda(r) }
        try d.checkAvailable(setting: "Global.device")
        return d
    }

    /// This process's training device: LOCAL_RANK applies when it is a data-parallel worker.
    public func trainingDevice() throws -> Device {
        try trainingDevice(localRank: DataParallel.process == nil ? nil : DataParallel.localRank())
    }

    /// The backend a data-parallel worker joins with: NCCL on its GPU when training on CUDA, Gloo
    /// on CPUs. Called before the group exists, so LOCAL_RANK is read from `environment` here.
    public func processGroupBackend(environment: [String: String]) throws -> ProcessGroup.Backend {
        switch try trainingDevice(localRank: DataParallel.localRank(environment)) {
        case .cpu: .gloo
        case .cuda(let i): .nccl(device: i)
        }
    }
}
