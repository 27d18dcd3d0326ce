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
        let what = "packed detection dataset '\(file.path)'"
        let attrs = file.attributes
        guard try attrs.contains(PackedLineLayout.kindAttribute), try attrs.string(PackedLineLayout.kindAttribute) == kind else {
            throw DataError("\(what): not an OCRKit detection pack (attribute \(PackedLineLayout.kindAttribute) is not '\(kind)')")
        }
        let v = try attrs.contains(PackedLineLayout.versionAttribute) ? attrs.int(PackedLineLayout.versionAttribute) : 0
        guard v >= 1 && v <= version else { throw DataError("\(what): layout version \(v), this OCRKit reads 1...\(version)") }
        let n = try H5BlobArray.open(in: file.root(), images).count
        for name in [annotations, sources] {
            guard try file.contains(name) else {
                if name == annotations { throw DataError("\(what): dataset '\(name)' is missing") }
                continue
            }
            let ds = try file.dataset(name)
            guard ds.dtype == .string, ds.shape == [n] else {
                throw DataError("\(what): dataset '\(name)' must hold \(n) strings (one per page), has shape \(ds.shape) of \(ds.dtype)")
            }
        }
        return n
    }
}
