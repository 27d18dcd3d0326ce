import NN
import OCRCore
import OCRData
import OCRRun
import Torch

/// CTC recognition on the engine: lines in, B x T x C logits out, PaddleOCR's CTCLoss; scored
/// by greedy decoding and OCRCore's line metrics; the charset goes into checkpoints, must match
/// to resume, and a changed charset keeps the shared characters' output rows when fine-tuning.
public final class RecognitionTask: TrainingTask {
    /// B x 3 x H x W -> logits B x T x C.
    public let forward: (Tensor) throws -> Tensor
    public let charset: Charset
    public let metricOptions: RecognitionMetrics.Options
    /// `acc` (line accuracy) or `norm_edit_dis`.
    public let mainIndicator: String
    public var kind: TaskKind { .rec }

    public init(forward: @escaping (Tensor) throws -> Tensor, charset: Charset, metricOptions: RecognitionMetrics.Options = .paddleOCR,
                mainIndicator: String = "acc") {
        self.forward = forward
        self.charset = charset
        self.metricOptions = metricOptions
        self.mainIndicator = mainIndicator
    }

    public func loss(on batch: LineBatch) throws -> Tensor {
        let x = try Tensor(batch.pixels, shape: batch.shape)
        let logits = try forward(x)                                         // B x T x C
        let logProbs = try logits.permute([1, 0, 2]).logSoftmax(dim: 2)     // -> T x B x C
        let t = logProbs.size(0)
        let longest = max(batch.labels.map(\.count).max() ?? 1, 1)
        var padded = [Int64](repeating: 0, count: batch.batch * longest)
        for (i, l) in batch.labels.enumerated() { for (j, c) in l.enumerated() { padded[i * longest + j] = Int64(c) } }
        let targets = try Tensor(padded, shape: [batch.batch, longest], on: logProbs.device)   // CTC wants them beside the log-probs
        // PaddleOCR's CTCLoss: per-sample negative log-likelihood, averaged over the batch.
        return try F.ctcLoss(logProbs: logProbs, targets: targets, inputLengths: [Int](repeating: t, count: batch.batch),
                             targetLengths: batch.labels.map(\.count), reduction: .none, zeroInfinity: true).mean()
    }

    public func sampleCount(of batch: LineBatch) -> Int { batch.batch }

    public func evaluate(next: () throws -> LineBatch?) throws -> RecognitionEvaluation {
        let result = try RecognitionEvaluator(charset: charset, options: metricOptions).evaluate(next: next, forward: forward)
        return RecognitionEvaluation(result: result, table: result.metrics.overall.table(main: mainIndicator))
    }

    public var checkpointEntries: TaskEntries {
        var e = TaskEntries(kind: .rec)
        e.charset = charset.dictionaryText
        e.useSpaceChar = charset.useSpaceChar
        return e
    }

    /// Whether `saved` holds this task's charset. Compared by code points: String's `==` is
    /// canonical equivalence, which would take U+F92C and U+90CE for one class.
    private func hasCharset(of saved: TaskEntries) -> Bool {
        saved.charset.unicodeScalars.elementsEqual(charset.dictionaryText.unicodeScalars) && saved.useSpaceChar == charset.useSpaceChar
    }

    public func checkResume(from saved: TaskEntries, path: String) throws {
        guard hasCharset(of: saved) else {
            throw TrainError("refusing to resume from \(path): its charset (\(saved.charset.split(separator: "\n").count) characters, "
                             + "use_space_char \(saved.useSpaceChar)) differs from the config's \(charset). "
                             + "To train on a new charset, start a new run with Global.pretrained_model: \(path)")
        }
    }

    /// With a changed charset, the head keeps the rows of characters both charsets share.
    public func adaptPretrained(_ state: inout [String: Tensor], saved: TaskEntries, model: Module, path: String) throws -> [String] {
        guard saved.kind == .rec, !hasCharset(of: saved) else { return [] }
        // A checkpoint records the classes it was trained with, repeats included.
        let old = try Charset(dictionaryText: saved.charset, source: path, useSpaceChar: saved.useSpaceChar, keepingDuplicates: true)
        let map = CharsetRemap.classMap(from: old, to: charset)
        let own = Dictionary(uniqueKeysWithValues: model.stateDict().map { ($0.path, $0.tensor) })
        var notes: [String] = []
        for (p, t) in state where p.hasPrefix("head/") && t.rank >= 1 && t.size(0) == old.classCount {
            guard let fresh = own[p], fresh.size(0) == charset.classCount else { continue }
            state[p] = try CharsetRemap.remapRows(old: t, fresh: fresh, map: map)
            notes.append("charset changed: \(p): kept \(map.compactMap { $0 }.count) of \(map.count) class rows, "
                         + "\(map.filter { $0 == nil }.count) new characters start fresh")
        }
        return notes
    }
}

/// A recogniser's evaluation: the full result (groups, worst lines) and its table.
public struct RecognitionEvaluation: TaskEvaluation {
    public var result: RecognitionEvaluator.Result
    public var table: MetricsTable
    public var samplesPerSecond: Double { result.samplesPerSecond }
}
