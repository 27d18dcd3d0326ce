import Foundation

// Fonts come as files or directories of files, never as family names: a family name resolves to
// different files on different machines, and a training set must say exactly what it was made of.
extension FontFile {
    /// File name extensions that are scanned for in directories (case-insensitive).
    public static let fontFileExtensions: Set<String> = ["ttf", "otf", "ttc", "otc", "pfb", "pfa", "t1"]

    /// Loads every face of every font in `paths`: font files, or directories scanned recursively for
    /// `fontFileExtensions`, in sorted path order.
    ///
    /// A file named explicitly must load, or this throws. In a directory, files that fail are
    /// listed in `skipped`, and when `deduplicate` is set, faces with the family and style of one
    /// already found in the same directory are listed in `duplicates` instead of loaded (Debian
    /// ships URW's fonts as .otf, .t1 and .pfb: without this, each would count three times). A
    /// directory with no usable font throws.
    public static func load(_ paths: [String], deduplicate: Bool = true) throws -> FontCollection {
        guard !paths.isEmpty else { throw FontError(.noFonts, "no fonts given: pass font files or directories") }
        var result = FontCollection(fonts: [], skipped: [], duplicates: [])
        var seenPaths = Set<String>()
        for path in paths {
            try requireFile(path)
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            if !isDirectory.boolValue {
                guard seenPaths.insert(canonical(path)).inserted else { continue }
                result.fonts += try loadFaces(path)
                continue
            }
            let files = scan(directory: path).filter { seenPaths.insert(canonical($0)).inserted }
            var found: [FontFile] = []
            for file in files {
                do {
                    found += try loadFaces(file)
                } catch {
                    result.skipped.append(.init(path: file, reason: "\(error)"))
                }
            }
            if deduplicate {
                // Prefer OpenType/TrueType over Type 1 for the same face: same outlines, better metrics.
                let rank: (FontFile) -> Int = { ["otf", "ttf", "ttc", "otc"].contains(($0.path as NSString).pathExtension.lowercased()) ? 0 : 1 }
                var kept: [String: FontFile] = [:]
                for font in found.sorted(by: { (rank($0), $0.path) < (rank($1), $1.path) }) {
                    let key = "\(font.family)\u{0}\(font.style)"
                    if let first = kept[key] {
                        result.duplicates.append(.init(path: font.path, sameAs: first.path))
                    } else {
                        kept[key] = font
                    }
                }
                found = found.filter { f in kept.values.contains { $0 === f } }
            }
            guard !found.isEmpty else {
                let why = result.skipped.filter { $0.path.hasPrefix(path) }.prefix(3).map { "\n  \($0.path): \($0.reason)" }
                throw FontError(.noFonts, "font directory '\(path)' holds no usable font file "
                    + "(looked for .\(fontFileExtensions.sorted().joined(separator: ", ."))))" + why.joined())
            }
            result.fonts += found
        }
        return result
    }

    /// All faces of one file (one, or several for a collection).
    private static func loadFaces(_ path: String) throws -> [FontFile] {
        let first = try FontFile(path: path, faceIndex: 0)
        guard first.faceCount > 1 else { return [first] }
        return try [first] + (1..<first.faceCount).map { try FontFile(path: path, faceIndex: $0) }
    }

    private static func scan(directory: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            guard fontFileExtensions.contains((relative as NSString).pathExtension.lowercased()) else { continue }
            files.append((directory as NSString).appendingPathComponent(relative))
        }
        return files.sorted()
    }

    private static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
    }

    /// Throws unless `path` exists; a missing path that looks like a family name gets a hint.
    static func requireFile(_ path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else { return }
        let ext = (path as NSString).pathExtension.lowercased()
        guard !path.contains("/") && !fontFileExtensions.contains(ext) else {
            throw FontError(.notFound, "font file '\(path)' does not exist")
        }
        let matches = filesOfFamily(path)
        let hint = matches.isEmpty
            ? "find the file with `fc-list | grep -i '\(path)'`"
            : "files of that family: " + matches.prefix(6).joined(separator: ", ")
                + (matches.count > 6 ? ", ... (\(matches.count) in all; `fc-list | grep -i '\(path)'`)" : "")
        throw FontError(.notFound, "font '\(path)' is not a file or directory: fonts are given as font files "
            + "(.ttf, .otf, .ttc, .pfb, .t1) or directories of them, not by family name; \(hint)")
    }

    /// Files whose family (as fontconfig lists it) matches `name`, ignoring case, spaces and dashes.
    private static func filesOfFamily(_ name: String) -> [String] {
        let fcList = ["/usr/bin/fc-list", "/usr/local/bin/fc-list", "/opt/homebrew/bin/fc-list"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let fcList else { return [] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: fcList)
        process.arguments = ["--format", "%{file}\t%{family}\n"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return [] }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        func key(_ s: Substring) -> String { s.lowercased().filter { $0 != " " && $0 != "-" && $0 != "_" } }
        let wanted = key(Substring(name))
        var files: [String] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2, parts[1].split(separator: ",").contains(where: { key($0) == wanted }) else { continue }
            files.append(String(parts[0]))
        }
        return files.sorted()
    }
}

/// What `FontFile.load` found.
public struct FontCollection: Sendable {
    public struct Skipped: Sendable, Equatable {
        public var path: String
        public var reason: String
    }

    public struct Duplicate: Sendable, Equatable {
        public var path: String
        /// The file kept instead (same family and style).
        public var sameAs: String
    }

    public var fonts: [FontFile]
    /// Files in scanned directories that did not load, with FreeType's reason.
    public var skipped: [Skipped]
    /// Faces left out as duplicates of another file's face in the same directory.
    public var duplicates: [Duplicate]

    /// One line per remark worth a user's attention: skipped files, duplicates, symbol fonts.
    public var remarks: [String] {
        skipped.map { "skipped \($0.path): \($0.reason)" }
            + duplicates.map { "left out \($0.path): same family and style as \($0.sameAs)" }
            + fonts.filter { !$0.mismatchedCharacters.isEmpty }.map {
                "\($0.path): maps \($0.mismatchedCharacters.count) ASCII letters/digits to other symbols "
                    + "(a symbol font); they count as missing, so it is used only for texts it really draws"
            }
            + fonts.filter(\.drawsLowercaseAsCapitals).map {
                "\($0.path): draws lowercase letters as capitals; it is used only for texts without lowercase letters"
            }
    }
}
