import Foundation
import HDF5
import NN
import Torch

/// Where a run stands: everything besides tensors that resume needs.
public struct TrainingProgress: Sendable, Equatable, Codable {
    public var step = 0
    public var epoch = 0
    /// Batches of `epoch` already consumed (the loader resumes after them).
    public var batchInEpoch = 0
    public var bestMetric: Double?
    public var bestStep = 0
    /// Evaluations since the best one (early stopping).
    public var evalsWithoutImprovement = 0
    public var seed: UInt64 = 0

    public init() {}
}

/// One HDF5 file holding a whole training run's state, readable by any HDF5 tool:
///
/// ```
/// /model/<parameter path>                  parameters and buffers (`backbone/conv1/conv/weight`)
/// /ema/<parameter path>                    averaged weights (when EMA is on); attrs decay, updates
/// /optimizer/<group>/<parameter path>/<key> LibTorch optimizer state (exp_avg, step, ...); attr kind
/// /rng/torch                               LibTorch's CPU generator state (uint8)
/// /config   (string)                       the resolved YAML config
/// /charset  (string)                       the dictionary text, one character per line; attr use_space_char
/// /preprocess (string)                     input shape, resize policy, normalisation: must match to resume
/// /metrics  (string)                       JSON of the latest evaluation
/// attributes on /: ocrkit.kind = "checkpoint", ocrkit.format = 1, progress (JSON)
/// ```
/// Written to a temporary file and renamed, so a crash never leaves a torn checkpoint.
public struct Checkpoint {
    public var model: [String: Tensor] = [:]
    public var ema: [String: Tensor]?
    public var emaDecay = 0.0, emaUpdates = 0
    public var optimizerKind: String?
    /// group -> parameter path -> key -> tensor
    public var optimizer: [Int: [String: [String: Tensor]]] = [:]
    public var rng: Tensor?
    public var progress = TrainingProgress()
    public var config = ""
    public var charset = ""
    public var useSpaceChar = false
    public var preprocess = ""
    public var metrics = "{}"

    public init() {}

    public static let kind = "checkpoint"

    public func write(to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try H5File.writeAtomically(to: path) { file in
            try file.attributes.set("ocrkit.kind", Checkpoint.kind)
            try file.attributes.set("ocrkit.format", 1)
            try file.attributes.set("progress", String(decoding: try JSONEncoder().encode(progress), as: UTF8.self))
            try TensorStore.write(model.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, to: file.createGroup("model"))
            if let ema {
                let g = try file.createGroup("ema")
                try TensorStore.write(ema.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, to: g)
                try g.attributes.set("decay", emaDecay)
                try g.attributes.set("updates", emaUpdates)
            }
            if let optimizerKind {
                let g = try file.createGroup("optimizer")
                try g.attributes.set("kind", optimizerKind)
                for (group, params) in optimizer {
                    for (param, state) in params {
                        try TensorStore.write(state.map { ("\(group)/\(param)/\($0.key)", $0.value) }, to: g)
                    }
                }
            }
            if let rng { try TensorStore.write([("torch", rng)], to: file.createGroup("rng")) }
            try file.write(string: config, to: "config")
            let cs = try file.write(string: charset, to: "charset")
            try cs.attributes.set("use_space_char", useSpaceChar ? 1 : 0)
            try file.write(string: preprocess, to: "preprocess")
            try file.write(string: metrics, to: "metrics")
        }
    }

    public static func read(from path: String) throws -> Checkpoint {
        guard FileManager.default.fileExists(atPath: path) else {
            throw TrainError("checkpoint \(path) does not exist")
        }
        let file = try H5File.open(path)
        guard (try? file.attributes.string("ocrkit.kind")) == kind else {
            throw TrainError("\(path) is not an OCRKit checkpoint (no ocrkit.kind = checkpoint attribute)")
        }
        var c = Checkpoint()
        if let p = try? file.attributes.string("progress") {
            c.progress = try JSONDecoder().decode(TrainingProgress.self, from: Data(p.utf8))
        }
        c.model = try TensorStore.readAll(from: file.group("model"))
        if try file.contains("ema") {
            let g = try file.group("ema")
            c.ema = try TensorStore.readAll(from: g)
            c.emaDecay = try g.attributes.double("decay")
            c.emaUpdates = try g.attributes.int("updates")
        }
        if try file.contains("optimizer") {
            let g = try file.group("optimizer")
            c.optimizerKind = try g.attributes.string("kind")
            for (path, tensor) in try TensorStore.readAll(from: g) {
                // "<group>/<parameter path>/<key>"
                var parts = path.split(separator: "/").map(String.init)
                guard parts.count >= 3, let group = Int(parts[0]) else { continue }
                let key = parts.removeLast()
                let param = parts.dropFirst().joined(separator: "/")
                c.optimizer[group, default: [:]][param, default: [:]][key] = tensor
            }
        }
        if try file.contains("rng/torch") { c.rng = try TensorStore.read("rng/torch", from: file.root()) }
        c.config = try file.readString("config")
        c.charset = try file.readString("charset")
        c.useSpaceChar = (try? file.dataset("charset").attributes.int("use_space_char")) == 1
        c.preprocess = try file.readString("preprocess")
        c.metrics = (try? file.readString("metrics")) ?? "{}"
        return c
    }
}

/// A training error with a message meant for the user (names the file, key or step).
public struct TrainError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
