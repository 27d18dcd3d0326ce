/// An encoding for `Image.encoded(as:)`.
public enum ImageFormat: Sendable, Hashable {
    /// Lossless.
    case png
    /// Lossy; `quality` 0...100 (OpenCV's default is 95). Alpha is dropped.
    case jpeg(quality: Int)
}
