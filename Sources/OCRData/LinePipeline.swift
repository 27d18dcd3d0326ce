import Imaging
import OCRCore

/// What the loader does to each sample: augment (training only), resize and normalise
/// (`RecResize`), and encode the text as charset classes (CTC targets).
public struct LinePipeline: Sendable {
    /// nil: no augmentation (evaluation).
    public var augment: RecAugment?
    public var resize: RecResize
    /// Encodes `LineBatch.labels`. A text with a character outside it is an error naming the
    /// sample (datasets built with the same charset have already left such lines out). nil:
    /// labels are empty.
    public var charset: Charset?

    public init(augment: RecAugment? = nil, resize: RecResize = RecResize(), charset: Charset? = nil) {
        self.augment = augment
        self.resize = resize
        self.charset = charset
    }
}

/// Where a loader is within training: the next batch to deliver. Saved in checkpoints;
/// `LineLoader.resume(at:)` continues from it with exactly the batches that would have come.
public struct LoaderPosition: Sendable, Codable, Hashable, CustomStringConvertible {
    public var epoch: Int
    /// The next batch of `epoch` (== batchesPerEpoch when the epoch is done).
    public var batch: Int

    public init(epoch: Int, batch: Int) {
        self.epoch = epoch
        self.batch = batch
    }

    public var description: String { "epoch \(epoch), batch \(batch)" }
}

/// Timing of one epoch's loading, for spotting an input-bound run.
public struct LoaderStats: Sendable, CustomStringConvertible {
    public var batches = 0
    public var samples = 0
    /// Time `next()` spent blocked waiting for a batch (the trainer's idle time).
    public var waitSeconds = 0.0
    /// Worker time summed over workers, by stage: reading + decoding (the dataset), augmenting,
    /// resizing + normalising + assembling.
    public var loadSeconds = 0.0
    public var augmentSeconds = 0.0
    public var resizeSeconds = 0.0
    /// Since the epoch started.
    public var elapsedSeconds = 0.0

    public init() {}

    /// Samples produced per second of worker time (all stages).
    public var samplesPerWorkerSecond: Double {
        let busy = loadSeconds + augmentSeconds + resizeSeconds
        return busy > 0 ? Double(samples) / busy : 0
    }

    public var description: String {
        String(format: "%d batches, %d samples in %.2f s; waited %.2f s; worker time load %.2f s, augment %.2f s, resize %.2f s",
               batches, samples, elapsedSeconds, waitSeconds, loadSeconds, augmentSeconds, resizeSeconds)
    }
}

/// A sample that could not be turned into a batch entry: which one, and why.
public struct LoaderError: Error, Sendable, CustomStringConvertible {
    public var position: LoaderPosition
    /// The sample's index in the dataset.
    public var index: Int
    /// The sample's source (`train.txt:12 (a.png)`), or the dataset's location of the failure
    /// when the sample did not load.
    public var source: String?
    public var underlying: any Error

    public var description: String {
        "\(position), sample \(index)\(source.map { " (\($0))" } ?? ""): \(underlying)"
    }
}
