import Foundation
import Imaging

/// Reading a page image file for the page pipeline: any 8- or 16-bit grey, BGR or BGRA file
/// OpenCV decodes becomes a BGR page; transparency is laid over white (text drawn on a transparent
/// background would otherwise turn into black on black). A JPEG's EXIF orientation is applied
/// (other formats are decoded as stored, where OpenCV does not apply it). Refused, each with an
/// `InferenceError(.image)` naming the file: an empty file, one larger than `maxPixels` (checked in
/// the header before decoding when the format is known), a truncated JPEG, and anything OpenCV
/// cannot decode.
public enum PageImage {
    /// 50 megapixels: an A4 page scanned at 600 dpi is 35.
    public static let defaultMaxPixels = 50_000_000

    public static func read(_ path: String, maxPixels: Int = defaultMaxPixels) throws -> Image {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InferenceError(.image, "\(path): cannot be read (\(error.localizedDescription))")
        }
        return try decode(data, path: path, maxPixels: maxPixels)
    }

    /// `read` for bytes already in memory; `path` names them in errors.
    public static func decode(_ data: Data, path: String, maxPixels: Int = defaultMaxPixels) throws -> Image {
        guard !data.isEmpty else { throw InferenceError(.image, "\(path): empty file (0 bytes), not an image") }
        func tooLarge(_ w: Int, _ h: Int) -> InferenceError {
            InferenceError(.image, "\(path): \(w) x \(h) px is \(String(format: "%.1f", Double(w) * Double(h) / 1e6)) megapixels, "
                           + "over the limit of \(String(format: "%.1f", Double(maxPixels) / 1e6)) (raise it with --max-megapixels)")
        }
        let isJPEG = data.starts(with: [0xFF, 0xD8])
        if let (w, h) = ImageHeader.size(of: data) {
            guard w > 0, h > 0 else { throw InferenceError(.image, "\(path): its header says \(w) x \(h) px") }
            guard Double(w) * Double(h) <= Double(maxPixels) else { throw tooLarge(w, h) }
        }
        if isJPEG, !ImageHeader.jpegIsComplete(data) {
            throw InferenceError(.image, "\(path): truncated JPEG (no end-of-image marker after the image data)")
        }
        let decoded: Image
        do {
            // JPEG has no alpha: decoding to BGR applies its EXIF orientation. Other formats are
            // decoded as stored so an alpha channel can be laid over white.
            decoded = try Image(decoding: data, mode: isJPEG ? .bgr : .keep)
        } catch let error as ImagingError {
            throw InferenceError(.image, "\(path): not an image OpenCV can decode (\(error.message))")
        }
        guard decoded.width * decoded.height <= maxPixels else { throw tooLarge(decoded.width, decoded.height) }
        do {
            switch decoded.colorOrder {
            case .bgr: return decoded
            case .bgra, .rgba: return try overWhite(decoded.converted(to: .bgra))
            case .gray, .rgb: return try decoded.converted(to: .bgr)
            }
        } catch let error as ImagingError {
            throw InferenceError(.image, "\(path): \(error.message)")
        }
    }

    /// A BGRA image over a white background: each channel c * a / 255 + 255 * (1 - a / 255).
    static func overWhite(_ image: Image) throws -> Image {
        let n = image.width * image.height
        var out = [UInt8](repeating: 0, count: n * 3)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<n {
                    let a = Int(src[i * 4 + 3])
                    for k in 0..<3 { dst[i * 3 + k] = UInt8((Int(src[i * 4 + k]) * a + 255 * (255 - a) + 127) / 255) }
                }
            }
        }
        return try Image(width: image.width, height: image.height, colorOrder: .bgr, pixels: out)
    }
}
