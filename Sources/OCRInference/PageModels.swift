import Foundation

/// The three model files of the page pipeline. The classifier is optional (PaddleOCR's
/// `use_angle_cls`).
public struct PageModels: Sendable, Equatable {
    public var detector: String
    public var classifier: String?
    public var recognizer: String

    public init(detector: String, classifier: String?, recognizer: String) {
        self.detector = detector
        self.classifier = classifier
        self.recognizer = recognizer
    }

    /// PaddleOCR's PP-OCRv4 detector and recogniser and its v2.0 angle classifier, as
    /// scripts/setup.sh places them in `directory` (.deps/models).
    public static func ppocrV4(in directory: String) -> PageModels {
        PageModels(detector: directory + "/ch_PP-OCRv4_det_infer.onnx",
                   classifier: directory + "/ch_ppocr_mobile_v2.0_cls_infer.onnx",
                   recognizer: directory + "/ch_PP-OCRv4_rec_infer.onnx")
    }

    /// PP-OCRv6 small's detector and recogniser (RapidOCR 3.10.0's defaults) with the same v2.0
    /// angle classifier, as scripts/setup.sh places them in `directory` (.deps/models).
    public static func ppocrV6Small(in directory: String) -> PageModels {
        PageModels(detector: directory + "/PP-OCRv6_det_small.onnx",
                   classifier: directory + "/ch_ppocr_mobile_v2.0_cls_infer.onnx",
                   recognizer: directory + "/PP-OCRv6_rec_small.onnx")
    }

    /// The models in `directory`: `det.onnx`, `cls.onnx`, `rec.onnx` (OCRKit's names), or else
    /// the one `.onnx` file whose name contains `_det`, `_cls`, `_rec` each (PaddleOCR's names, as
    /// `ch_PP-OCRv4_det_infer.onnx`). The classifier may be missing; a missing or ambiguous
    /// detector or recogniser is an error naming the folder and what it holds.
    public static func directory(_ directory: String) throws -> PageModels {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InferenceError(.fileNotFound, "\(directory): no such model folder")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.lowercased().hasSuffix(".onnx") }.sorted()
        func find(_ role: String, required: Bool) throws -> String? {
            if files.contains("\(role).onnx") { return directory + "/\(role).onnx" }
            let named = files.filter { $0.lowercased().contains("_\(role)") }
            switch named.count {
            case 1: return directory + "/" + named[0]
            case 0 where !required: return nil
            case 0:
                throw InferenceError(.fileNotFound, "\(directory): no \(role) model (\(role).onnx or a name containing _\(role)); "
                                     + ".onnx files there: \(files.isEmpty ? "none" : files.joined(separator: ", "))")
            default:
                throw InferenceError(.invalidInput, "\(directory): \(named.count) \(role) models (\(named.joined(separator: ", "))); "
                                     + "name one with --\(role)")
            }
        }
        return PageModels(detector: try find("det", required: true)!, classifier: try find("cls", required: false),
                          recognizer: try find("rec", required: true)!)
    }
}
