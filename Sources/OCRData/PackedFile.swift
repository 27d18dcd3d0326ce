import Foundation
import HDF5
import Imaging

/// One open OCRKit pack - recognition lines (`PackedLineLayout`) or detection pages
/// (`PackedPageLayout`): the encoded images of an `H5BlobArray`, the optional per-record
/// `sources`, and what both datasets do with them. A record's bytes are one hyperslab read
/// under a lock per file (HDF5 serialises calls anyway); decoding happens outside it, on the
/// caller's thread.
final class PackedFile: @unchecked Sendable {
    let path: String
    let file: H5File
    let blobs: H5BlobArray
    let sources: [String]?
    /// "image" or "page", for messages.
    let noun: String
    private let lock = NSLock()

    /// Opens `path` and checks its layout with `validate` (which returns the record count).
    init(path: String, noun: String, validate: (H5File) throws -> Int) throws {
        self.path = path
        self.noun = noun
        file = try H5File.open(path)
        _ = try validate(file)
        blobs = try H5BlobArray.open(in: file.root(), PackedLineLayout.images)
        sources = try file.contains(PackedLineLayout.sources) ? file.readStrings(PackedLineLayout.sources) : nil
    }

    func bytes(_ i: Int) throws -> [UInt8] { try lock.withLock { try blobs.blob(at: i) } }

    /// `file.h5#12 (train.txt:12 (a.png))`.
    func source(_ i: Int) -> String { "\(path)#\(i)" + sourceSuffix(i) }

    func sourceSuffix(_ i: Int) -> String { sources.map { " (\($0[i]))" } ?? "" }

    /// An issue of record `i`, named `file.h5#i` with where the record came from.
    func issue(_ i: Int, _ category: String, _ message: String) -> DataIssue {
        DataIssue(file: path, line: i, isPackedRecord: true, category: category, message: message + sourceSuffix(i))
    }

    /// Record `i`'s image, or the issue that keeps it from being used (unreadable, empty or
    /// undecodable bytes).
    func image(_ i: Int, mode: DecodeMode) -> Result<Image, DataIssue> {
        let bytes: [UInt8]
        do { bytes = try self.bytes(i) } catch {
            return .failure(issue(i, DataIssue.Category.unreadableImage, "cannot read \(noun) bytes: \(error)"))
        }
        guard !bytes.isEmpty else { return .failure(issue(i, DataIssue.Category.undecodableImage, "stored \(noun) is empty")) }
        do { return .success(try Image(decoding: bytes, mode: mode)) } catch {
            return .failure(issue(i, DataIssue.Category.undecodableImage, "cannot decode \(bytes.count) stored bytes: \(error)"))
        }
    }

    /// The checks both layouts share: `ocrkit.kind`, a version this OCRKit reads, and each of
    /// `strings` (the first of them required) holding one string per stored image. Returns the
    /// record count. `what` names the file in messages, `packName` the kind of pack, `noun` a record.
    static func validate(_ file: H5File, kind: String, version: Int, what: String, packName: String, noun: String,
                         strings: [String], checkCount: Bool) throws -> Int {
        let attrs = file.attributes
        let kindAttribute = PackedLineLayout.kindAttribute, versionAttribute = PackedLineLayout.versionAttribute
        guard try attrs.contains(kindAttribute), try attrs.string(kindAttribute) == kind else {
            throw DataError("\(what): not an OCRKit \(packName) pack (attribute \(kindAttribute) is not '\(kind)')")
        }
        let v = try attrs.contains(versionAttribute) ? attrs.int(versionAttribute) : 0
        guard v >= 1 && v <= version else {
            throw DataError("\(what): layout version \(v), this OCRKit reads 1...\(version)")
        }
        let n = try H5BlobArray.open(in: file.root(), PackedLineLayout.images).count
        let countAttribute = PackedLineLayout.countAttribute
        if checkCount, try attrs.contains(countAttribute), try attrs.int(countAttribute) != n {
            throw DataError("\(what): attribute count = \(try attrs.int(countAttribute)) but \(n) images are stored")
        }
        for name in strings {
            guard try file.contains(name) else {
                if name == strings.first { throw DataError("\(what): dataset '\(name)' is missing") }
                continue
            }
            let ds = try file.dataset(name)
            guard ds.dtype == .string, ds.shape == [n] else {
                throw DataError("\(what): dataset '\(name)' must hold \(n) strings (one per \(noun)), has shape \(ds.shape) of \(ds.dtype)")
            }
        }
        return n
    }
}
