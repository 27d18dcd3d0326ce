import HDF5
import Torch

/// Tensors in HDF5: one dataset per tensor, named by its path, dtype kept where HDF5 has it
/// (bfloat16/float16 are widened to float32, bool stored as uint8). Any HDF5 tool reads the result.
public enum TensorStore {
    public static func write(_ tensors: [(path: String, tensor: Tensor)], to group: H5Group,
                             deflate: Int? = nil) throws {
        for (path, t) in tensors {
            let shape = t.shape
            switch t.dtype {
            case .float64: try group.write(try t.toArray(Double.self), shape: shape, to: path, deflate: deflate)
            case .int64: try group.write(try t.toArray(Int64.self), shape: shape, to: path, deflate: deflate)
            case .int32, .int8: try group.write(try t.toArray(Int32.self), shape: shape, to: path, deflate: deflate)
            case .uint8, .bool: try group.write(try t.toArray(UInt8.self), shape: shape, to: path, deflate: deflate)
            case .float32, .bfloat16, .float16:
                try group.write(try t.toArray(Float.self), shape: shape, to: path, deflate: deflate)
            }
        }
    }

    /// Reads one dataset as a tensor of the matching dtype.
    public static func read(_ path: String, from group: H5Group) throws -> Tensor {
        let ds = try group.dataset(path)
        switch ds.dtype {
        case .float32: return try Tensor(try ds.read(Float.self), shape: ds.shape)
        case .float64: return try Tensor(try ds.read(Double.self), shape: ds.shape)
        case .int64: return try Tensor(try ds.read(Int64.self), shape: ds.shape)
        case .int32: return try Tensor(try ds.read(Int32.self), shape: ds.shape)
        case .uint8: return try Tensor(try ds.read(UInt8.self), shape: ds.shape)
        case .string, .unsupported:
            throw TorchError("read tensor '\(path)': dataset holds \(ds.dtype), not numbers")
        }
    }

    /// Every dataset below `group`, keyed by its path relative to the group.
    public static func readAll(from group: H5Group) throws -> [String: Tensor] {
        var result: [String: Tensor] = [:]
        for path in try group.datasetPaths() { result[path] = try read(path, from: group) }
        return result
    }
}

extension Module {
    /// The group of a checkpoint file that holds the module's parameters and buffers.
    public static let stateGroup = "model"

    /// Writes parameters and buffers under their paths in `group`.
    public func writeState(to group: H5Group) throws {
        try TensorStore.write(stateDict(), to: group)
    }

    /// Loads parameters and buffers from `group` (see `load(_:strict:)`).
    @discardableResult
    public func readState(from group: H5Group, strict: Bool = true) throws -> LoadReport {
        try load(TensorStore.readAll(from: group), strict: strict)
    }

    /// Saves the state to `path` (under `model/`): written to a temporary file and renamed, so a
    /// crash never leaves a torn file and an existing file is replaced only by a complete one.
    public func save(to path: String) throws {
        try H5File.writeAtomically(to: path) { file in try writeState(to: file.createGroup(Module.stateGroup)) }
    }

    /// Loads the state saved by `save(to:)`.
    @discardableResult
    public func load(from path: String, strict: Bool = true) throws -> LoadReport {
        let file = try H5File.open(path)
        guard try file.contains(Module.stateGroup) else {
            throw TorchError("load \(path): no '\(Module.stateGroup)' group - not an OCRKit checkpoint")
        }
        return try readState(from: file.group(Module.stateGroup), strict: strict)
    }
}
