import Foundation
import HDF5
import NN
import OCREval
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
/// /preprocess (string)                     input shape, resize policy, normalisation: must match to resume
/// /metrics  (string)                       JSON of the evaluation this checkpoint was kept for
/// /task/<name> (string)                    the task's own entries; attr kind on /task (rec, cls, det).
///                                          rec: /task/charset (one character per line; attr use_space_char)
/// attributes on /: ocrkit.kind = "checkpoint", ocrkit.format = 2, progress (JSON)
/// ```
/// Format 1 (before tasks) kept the charset at /charset; it reads as a rec checkpoint.
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
    /// What the task adds (a cls or det checkpoint has no charset).
    public var task = TaskEntries(kind: .rec)
    public var preprocess = ""
    public var metrics = "{}"

    public init() {}

    public static let kind = "checkpoint"
    public static let format = 2

    /// A recogniser's dictionary text ("" for other tasks).
    public var charset: String {
        get { task.charset }
        set { task.charset = newValue }
    }

    /// A recogniser's use_space_char.
    public var useSpaceChar: Bool {
        get { task.useSpaceChar }
        set { task.useSpaceChar = newValue }
    }

    public func write(to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try H5File.writeAtomically(to: path) { file in
            try file.attributes.set("ocrkit.kind", Checkpoint.kind)
            try file.attributes.set("ocrkit.format", Checkpoint.format)
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
            let t = try file.createGroup("task")
            try t.attributes.set("kind", task.kind.rawValue)
            for (name, value) in task.strings.sorted(by: { $0.key < $1.key }) where name != "use_space_char" {
                let d = try t.write(string: value, to: name)
                if name == "charset" { try d.attributes.set("use_space_char", useSpaceChar ? 1 : 0) }
            }
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
        if try file.contains("task") {
            let kind = try file.group("task").attributes.string("kind")
            guard let k = TaskKind(rawValue: kind) else {
                throw TrainError("\(path): unknown task kind '\(kind)' (known: \(TaskKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            c.task = TaskEntries(kind: k)
            for name in try file.group("task").members() {
                c.task.strings[name] = try file.readString("task/" + name)
            }
            if c.task.strings["charset"] != nil {
                c.useSpaceChar = (try? file.dataset("task/charset").attributes.int("use_space_char")) == 1
            }
        } else {                                    // format 1: a recogniser, charset at the root
            c.charset = try file.readString("charset")
            c.useSpaceChar = (try? file.dataset("charset").attributes.int("use_space_char")) == 1
        }
        c.preprocess = try file.readString("preprocess")
        c.metrics = (try? file.readString("metrics")) ?? "{}"
        return c
    }
}

/// The task a run trains: PaddleOCR's `Architecture.model_type`.
public enum TaskKind: String, Sendable, Codable, CaseIterable {
    case rec, cls, det
}

/// A task's own checkpoint entries: its kind and named strings (a recogniser's charset).
public struct TaskEntries: Sendable, Equatable {
    public var kind: TaskKind
    public var strings: [String: String] = [:]
    public init(kind: TaskKind, strings: [String: String] = [:]) {
        self.kind = kind
        self.strings = strings
    }

    /// A recogniser's dictionary text ("" for other tasks).
    public var charset: String {
        get { strings["charset"] ?? "" }
        set { strings["charset"] = newValue }
    }

    /// A classifier's labels in class order ([] for other tasks).
    public var labels: [String] {
        get { strings["labels"].map { $0.split(separator: "\n").map(String.init) } ?? [] }
        set { strings["labels"] = newValue.joined(separator: "\n") }
    }

    /// A recogniser's use_space_char (stored as the charset dataset's attribute).
    public var useSpaceChar: Bool {
        get { strings["use_space_char"] == "true" }
        set { strings["use_space_char"] = newValue ? "true" : "false" }
    }
}

extension Checkpoint {
    /// Throws, naming `path`, unless this is a `kind` checkpoint; `owner` says whose it should
    /// be ("a recogniser's").
    public func requireTask(_ kind: TaskKind, owner: String, path: String) throws {
        guard task.kind == kind else {
            throw TrainError("\(path) is a \(task.kind.rawValue) checkpoint, not \(owner): use it with "
                             + "a config whose Architecture.model_type is \(task.kind.rawValue)")
        }
    }

    /// Loads the weights (the EMA ones with `useEMA`, when saved) into `model`, strictly; a
    /// checkpoint that does not fit names `path` and the config's `architecture`.
    public func load(into model: Module, useEMA: Bool, path: String, architecture: String) throws {
        do {
            try model.load(useEMA ? (ema ?? self.model) : self.model, strict: true)
        } catch {
            throw TrainError("\(path) does not fit the config's Architecture (\(architecture)): \(error)")
        }
    }
}
