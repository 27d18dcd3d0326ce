import Foundation
import OCRCore

/// One face of one font file, with its character coverage. Load single files with `init(path:)`,
/// files and directories with `FontFile.load(_:)`.
///
/// Thread-safe: the coverage is computed once at load; rendering borrows a FreeType face from a
/// small pool (`withFace`), so several threads render with the same font at once, each on its own
/// face (FreeType handles are not thread-safe).
public final class FontFile: @unchecked Sendable, CustomStringConvertible {
    /// The file as given (or found in a directory scan).
    public let path: String
    /// The face within the file (> 0 only for the later faces of a .ttc/.otc collection).
    public let faceIndex: Int
    /// Family and style as the font names them ("DejaVu Sans", "Bold Oblique").
    public let family: String
    public let style: String
    /// FreeType's format name: "TrueType", "CFF", "Type 1", ...
    public let format: String
    /// Faces in the file.
    public let faceCount: Int
    /// The file name, plus "#i" for faces after the first of a collection: the `group` of the
    /// samples drawn with this font, so metrics can be broken down per font.
    public let name: String

    /// Whether the font draws lowercase letters as (small) capitals (Humor Sans does): then
    /// lowercase letters count as missing, and the font is used only for texts without them.
    public let drawsLowercaseAsCapitals: Bool

    /// Code point -> status, for every code point the Unicode map has.
    private let statusByCodePoint: [UInt32: GlyphStatus]
    private let pool: FacePool

    /// Opens face `faceIndex` of the font file at `path`. A path that does not exist and looks like
    /// a family name ("DejaVu Sans") fails with a hint naming the matching files (from `fc-list`).
    public init(path: String, faceIndex: Int = 0) throws {
        try FontFile.requireFile(path)
        let face = try FontFace(path: path, faceIndex: faceIndex)
        let info = try face.info()
        var statuses = [UInt32: GlyphStatus]()
        for (cp, status) in try face.charmap() { statuses[cp] = status }
        self.path = path
        self.faceIndex = faceIndex
        self.family = info.family
        self.style = info.style
        self.format = info.format
        self.faceCount = info.faceCount
        let file = (path as NSString).lastPathComponent
        self.name = faceIndex > 0 ? "\(file)#\(faceIndex)" : file
        self.statusByCodePoint = statuses
        self.drawsLowercaseAsCapitals = try FontFile.caseProportions(face, drawn: { c in
            c.unicodeScalars.allSatisfy { statuses[$0.value] == .present }
        })?.isCapsOnly ?? false
        self.pool = FacePool(path: path, faceIndex: faceIndex, first: face)
    }

    public var description: String { "\(name) (\(family) \(style))" }

    // MARK: Coverage

    /// The characters of `text` this font cannot draw, each once, in order of first appearance.
    /// Whitespace must be mapped; any other character needs a glyph with ink (an empty glyph would
    /// render as nothing) whose name does not contradict it (symbol fonts map "A" to "Alpha").
    /// A character counts as covered when either its composed (NFC) or decomposed (NFD) form is,
    /// since HarfBuzz composes or decomposes to whatever the font has.
    public func missingCharacters(in text: String) -> [Character] {
        var missing = [Character](), seen = Set<Character>()
        for c in text where !covers(c) {
            if seen.insert(c).inserted { missing.append(c) }
        }
        return missing
    }

    /// Whether the font draws every character of `text`.
    public func covers(_ text: String) -> Bool { text.allSatisfy(covers(_:)) }

    /// Whether the font draws the character (see `missingCharacters(in:)`).
    public func covers(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        if scalars.allSatisfy(covers(scalar:)) { return true }
        let s = String(character)
        for form in [s.precomposedStringWithCanonicalMapping, s.decomposedStringWithCanonicalMapping]
        where form.unicodeScalars.elementsEqual(scalars) == false {
            if form.unicodeScalars.allSatisfy(covers(scalar:)) { return true }
        }
        return false
    }

    private func covers(scalar: Unicode.Scalar) -> Bool {
        if drawsLowercaseAsCapitals && scalar.properties.isLowercase && scalar.properties.changesWhenUppercased {
            return false
        }
        return switch statusByCodePoint[scalar.value] {
        case .present?: true
        case .blank?: scalar.properties.isWhitespace || scalar.properties.isDefaultIgnorableCodePoint
        case .missing?, .mismatch?, nil: false
        }
    }

    /// How much of `charset` the font draws (the space class counts like any other character).
    public func coverage(of charset: Charset) -> CharsetCoverage {
        var covered = [Character](), missing = [Character]()
        for c in charset.characters {
            if covers(c) { covered.append(c) } else { missing.append(c) }
        }
        return CharsetCoverage(covered: covered, missing: missing)
    }

    /// ASCII letters and digits whose glyph is named as something else (a symbol font): the font
    /// is loaded, but those characters count as missing. Empty for ordinary fonts.
    public var mismatchedCharacters: [Character] {
        statusByCodePoint.filter { $0.value == .mismatch }.keys.sorted()
            .compactMap { Unicode.Scalar($0).map(Character.init) }
    }

    /// Number of code points in the font's Unicode map.
    public var mappedCodePointCount: Int { statusByCodePoint.count }

    // MARK: Faces for rendering

    /// Runs `body` with a face of this font that no other thread is using.
    func withFace<R>(_ body: (FontFace) throws -> R) throws -> R {
        let face = try pool.take()
        defer { pool.give(face) }
        return try body(face)
    }

    /// The C coverage check itself, for tests of the boundary.
    func rawCoverage(of codepoints: [UInt32]) throws -> [GlyphStatus] {
        try withFace { try $0.coverage(of: codepoints) }
    }
}

/// The characters of a charset a font draws and the ones it does not.
public struct CharsetCoverage: Sendable, Equatable {
    public var covered: [Character]
    public var missing: [Character]
    /// covered / (covered + missing).
    public var fraction: Double {
        covered.isEmpty && missing.isEmpty ? 1 : Double(covered.count) / Double(covered.count + missing.count)
    }
}

/// Faces of one font file not in use right now. A thread takes one (opening a new face when all
/// are lent out) and gives it back, so the pool grows to the number of threads rendering at once.
final class FacePool: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [FontFace]
    private let path: String
    private let faceIndex: Int

    init(path: String, faceIndex: Int, first: FontFace) {
        self.path = path
        self.faceIndex = faceIndex
        self.idle = [first]
    }

    func take() throws -> FontFace {
        lock.lock()
        let face = idle.popLast()
        lock.unlock()
        return try face ?? FontFace(path: path, faceIndex: faceIndex)
    }

    func give(_ face: FontFace) {
        lock.lock()
        idle.append(face)
        lock.unlock()
    }
}
