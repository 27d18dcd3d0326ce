import Imaging

extension PageReader {
    /// What became of one page file.
    public struct FileResult: Sendable {
        public var path: String
        /// The page read, or why not: an `InferenceError` whose message starts with the path.
        public var result: Result<Page, InferenceError>
        /// The decoded page (for drawings); nil when it could not be read.
        public var image: Image?
    }

    /// Reads the page file at `path` (`PageImage.read`: grey, RGBA and 16-bit accepted, at most
    /// `maxPixels`). Never throws: a file that cannot be decoded or read fails alone, so a caller
    /// goes on with its other pages.
    public func read(file path: String, maxPixels: Int = PageImage.defaultMaxPixels) -> FileResult {
        var image: Image?
        do {
            image = try PageImage.read(path, maxPixels: maxPixels)
            return FileResult(path: path, result: .success(try read(image!)), image: image)
        } catch let error as InferenceError {
            let named = error.message.hasPrefix(path) ? error : InferenceError(error.kind, "\(path): \(error.message)")
            return FileResult(path: path, result: .failure(named), image: image)
        } catch {
            return FileResult(path: path, result: .failure(InferenceError(.runtime, "\(path): \(error)")), image: image)
        }
    }

    /// `read(file:)` for each path, in order.
    public func read(files paths: [String], maxPixels: Int = PageImage.defaultMaxPixels) -> [FileResult] {
        paths.map { read(file: $0, maxPixels: maxPixels) }
    }
}
