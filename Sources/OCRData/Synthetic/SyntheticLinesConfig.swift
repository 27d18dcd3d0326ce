import Foundation
import OCRCore

/// The config of a `SyntheticLines` dataset (a `Train.dataset` / `Eval.dataset` section):
///
///     dataset:
///       name: SyntheticLines
///       fonts: [fonts/handwriting/, /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf]
///       corpus: corpus.txt
///       count: 100000            # samples per epoch (lines mode: default one per corpus line)
///       text_mode: words         # or lines
///       text_length: [5, 30]     # words mode: characters per text
///       render:                  # RenderOptions; every key optional
///         font_size: [28, 40]
///         rotate_degrees: 2
///         handwriting_prob: 1
public struct SyntheticLinesConfig: Codable, Sendable, Equatable {
    public enum TextMode: String, Codable, Sendable {
        case lines, words
    }

    /// Must be "SyntheticLines".
    public var name = SyntheticLineDataset.configName
    /// Font files or directories of them (scanned recursively); family names are rejected.
    public var fonts: [String]
    /// UTF-8 text file, one text per line.
    public var corpus: String
    /// Samples per epoch; nil in lines mode means one per drawable corpus line.
    public var count: Int? = nil
    /// `lines`: each corpus line is a text; `words`: random runs of corpus words.
    public var textMode: TextMode = .lines
    /// Words mode: text length range in characters.
    public var textLength = RenderOptions.Interval(5, 30)
    /// Lines mode: longer lines are split at spaces into pieces of at most this many characters.
    public var maxLength: Int? = nil
    /// How lines are rendered.
    public var render = RenderOptions()

    public init(fonts: [String], corpus: String) {
        self.fonts = fonts
        self.corpus = corpus
    }

    enum CodingKeys: String, CodingKey {
        case name, fonts, corpus, count, textMode = "text_mode", textLength = "text_length", maxLength = "max_length"
        case render
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        guard name == SyntheticLineDataset.configName else {
            throw DecodingError.dataCorruptedError(forKey: .name, in: c, debugDescription:
                "dataset name '\(name)' is not \(SyntheticLineDataset.configName)")
        }
        fonts = try c.decode([String].self, forKey: .fonts)
        corpus = try c.decode(String.self, forKey: .corpus)
        count = try c.decodeIfPresent(Int.self, forKey: .count)
        textMode = try c.decodeIfPresent(TextMode.self, forKey: .textMode) ?? .lines
        textLength = try c.decodeIfPresent(RenderOptions.Interval.self, forKey: .textLength) ?? RenderOptions.Interval(5, 30)
        maxLength = try c.decodeIfPresent(Int.self, forKey: .maxLength)
        render = try c.decodeIfPresent(RenderOptions.self, forKey: .render) ?? RenderOptions()
    }

    /// The corpus mode this config asks for.
    public var corpusMode: CorpusSampler.Mode {
        switch textMode {
        case .lines: .lines(maxLength: maxLength)
        case .words: .words(minLength: Int(textLength.lower), maxLength: Int(textLength.upper))
        }
    }

    /// Loads the fonts and corpus; relative paths are taken from `baseDirectory` (the config
    /// file's directory, say) when given. Texts outside `charset` are left out and reported.
    public func makeDataset(charset: Charset?, baseDirectory: String? = nil) throws -> SyntheticLineDataset {
        func resolve(_ p: String) -> String {
            guard let baseDirectory, !p.hasPrefix("/"), FileManager.default.fileExists(atPath: baseDirectory + "/" + p)
            else { return p }
            return baseDirectory + "/" + p
        }
        let sampler = try CorpusSampler(contentsOf: resolve(corpus), mode: corpusMode, charset: charset)
        return try SyntheticLineDataset(fontPaths: fonts.map(resolve), corpus: sampler, options: render, count: count)
    }
}
