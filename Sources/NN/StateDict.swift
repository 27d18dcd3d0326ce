import Torch

/// What `Module.load(_:strict:)` did with each entry: the report a fine-tuning run logs.
public struct LoadReport: CustomStringConvertible, Sendable {
    public var loaded: [String] = []
    /// In the module but not in the state: left as initialised.
    public var missing: [String] = []
    /// In the state but not in the module: ignored.
    public var unexpected: [String] = []
    /// Same path, different shape: left as initialised.
    public var mismatched: [(path: String, module: [Int], state: [Int])] = []

    public var isExact: Bool { missing.isEmpty && unexpected.isEmpty && mismatched.isEmpty }

    public var description: String {
        var lines = ["loaded \(loaded.count) tensors"]
        if !missing.isEmpty { lines.append("missing (kept initialised): " + missing.joined(separator: ", ")) }
        if !unexpected.isEmpty { lines.append("unexpected (ignored): " + unexpected.joined(separator: ", ")) }
        for m in mismatched { lines.append("shape mismatch \(m.path): module \(m.module), state \(m.state) (kept initialised)") }
        return lines.joined(separator: "\n")
    }
}

extension Module {
    /// Parameters then buffers, each under its full path.
    public func stateDict() -> [(path: String, tensor: Tensor)] { namedParameters() + namedBuffers() }

    /// Copies tensors into this module's parameters and buffers in place (optimizers holding them
    /// keep working). `strict` throws, naming every problem, unless paths and shapes match exactly;
    /// otherwise what matches is loaded and the rest reported.
    @discardableResult
    public func load(_ state: [String: Tensor], strict: Bool = true) throws -> LoadReport {
        var report = LoadReport()
        var pending: [(Tensor, Tensor)] = []
        let own = stateDict()
        let ownPaths = Set(own.map(\.path))
        for (path, tensor) in own {
            guard let source = state[path] else {
                report.missing.append(path)
                continue
            }
            if source.shape != tensor.shape {
                report.mismatched.append((path, tensor.shape, source.shape))
                continue
            }
            pending.append((tensor, source))
            report.loaded.append(path)
        }
        report.unexpected = state.keys.filter { !ownPaths.contains($0) }.sorted()
        if strict && !report.isExact {
            throw TorchError("load state: module and state do not match\n\(report)")
        }
        for (dst, src) in pending { try dst.copy(from: src) }
        return report
    }
}
