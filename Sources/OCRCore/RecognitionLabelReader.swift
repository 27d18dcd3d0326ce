/// One line of a recognition label file.
public struct RecognitionLabel: Hashable, Sendable {
    /// Image path as written (PaddleOCR resolves it against `data_dir`).
    public var imagePath: String
    /// The transcription, unmodified.
    public var text: String
    /// Where the line came from, for messages.
    public var file: String
    public var line: Int

    public init(imagePath: String, text: String, file: String, line: Int) {
        self.imagePath = imagePath
        self.text = text
        self.file = file
        self.line = line
    }
}

/// Reads PaddleOCR `SimpleDataSet` recognition labels: `relative/path.png<TAB>text` per line.
///
/// Where PaddleOCR silently drops characters outside the dictionary, over-long labels and lines
/// without a tab, this reader reports each as a `LabelIssue` with its line number and applies
/// `policy`. Lines are split on "\n" with a trailing "\r" removed; the text is kept as is
/// (spaces included).
public struct RecognitionLabelReader: Sendable {
    /// When set, texts must encode completely, and `maxTextLength` counts encoded classes.
    public var charset: Charset?
    /// PaddleOCR `Global.max_text_length`; nil for no limit.
    public var maxTextLength: Int?
    public var policy: LabelIssuePolicy

    public init(charset: Charset? = nil, maxTextLength: Int? = nil, policy: LabelIssuePolicy = .skip) {
        self.charset = charset
        self.maxTextLength = maxTextLength
        self.policy = policy
    }

    /// Reads one label file. Throws `FileReadError` when it cannot be read, and
    /// `LabelFileError` on the first bad line under `.fail`.
    public func read(file path: String) throws -> LabelParseResult<RecognitionLabel> {
        try parse(TextLines.read(path: path), file: path)
    }

    /// Reads several label files in order (a `label_file_list`).
    public func read(files: [String]) throws -> LabelParseResult<RecognitionLabel> {
        var all = LabelParseResult<RecognitionLabel>()
        for f in files { all.append(try read(file: f)) }
        return all
    }

    /// Parses label text; `file` names it in issues.
    public func parse(contents: String, file: String = "<labels>") throws -> LabelParseResult<RecognitionLabel> {
        try parse(TextLines(string: contents), file: file)
    }

    func parse(_ lines: TextLines, file: String) throws -> LabelParseResult<RecognitionLabel> {
        try LabelLineLoop.run(lines, file: file, policy: policy) { path, text, lineNumber in
            var kinds = [LabelIssue.Kind]()
            if text.unicodeScalars.contains("\t") { kinds.append(.extraTab) }
            if text.isEmpty { kinds.append(.emptyText) }
            let length: Int
            if let charset {
                let encoded = charset.encode(text)
                // A tab is already reported as extraTab; don't report it twice.
                let unknown = encoded.unknown.filter { $0 != "\t" }
                if !unknown.isEmpty { kinds.append(.charactersOutsideCharset(unknown)) }
                length = encoded.classes.count
            } else {
                length = text.count
            }
            if let maxTextLength, length > maxTextLength { kinds.append(.textTooLong(length: length, limit: maxTextLength)) }
            guard kinds.isEmpty else { return .failure(.init(kinds: kinds)) }
            return .success(RecognitionLabel(imagePath: path, text: text, file: file, line: lineNumber))
        }
    }
}
