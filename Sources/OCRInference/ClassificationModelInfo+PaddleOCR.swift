import Foundation
import Imaging
import OCRPreprocess

extension ClassificationModelInfo {
    /// PaddleOCR's angle classifier as PaddleOCR's and RapidOCR's exports ship it (e.g.
    /// `ch_ppocr_mobile_v2.0_cls_infer.onnx`): no metadata at all, so PaddleOCR's inference defaults
    /// apply - labels "0", "180", `cls_thresh` 0.9, `cls_image_shape` 3 x 48 x 192 (the graph's
    /// height and width when it fixes them), BGR, `(x / 255 - 0.5) / 0.5`, keep-ratio pad.
    ///
    /// Nil unless the graph has the classifier's shape: one float input B x 3 x H x W and a first
    /// output B x 2 (so a detector or recogniser without metadata is not mistaken for one).
    init?(paddleOCRPath path: String, metadata m: [String: String], inputs: [TensorInfo], outputs: [TensorInfo]) {
        guard !m.keys.contains(where: { $0.hasPrefix("ocrkit.") }),
              inputs.count == 1, let input = inputs.first, input.isTensor, input.elementType == .float,
              input.shape.count == 4, input.shape[1] == 3,
              let output = outputs.first, output.isTensor, output.elementType == .float, output.shape.count == 2,
              output.shape[1] == nil || output.shape[1] == 2 else { return nil }
        self.path = path
        algorithm = nil
        labels = ["0", "180"]
        threshold = 0.9
        inputName = input.name
        outputName = output.name
        resize = RecResize(imageShape: [3, input.shape[2] ?? 48, input.shape[3] ?? 192], padding: true)
        colorOrder = .bgr
        precision = nil
        sourceCheckpoint = nil
        configSHA256 = nil
    }
}
