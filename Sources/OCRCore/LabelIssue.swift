import Foundation

/// A problem on one line of a label file. Parsers report every problem they find; a line with
/// any issue is left out of the records (and counted), never dropped without a trace.
public struct LabelIssue: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// No tab between image path and label.
        case missingTab
        /// More than one tab: PaddleOCR would silently use only the text up to the second tab.
        case extraTab
        /// Nothing before the tab.
        case emptyPath
        /// Nothing after the tab.
        case emptyText
        /// The label encodes to more classes than the model may emit (`max_text_length`).
        case textTooLong(length: Int, limit: Int)
        /// Characters with no class in the charset, each once.
        case charactersOutsideCharset([Character])
        /// The line's bytes are not UTF-8.
        case invalidUTF8
        /// The detection annotation is not a JSON list of regions.
        case invalidJSON(String)
        /// A region of a detection annotation is malformed (index is 0-based in the JSON list).
        case invalidRegion(index: Int, reason: String)
    }

    /// The label file.
    public var file: String
    /// 1-based line number.
    public var line: Int
    public var kind: Kind

    public init(file: String, line: Int, kind: Kind) {
        self.file = file
        self.line = line
        self.kind = kind
    }

    /// A short stable name for counting and filtering ("missing-tab", "outside-charset", ...).
    public var category: String {
        switch kind {
        case .missingTab: return "missing-tab"
        case .extraTab: return "extra-tab"
        case .emptyPath: return "empty-path"
        case .emptyText: return "empty-text"
        case .textTooLong: return "text-too-long"
        case .charactersOutsideCharset: return "outside-charset"
        case .invalidUTF8: return "invalid-utf8"
        case .invalidJSON: return "invalid-json"
        case .invalidRegion: return "invalid-region"
        }
    }

    public var message: String {
        switch kind {
        case .missingTab: return "no tab between image path and label"
        case .extraTab: return "more than one tab; the label must be the only field after the path"
        case .emptyPath: return "empty image path"
        case .emptyText: return "empty text"
        case .textTooLong(let length, let limit): return "text has \(length) characters, more than max_text_length \(limit)"
        case .charactersOutsideCharset(let chars):
            let list = chars.prefix(20).map { c -> String in
                let codes = c.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
                return "\(String(c).debugDescription) (\(codes))"
            }.joined(separator: ", ")
            return "characters not in the charset: \(list)\(chars.count > 20 ? ", ..." : "")"
        case .invalidUTF8: return "line is not valid UTF-8"
        case .invalidJSON(let reason): return "annotation is not valid JSON: \(reason)"
        case .invalidRegion(let index, let reason): return "region \(index): \(reason)"
        }
    }

    /// "file:line: message", the form editors and terminals link to.
    public var description: String { "\(file):\(line): \(message)" }
}

/// What a parser does with a line that has issues.
public enum LabelIssuePolicy: String, Sendable, Codable, CaseIterable {
    /// Leave the line out, report its issues and go on.
    case skip
    /// Stop at the first such line with a `LabelFileError` naming file:line.
    case fail
    /// For a label file, the same as `skip`. Datasets (OCRData) also leave a sample whose image
    /// cannot be loaded out of its batch instead of replacing it, and keep every issue: what
    /// evaluation uses, so each readable line is scored once and the others are listed.
    case exclude
}

/// Thrown under `LabelIssuePolicy.fail`: the issues of the first bad line.
public struct LabelFileError: Error, Hashable, CustomStringConvertible, LocalizedError {
    public var issues: [LabelIssue]
    public var description: String {
        issues.map(\.description).joined(separator: "\n") + "\n(label issue policy is 'fail'; fix the line or use 'skip' to leave bad lines out)"
    }
    public var errorDescription: String? { description }
}
