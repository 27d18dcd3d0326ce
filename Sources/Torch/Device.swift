import CTorch

/// Where a tensor's data lives: host memory or one CUDA GPU. Tensors are created on the CPU
/// (`Tensor(values, shape:)`, `zeros`, ...) and moved with `to(_:)`; reading values back
/// (`toArray`, `item`) works on any device - the shim copies through the CPU.
public enum Device: Equatable, Hashable, Sendable, CustomStringConvertible {
    case cpu
    /// The GPU with this index (`cuda:0` is the first).
    case cuda(Int)

    /// "cpu", "cuda" (= "cuda:0") or "cuda:N"; anything else throws a message naming `setting`
    /// (the config key or option the string came from) and the accepted forms.
    public init(parsing text: String, setting: String = "device") throws {
        let s = text.lowercased()
        if s == "cpu" { self = .cpu; return }
        if s == "cuda" { self = .cuda(0); return }
        if s.hasPrefix("cuda:"), let i = Int(s.dropFirst(5)), i >= 0 { self = .cuda(i); return }
        throw TorchError("\(setting): '\(text)' is not a device; use cpu, cuda or cuda:N (N the GPU index, 0 first)")
    }

    /// "cpu" or "cuda:N", the form `init(parsing:)` reads and LibTorch prints.
    public var description: String {
        switch self {
        case .cpu: "cpu"
        case .cuda(let i): "cuda:\(i)"
        }
    }

    var c: (type: ct_device_type, index: Int32) {
        switch self {
        case .cpu: (CT_DEVICE_CPU, -1)
        case .cuda(let i): (CT_DEVICE_CUDA, Int32(i))
        }
    }

    /// Whether this LibTorch build has CUDA and sees a GPU (false on Debian's CPU-only build).
    public static var cudaIsAvailable: Bool { ct_cuda_is_available() }
    /// GPUs this LibTorch sees (0 without CUDA).
    public static var cudaDeviceCount: Int { Int(ct_cuda_device_count()) }

    /// Throws unless tensors can be placed here, before a run spends time on anything else:
    /// without CUDA it says how to get a CUDA build; with too few GPUs, how many there are.
    /// `setting` names where the device was asked for (e.g. "Global.device").
    public func checkAvailable(setting: String = "device") throws {
        guard case .cuda(let i) = self else { return }
        guard Device.cudaIsAvailable else {
            throw TorchError("\(setting): \(self) requested but this LibTorch has no CUDA (torch::cuda::is_available() is false); "
                             + "build with LIBTORCH=<an official CUDA LibTorch> on a machine with an NVIDIA GPU")
        }
        let n = Device.cudaDeviceCount
        guard i < n else {
            throw TorchError("\(setting): \(self) requested but this machine has \(n) CUDA device\(n == 1 ? "" : "s") "
                             + "(cuda:0\(n > 1 ? "...cuda:\(n - 1)" : ""))")
        }
    }
}

extension Tensor {
    /// The device holding this tensor's data.
    public var device: Device {
        var type = CT_DEVICE_CPU
        var index: Int32 = -1
        var err = ct_error(message: nil)
        if ct_tensor_device(handle, &type, &index, &err) != 0 {
            ct_error_free(&err)              // only a NULL handle or an exotic device: report the CPU
            return .cpu
        }
        return type == CT_DEVICE_CUDA ? .cuda(Int(index)) : .cpu
    }

    /// A copy on `device` (this tensor when already there). Autograd records the move, so a loss
    /// computed on the GPU back-propagates into a CPU leaf.
    public func to(_ device: Device) throws -> Tensor {
        let (type, index) = device.c
        return try Tensor.call { out, err in ct_to_device(&out, handle, type, index, &err) }
    }

    /// Moves this tensor's data to `device` in place, outside autograd, gradient included: the
    /// Swift object and LibTorch's tensor identity stay, so modules and optimizers holding it keep
    /// working (PyTorch's `param.data = param.data.to(device)`).
    public func move(to device: Device) throws {
        let (type, index) = device.c
        try Tensor.check { err in ct_move_to_device_(handle, type, index, &err) }
    }

    /// Copies `values` into a new tensor of the given shape on `device` (built on the host, then moved).
    public convenience init<T: TensorElement>(_ values: [T], shape: [Int], on device: Device) throws {
        try self.init(values, shape: shape)
        if device != .cpu { try move(to: device) }
    }
}
