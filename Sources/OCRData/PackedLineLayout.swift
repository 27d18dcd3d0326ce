import HDF5

/// The layout of a packed recognition dataset (`.h5`), written by `ocr data pack`
/// (`packDataset`) and by the synthetic line renderer, read by `PackedDataset`. This enum is
/// the one place that names it; write such files with `PackedLineWriter`.
///
///     /                         attributes: ocrkit.kind = "rec-lines", ocrkit.version = 1,
///                                           count = n (int), created_by (string, optional)
///     /images/bytes   uint8[]   H5BlobArray: the n encoded image files (PNG/JPEG/...,
///     /images/offsets int64[n+1]  exactly as on disk or as rendered), back to back
///     /labels         string[n] the transcription of image i (UTF-8)
///     /groups         string[n] optional: the metrics group of image i (label file, font, ...)
///     /sources        string[n] optional: where image i came from (`train.txt:12 (a.png)`,
///                               `font X.ttf #345`), for messages
///
/// Images stay encoded (a packed set is about the size of its image files) and decode on the
/// loader's workers. Reading one record is one hyperslab read of its bytes (see `H5BlobArray`).
/// In h5py: `o = f["images/offsets"]; png = f["images/bytes"][o[i]:o[i+1]].tobytes()`.
public enum PackedLineLayout {
    public static let kindAttribute = "ocrkit.kind"
    public static let kind = "rec-lines"
    public static let versionAttribute = "ocrkit.version"
    public static let version = 1
    public static let countAttribute = "count"
    public static let createdByAttribute = "created_by"
    /// H5BlobArray group of encoded images.
    public static let images = "images"
    public static let labels = "labels"
    public static let groups = "groups"
    public static let sources = "sources"

    /// Checks that `file` has this layout and returns its record count; the message says what
    /// is wrong (written by something else, a newer version, lengths that disagree).
    public static func validate(_ file: H5File) throws -> Int {
        try PackedFile.validate(file, kind: kind, version: version, what: "packed dataset '\(file.path)'", packName: "recognition", noun: "image",
                                strings: [labels, groups, sources], checkCount: true)
    }
}
