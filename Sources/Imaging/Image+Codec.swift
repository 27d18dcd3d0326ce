import Foundation
internal import CVision

// Decoding and encoding: bytes in any format OpenCV reads, PNG/JPEG out.
extension Image {
    /// Decodes an image file's bytes (PNG, JPEG, BMP, TIFF, WebP, ...). Throws
    /// `ImagingError(kind: .decode)` for bytes that are not an image or are truncated.
    /// (A truncated JPEG is the exception: libjpeg decodes what it has and fills the rest gray.)
    public init(decoding bytes: some ContiguousBytes, mode: DecodeMode = .bgr) throws {
        self = try bytes.withUnsafeBytes { raw in
            try Image.call(order: mode.order) { out, err in
                cv_decode(&out, raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count, mode.c, &err)
            }
        }
    }

    /// Reads and decodes the file at `path`; errors name the path.
    public init(contentsOf path: String, mode: DecodeMode = .bgr) throws {
        self = try Image.call(order: mode.order) { out, err in cv_decode_file(&out, path, mode.c, &err) }
    }

    /// The image as a PNG or JPEG file's bytes. RGB(A) images are reordered to BGR(A) first, since
    /// the encoders read OpenCV's order; the file's colours are the same either way.
    public func encoded(as format: ImageFormat) throws -> Data {
        let (code, quality): (cv_format, Int32) = switch format {
        case .png: (CVI_FORMAT_PNG, 0)
        case .jpeg(let q): (CVI_FORMAT_JPEG, Int32(clamping: q))
        }
        let native = try converted(to: colorOrder.opencvNative)
        var out = cv_bytes()
        var err = cv_error()
        try ImagingError.check(native.withView { cv_encode(&out, $0, code, quality, &err) }, &err)
        defer { cv_bytes_free(&out) }
        return Data(UnsafeBufferPointer(start: out.data, count: out.size))
    }
}
