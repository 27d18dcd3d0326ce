import Foundation
import Imaging
import OCRPreprocess

/// Typed reads of an OCRKit model's `metadata_props` values, with errors naming the file and the
/// key; shared by the recogniser's and the classifier's readers.
struct MetadataReader {
    let path: String
    let values: [String: String]
    /// What kind of model the file should be, for messages ("recognisers", "classifiers").
    var models = "models"

    func fail(_ message: String) -> InferenceError { InferenceError(.metadata, "\(path): \(message)") }

    func string(_ key: String) throws -> String {
        guard let v = values[key] else { throw fail("metadata '\(key)' is missing (OCRKit \(models) carry every ocrkit.* key)") }
        return v
    }

    func int(_ key: String) throws -> Int {
        let v = try string(key)
        guard let n = Int(v), n > 0 else { throw fail("metadata \(key) = '\(v)' is not a positive integer") }
        return n
    }

    func bool(_ key: String) throws -> Bool {
        switch try string(key) {
        case "true": return true
        case "false": return false
        case let v: throw fail("metadata \(key) = '\(v)' is not true or false")
        }
    }

    func double(_ key: String) throws -> Double {
        let v = try string(key)
        guard let f = Double(v.trimmingCharacters(in: .whitespaces)), f.isFinite else { throw fail("metadata \(key) = '\(v)' is not a number") }
        return f
    }

    func ints(_ key: String) throws -> [Int] {
        let v = try string(key)
        let parts = v.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { throw fail("metadata \(key) = '\(v)' is not a comma-separated list of integers") }
        return parts.map { $0! }
    }

    func floats(_ key: String) throws -> [Float] {
        let v = try string(key)
        let parts = v.split(separator: ",", omittingEmptySubsequences: false).map { Float($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { throw fail("metadata \(key) = '\(v)' is not a comma-separated list of numbers") }
        return parts.map { $0! }
    }

    /// `ocrkit.format_version`, which must be 1.
    func checkFormatVersion() throws {
        let version = try int("ocrkit.format_version")
        guard version == 1 else {
            throw fail("ocrkit.format_version is \(version); this OCRKit reads version 1 (a newer OCRKit wrote it?)")
        }
    }

    /// The preprocessing: `ocrkit.input_channels`/`_height`/`_width`, `ocrkit.resize`,
    /// `ocrkit.mean`, `ocrkit.std`, as the training loader's `RecResize`.
    func resize() throws -> RecResize {
        let shape = [try int("ocrkit.input_channels"), try int("ocrkit.input_height"), try int("ocrkit.input_width")]
        let policy = try string("ocrkit.resize")
        guard policy == "keep_ratio_pad" || policy == "stretch" else {
            throw fail("ocrkit.resize '\(policy)' is not keep_ratio_pad or stretch")
        }
        var resize = RecResize(imageShape: shape, padding: policy == "keep_ratio_pad")
        resize.mean = try floats("ocrkit.mean")
        resize.std = try floats("ocrkit.std")
        do { try resize.validate() } catch { throw fail("\(error)") }
        return resize
    }

    /// `ocrkit.color_order`, which must fit the channel count.
    func colorOrder(channels: Int) throws -> ColorOrder {
        let order = try string("ocrkit.color_order")
        switch (order, channels) {
        case ("BGR", 3): return .bgr
        case ("RGB", 3): return .rgb
        case ("GRAY", 1): return .gray
        default: throw fail("ocrkit.color_order '\(order)' does not fit \(channels) input channels (BGR or RGB for 3, GRAY for 1)")
        }
    }
}
