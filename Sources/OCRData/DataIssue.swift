import OCRCore

/// One problem with one record of a dataset: a label line that cannot be used, an image that is
/// missing or does not decode, a packed record whose label does not fit the charset.
///
/// Every issue names where it is: `train.txt:12` (label file and 1-based line) or
/// `lines.h5#40` (packed file and 0-based record), plus the image path where there is one.
public struct DataIssue: Error, Hashable, Sendable, CustomStringConvertible {
    /// The label file or packed file, as given.
    public var file: String
    /// 1-based line of a label file, or 0-based record of a packed file.
    public var line: Int
    /// Whether `line` is a label-file line (`file:line`) or a packed record (`file#record`).
    public var isPackedRecord: Bool
    /// A stable short name for counting: the label reader's categories ("missing-tab",
    /// "outside-charset", "text-too-long", ...) plus the ones in `DataIssue.Category`.
    public var category: String
    public var message: String
    /// The image path as written in the label file (resolved against `data_dir` when read).
    public var imagePath: String?

    public init(file: String, line: Int, isPackedRecord: Bool = false, category: String, message: String,
                imagePath: String? = nil) {
        self.file = file
        self.line = line
        self.isPackedRecord = isPackedRecord
        self.category = category
        self.message = message
        self.imagePath = imagePath
    }

    /// An issue from OCRCore's label reader.
    public init(_ issue: LabelIssue, imagePath: String? = nil) {
        self.init(file: issue.file, line: issue.line, category: issue.category, message: issue.message,
                  imagePath: imagePath)
    }

    /// `train.txt:12` or `lines.h5#40`.
    public var location: String { isPackedRecord ? "\(file)#\(line)" : "\(file):\(line)" }

    /// `train.txt:12: cannot decode image 'imgs/a.png': ...`, the form editors link to.
    public var description: String { "\(location): \(message)" }

    /// Categories added by OCRData (the label reader's own are `LabelIssue.category`).
    public enum Category {
        /// The image file does not exist.
        public static let missingImage = "missing-image"
        /// The image file exists but could not be read (permissions, a directory, I/O error).
        public static let unreadableImage = "unreadable-image"
        /// The bytes are not an image OpenCV can decode (or the stored blob is empty).
        public static let undecodableImage = "undecodable-image"
    }
}

/// Thrown when a record cannot be used and the issue policy is `fail` (or when no usable
/// substitute exists under `skip`). The message starts with the record's `file:line`.
public struct DataError: Error, Sendable, CustomStringConvertible {
    /// The record's problem, when the error is about one record.
    public var issue: DataIssue?
    public var message: String

    public init(issue: DataIssue, hint: String? = nil) {
        self.issue = issue
        self.message = issue.description + (hint.map { "\n(\($0))" } ?? "")
    }

    public init(_ message: String) {
        self.issue = nil
        self.message = message
    }

    public var description: String { message }
}

/// Thrown by a dataset's `sample(at:seed:)` under policy `exclude` for a sample that cannot be
/// loaded (its issue is already in the dataset's report). `LineLoader` leaves the sample out of
/// its batch; any other caller sees an error naming the record.
public struct SampleExcluded: Error, Sendable, CustomStringConvertible {
    public var issue: DataIssue
    public var description: String { issue.description + "\n(policy 'exclude': the sample is left out)" }
}
