import ArgumentParser
import Foundation
import OCRData

/// `ocr data lines`: writes full text lines from `LineTextGenerator` as a corpus file (one line a
/// text), the one source of the realistic benchmark's texts - `SyntheticLines` renders the train
/// file (`text_mode: lines`), scripts/render-lines-pil.py the eval file.
struct LinesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lines",
        abstract: "Write full text lines (words, prices, dates, codes, brackets, 5-50 characters) as a corpus file.")

    @Option(help: "Word list, e.g. runs/corpus/train.txt (tokens that are not words are left out).") var words: String
    @Option(help: "Lines to write.") var count: Int
    @Option(help: "Seed: the same seed and words write the same lines.") var seed: UInt64 = 0
    @Option(help: "Line lengths in characters, MIN,MAX.") var lengths = "5,50"
    @Option(help: "Share of lines at least --long-from characters long.") var longShare = 0.38
    @Option(help: "Where long lines start, in characters (about 10:1 at 48 px high).") var longFrom = 30
    @Option(help: "Share of lines in capitals throughout.") var capsShare = 0.15
    @Option(help: "Output file (written whole, or not at all).") var out: String

    func validate() throws {
        guard count > 0 else { throw ValidationError("--count must be positive") }
        guard lengths.split(separator: ",").compactMap({ Int($0) }).count == 2 else {
            throw ValidationError("--lengths is MIN,MAX, e.g. 5,50")
        }
    }

    func run() throws {
        let range = lengths.split(separator: ",").compactMap { Int($0) }
        guard range[0] <= range[1] else { throw ValidationError("--lengths: MIN must not exceed MAX, got \(lengths)") }
        let generator = try LineTextGenerator(wordsFile: words, lengths: range[0]...range[1], longShare: longShare,
                                              longFrom: longFrom, capsShare: capsShare)
        let lines = generator.lines(count: count, seed: seed)
        try (lines.joined(separator: "\n") + "\n").write(toFile: out, atomically: true, encoding: .utf8)
        let long = lines.filter { $0.count >= longFrom }.count
        print("wrote \(count) lines to \(out) from \(generator.words.count) words of \(words) "
            + "(seed \(seed); \(long) lines of \(longFrom)+ characters)")
    }
}
