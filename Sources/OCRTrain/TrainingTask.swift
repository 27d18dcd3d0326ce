import NN
import OCRRun
import Torch

/// What differs between recognition, classification and detection training. The engine
/// (`Trainer`) owns the loop, optimizer groups, schedules, time budget, EMA, clipping, evaluation
/// cadence, best/latest/early stop, the SIGTERM checkpoint and exact resume; a task supplies:
/// - how a batch becomes a loss,
/// - how evaluation scores the model (named metrics plus the main one),
/// - what it adds to a checkpoint, and what must match to resume from one,
/// - how pretrained weights are adapted to this run (a recogniser's changed charset).
public protocol TrainingTask: AnyObject {
    associatedtype Batch
    associatedtype Evaluation: TaskEvaluation

    /// The checkpoint's task kind.
    var kind: TaskKind { get }
    /// The metric that picks best.h5 and drives early stopping (higher is better).
    var mainIndicator: String { get }

    /// Forward pass and loss of one batch: a scalar tensor the engine back-propagates.
    func loss(on batch: Batch) throws -> Tensor
    /// Samples in a batch (speed figures).
    func sampleCount(of batch: Batch) -> Int
    /// Scores the model - already in eval mode, with the weights to evaluate - on every batch
    /// `next` yields.
    func evaluate(next: () throws -> Batch?) throws -> Evaluation

    /// What this task stores in a checkpoint besides the tensors.
    var checkpointEntries: TaskEntries { get }
    /// Throws a message naming `path` unless a checkpoint with `saved` entries can be resumed.
    func checkResume(from saved: TaskEntries, path: String) throws
    /// Adapts a pretrained state to this run's model; returns notes for the load report.
    func adaptPretrained(_ state: inout [String: Tensor], saved: TaskEntries, model: Module, path: String) throws -> [String]
}

/// A task's evaluation: the figures the engine needs (the task may carry more, such as the worst lines).
public protocol TaskEvaluation {
    var table: MetricsTable { get }
    var samplesPerSecond: Double { get }
}

extension TrainingTask {
    public func adaptPretrained(_ state: inout [String: Tensor], saved: TaskEntries, model: Module, path: String) throws -> [String] { [] }
}
