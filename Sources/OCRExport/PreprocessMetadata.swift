import Imaging
import OCRData

/// How training prepared an image, in the form every model kind's metadata stores it (input
/// size, resize policy, per-channel mean/std, colour order): written once for the recogniser's
/// and the classifier's `metadata_props`.
enum PreprocessMetadata {
    /// `ocrkit.color_order` for images decoded as `mode`.
    static func colorOrder(_ mode: DecodeMode) -> String {
        switch mode {
        case .gray: "GRAY"
        case .rgb: "RGB"
        case .bgr, .keep: "BGR"
        }
    }

    /// RecResize holds one value for all channels or one per channel; the metadata spells out every channel.
    static func perChannel(_ v: [Float], channels: Int) -> [Float] {
        v.count == 1 ? Array(repeating: v[0], count: channels) : v
    }

    /// The `ocrkit.input_*` ... `ocrkit.color_order` entries, in metadata order.
    static func properties(channels: Int, height: Int, width: Int, fixedWidth: Bool, resize: RecognizerMetadata.ResizePolicy,
                           mean: [Float], std: [Float], colorOrder: String) -> [(key: String, value: String)] {
        func list(_ xs: [Float]) -> String { xs.map { String($0) }.joined(separator: ",") }
        return [
            ("ocrkit.input_channels", String(channels)),
            ("ocrkit.input_height", String(height)),
            ("ocrkit.input_width", String(width)),
            ("ocrkit.fixed_width", String(fixedWidth)),
            ("ocrkit.resize", resize.rawValue),
            ("ocrkit.mean", list(mean)),
            ("ocrkit.std", list(std)),
            ("ocrkit.color_order", colorOrder),
        ]
    }
}
