internal import CFont

/// A font that cannot be used, or text a font cannot draw. `message` names the font file (and the
/// text or characters involved) and, where there is one, says what to do.
public struct FontError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The path does not exist (a family name given where a file was expected lands here too).
        case notFound
        /// The file exists but cannot be read.
        case io
        /// Not a font FreeType reads, bitmap-only, no Unicode map, face index out of range.
        case format
        /// A directory held no usable font file.
        case noFonts
        /// The font lacks a glyph for some character of the text (it would draw tofu).
        case notCovered
        /// Bad arguments from the caller (sizes, empty text).
        case invalidArgument
        /// FreeType or HarfBuzz failed on a font it opened.
        case `internal`
    }

    public let kind: Kind
    public let message: String
    public var description: String { message }

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// Turns a CFont status into a thrown error, taking (and freeing) the C message.
    static func check(_ status: Int32, _ err: inout cf_error) throws {
        guard status != Int32(CF_OK.rawValue) else { return }
        defer { cf_error_free(&err) }
        let message = err.message.map { String(cString: $0) } ?? "CFont status \(status) (no message)"
        let kind: Kind = switch UInt32(bitPattern: status) {
        case CF_E_ARGUMENT.rawValue: .invalidArgument
        case CF_E_IO.rawValue: .io
        case CF_E_FORMAT.rawValue: .format
        default: .internal
        }
        throw FontError(kind, message)
    }
}
