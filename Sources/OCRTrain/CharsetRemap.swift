import OCRCore
import Torch

/// Fine-tuning with a changed charset keeps what the old output layer learnt: rows of class-indexed
/// tensors (the CTC head's weight and bias) are copied by character, so a character present in
/// both charsets keeps its row (and the blank keeps row 0); only new characters start from the new
/// layer's initialisation.
public enum CharsetRemap {
    /// For each new class, the old class with the same character (nil for new characters).
    public static func classMap(from old: Charset, to new: Charset) -> [Int?] {
        var map: [Int?] = [0]                       // blank
        for c in 1..<new.classCount {
            guard let ch = new.character(forClass: c) else { map.append(nil); continue }
            map.append(old.classIndex(of: ch))
        }
        return map
    }

    /// A tensor for the new charset: rows of `old` where the map has one, rows of `fresh` otherwise.
    public static func remapRows(old: Tensor, fresh: Tensor, map: [Int?]) throws -> Tensor {
        guard fresh.size(0) == map.count else {
            throw TorchError("charset remap: tensor has \(fresh.size(0)) rows, new charset has \(map.count) classes")
        }
        let fresh = try fresh.to(old.device)        // the model may sit on a GPU; the loaded state is CPU data
        var rows: [Tensor] = []
        for (i, source) in map.enumerated() {
            rows.append(try (source.map { try old.narrow(0, start: $0, length: 1) } ?? fresh.narrow(0, start: i, length: 1)))
        }
        return try Tensor.cat(rows, dim: 0)
    }
}
