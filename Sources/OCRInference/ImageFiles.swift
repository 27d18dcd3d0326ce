import Foundation
import Imaging

/// Image files named on a command line: folders expand to the image files in them, and a file that
/// does not decode is an error naming it (so a caller can report it and go on with the others).
public enum ImageFiles {
    /// File extensions (lower case) taken from a folder.
    public static let extensions: Set<String> = ["png", "jpg", "jpeg", "bmp", "tif", "tiff", "webp", "pbm", "pgm", "ppm"]

    /// `paths` with each folder replaced by its image files (not recursive), sorted by name; files
    /// are kept as given, whatever their extension. Throws for a path that does not exist and for
    /// a folder without image files (naming its subfolders, which are not searched).
    public static func expand(_ paths: [String]) throws -> [String] {
        var files = [String]()
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw InferenceError(.image, "\(path): no such file or folder")
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let entries = try FileManager.default.contentsOfDirectory(atPath: path)
            let names = entries.filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted()
            guard !names.isEmpty else {
                // An empty result would print nothing and succeed: say what the folder holds instead.
                let folders = entries.filter { e in
                    var d: ObjCBool = false
                    return FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(e), isDirectory: &d) && d.boolValue
                }.sorted()
                throw InferenceError(.image, "\(path): no image files (" + extensions.sorted().joined(separator: ", ") + ")"
                    + (folders.isEmpty ? "" : "; folders are not searched: name its subfolders (" + folders.prefix(5).joined(separator: ", ")
                       + (folders.count > 5 ? ", ..." : "") + ") instead"))
            }
            files += names.map { (path as NSString).appendingPathComponent($0) }
        }
        return files
    }

    /// One output file name per input path (`page.png` for `scans/page.jpg`), unique within the
    /// list: inputs whose base names coincide (`a/page.jpg`, `b/page.jpg`, `b/page.png`) get
    /// `-2`, `-3`, ... in input order after the first (`page.png`, `page-2.png`, `page-3.png`),
    /// skipping names another input has as its own, so no output overwrites another. Equal
    /// paths get one name each too.
    public static func outputNames(for paths: [String], extension ext: String) -> [String] {
        let bases = paths.map { ((($0 as NSString).lastPathComponent as NSString).deletingPathExtension) }
        var taken = Set(bases.map { $0 + "." + ext })
        var seen = Set<String>()
        return bases.map { base in
            let plain = base + "." + ext
            guard seen.contains(plain) else {
                seen.insert(plain)
                return plain
            }
            var k = 2
            while taken.contains("\(base)-\(k).\(ext)") { k += 1 }
            let name = "\(base)-\(k).\(ext)"
            taken.insert(name)
            seen.insert(name)
            return name
        }
    }

    /// Reads and decodes one file as BGR (as the training loader does). Throws
    /// `InferenceError(.image)` whose message starts with the path.
    public static func read(_ path: String) throws -> Image {
        do {
            return try Image(contentsOf: path, mode: .bgr)
        } catch let error as ImagingError {
            throw InferenceError(.image, "\(path): \(error.kind == .decode ? "not an image OpenCV can decode" : "cannot be read") (\(error.message))")
        }
    }
}
