import Foundation

/// Splits a text file into numbered lines the way PaddleOCR's readers see them.
///
/// Splitting happens on the byte 0x0A, not on Swift `Character`s: "\r\n" is one grapheme in
/// Swift, so `split(separator: "\n")` would miss Windows line ends. A trailing "\r" and a UTF-8
/// byte-order mark on the first line are removed. Invalid UTF-8 is reported per line instead of
/// being replaced with U+FFFD, so a bad byte never silently changes a label.
struct TextLines {
    struct Line {
        /// 1-based line number.
        var number: Int
        /// The decoded line, or nil when its bytes are not valid UTF-8.
        var text: String?
    }

    var lines: [Line]

    init(lines: [Line]) { self.lines = lines }

    init(data: Data) {
        var lines = [Line]()
        let bytes = [UInt8](data)
        var start = 0
        var number = 0
        func emit(_ end: Int) {
            number += 1
            var lo = start, hi = end
            if number == 1 && hi - lo >= 3 && bytes[lo] == 0xEF && bytes[lo + 1] == 0xBB && bytes[lo + 2] == 0xBF { lo += 3 }
            if hi > lo && bytes[hi - 1] == 0x0D { hi -= 1 }
            lines.append(Line(number: number, text: TextLines.strictUTF8(bytes[lo..<hi])))
        }
        for i in 0..<bytes.count where bytes[i] == 0x0A {
            emit(i)
            start = i + 1
        }
        // Text after the last newline is a line; an empty tail is just the file's final newline.
        if start < bytes.count { emit(bytes.count) }
        self.lines = lines
    }

    /// Decodes UTF-8, returning nil (rather than U+FFFD) on any invalid sequence.
    /// (`String(validating:)` would do, but needs macOS 15.)
    static func strictUTF8(_ bytes: ArraySlice<UInt8>) -> String? {
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid: continue
            case .emptyInput: return String(decoding: bytes, as: UTF8.self)
            case .error: return nil
            }
        }
    }

    init(string: String) { self.init(data: Data(string.utf8)) }

    /// Reads `path`, naming the path when it is missing or unreadable.
    static func read(path: String) throws -> TextLines {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FileReadError.notFound(path: path)
        }
        guard !isDirectory.boolValue else { throw FileReadError.unreadable(path: path, reason: "is a directory") }
        do {
            return TextLines(data: try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw FileReadError.unreadable(path: path, reason: "\(error)")
        }
    }
}

/// A file that could not be opened at all (as opposed to a bad line inside it).
public enum FileReadError: Error, Equatable, CustomStringConvertible, LocalizedError {
    case notFound(path: String)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let path): return "file not found: \(path)"
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        }
    }
    public var errorDescription: String? { description }
}
