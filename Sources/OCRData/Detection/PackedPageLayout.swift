import HDF5

/// The layout of a packed detection dataset (`.h5`): pages and their regions, written by
/// `PackedPageWriter` (`DetectionLabelDataset.pack`), read by `PackedPageDataset`. It mirrors
/// `PackedLineLayout`, with the region list in place of the text:
///
///     /                          attributes: ocrkit.kind = "det-pages", ocrkit.version = 1,
///                                            count = n (int), created_by (string)
///     /images/bytes    uint8[]   H5BlobArray: the n encoded page files, back to back
///     /images/offsets  int64[n+1]
///     /annotations     string[n] page i's regions as PaddleOCR label JSON
///                                `[{"transcription": "...", "points": [[x, y], ...]}, ...]`
///     /sources         string[n] optional: where page i came from (`train.txt:12 (a.jpg)`)
///
/// In h5py: `json.loads(f["annotations"][i])`, and the page as for a recognition pack.
public enum PackedPageLayout {
    public static let kind = "det-pages"
    public static let version = 1
    public static let images = "images"
    public static let annotations = "annotations"
    public static let sources = "sources"

    /// Checks that `file` has this layout and returns its record count.
    public static func validate(_ file: H5File) throws -> Int {
        try PackedFile.validate(file, kind: kind, version: version, what: "packed detection dataset '\(file.path)'",
                                packName: "detection", noun: "page", strings: [annotations, sources], checkCount: false)
    }
}
