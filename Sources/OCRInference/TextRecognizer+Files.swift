import Imaging

extension TextRecognizer {
    /// What became of one image file.
    public struct FileResult: Sendable {
        public var path: String
        /// The line read, or why the file could not be read (an `InferenceError(.image)` naming it).
        public var result: Result<Recognition, InferenceError>
    }

    /// Reads the image files at `paths` (decoded as BGR, like the training loader) and recognises
    /// those that decode, batched across files. A file that does not decode gets its error and the
    /// others still run. Results are in `paths` order.
    public func recognize(files paths: [String]) throws -> [FileResult] {
        var images = [Image](), decoded = [Int]()
        var failures = [Int: InferenceError]()
        for (i, path) in paths.enumerated() {
            do {
                images.append(try ImageFiles.read(path))
                decoded.append(i)
            } catch let error as InferenceError {
                failures[i] = error
            }
        }
        let lines = Dictionary(uniqueKeysWithValues: zip(decoded, try recognize(images)))
        return paths.enumerated().map { i, path in
            FileResult(path: path, result: lines[i].map { .success($0) } ?? .failure(failures[i]!))
        }
    }
}
