import Foundation
import NN
import OCRImport
import OCRRun
import Torch

extension Trainer {
    /// Writes the whole run state. `evaluatedWeights`: store the weights evaluation used (the EMA
    /// ones when EMA is on) as the model, as the best checkpoint must.
    func saveCheckpoint(_ path: String, reason: String, events: (TrainEvent) -> Void,
                        metrics: MetricsTable? = nil, evaluatedWeights: Bool = false) throws {
        guard parts.dataParallel?.isLeader ?? true else { return }       // rank 0 writes for all
        var c = Checkpoint()
        c.model = Dictionary(uniqueKeysWithValues: parts.model.stateDict().map { ($0.path, $0.tensor) })
        if let ema {
            if evaluatedWeights { c.model = ema.state }
            c.ema = ema.state
            c.emaDecay = ema.decay
            c.emaUpdates = ema.updates
        }
        let optimizer = groups.optimizer
        c.optimizerKind = optimizer.kind.rawValue
        for (g, paths) in groups.paths.enumerated() {
            for (i, path) in paths.enumerated() {
                for key in optimizer.kind.stateKeys {
                    if let s = try optimizer.state(group: g, index: i, key: key) { c.optimizer[g, default: [:]][path, default: [:]][key] = s }
                }
            }
        }
        c.rng = try Torch.rngState()
        c.progress = progress
        c.config = parts.resolvedConfig
        c.task = task.checkpointEntries
        c.preprocess = parts.preprocess
        if let metrics, let json = try? JSONEncoder().encode(metrics.dictionary) { c.metrics = String(decoding: json, as: UTF8.self) }
        try c.write(to: path)
        events(.checkpoint(path: path, reason: reason))
    }

    /// Restores model, optimizer, schedule position, EMA, RNG and data position.
    func resume(from path: String, events: (TrainEvent) -> Void) throws {
        let c = try Checkpoint.read(from: path)
        guard c.task.kind == task.kind else {
            throw TrainError("refusing to resume from \(path): it is a \(c.task.kind.rawValue) checkpoint, this run trains \(task.kind.rawValue)")
        }
        try task.checkResume(from: c.task, path: path)
        guard c.preprocess == parts.preprocess else {
            throw TrainError("refusing to resume from \(path): it was trained with preprocessing '\(c.preprocess)', "
                             + "the config gives '\(parts.preprocess)'")
        }
        try parts.model.load(c.model, strict: true)
        let optimizer = groups.optimizer
        guard c.optimizerKind == optimizer.kind.rawValue else {
            throw TrainError("refusing to resume from \(path): optimizer \(c.optimizerKind ?? "none") there, \(optimizer.kind.rawValue) in the config")
        }
        for (g, paths) in groups.paths.enumerated() {
            for (i, p) in paths.enumerated() {
                for (key, value) in c.optimizer[g]?[p] ?? [:] { try optimizer.setState(group: g, index: i, key: key, value) }
            }
        }
        if let state = c.ema, let ema { try ema.load(state, updates: c.emaUpdates) }
        if let rng = c.rng { try Torch.setRNGState(rng) }
        progress = c.progress
        events(.message("resumed from \(path) at step \(progress.step) (epoch \(progress.epoch), batch \(progress.batchInEpoch))"))
    }

    /// Initialises weights by path and shape (fine-tuning); the task adapts what it must first.
    /// A `.onnx` file (a PaddleOCR inference model) is imported into this run's architecture first.
    func loadPretrained(_ path: String, events: (TrainEvent) -> Void) throws {
        var (state, saved): ([String: Tensor], TaskEntries)
        if path.lowercased().hasSuffix(".onnx") {
            let imported = try PaddleModelImport.pretrained(path, for: parts.model)
            events(.message(imported.report.description.split(separator: "\n").first.map(String.init) ?? ""))
            (state, saved) = (imported.state, imported.task)
        } else {
            let c = try Checkpoint.read(from: path)
            (state, saved) = (c.model, c.task)
        }
        let notes = try task.adaptPretrained(&state, saved: saved, model: parts.model, path: path)
        let report = try parts.model.load(state, strict: false)
        events(.message("pretrained \(path): \(report)" + (notes.isEmpty ? "" : "\n" + notes.joined(separator: "; "))))
    }
}
