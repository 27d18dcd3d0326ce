import Imaging
import OCRData
import OCRModels
import OCRRun

/// What an exported angle classifier says about itself in `metadata_props`, named as
/// `RecognizerMetadata` names its keys. Keys, in the order written:
///
/// | key | value |
/// |---|---|
/// | `ocrkit.kind` | `cls` |
/// | `ocrkit.format_version` | `1` |
/// | `ocrkit.algorithm` | `CLS` |
/// | `ocrkit.labels` | the class labels in output order, comma-separated (PaddleOCR's `label_list`: `0,180`) |
/// | `ocrkit.threshold` | the score above which a pipeline acts on a non-first label (PaddleOCR's `cls_thresh`, 0.9): turn the line by 180 degrees |
/// | `ocrkit.input_channels`, `ocrkit.input_height`, `ocrkit.input_width` | C, H, W (the only size the model takes) |
/// | `ocrkit.fixed_width` | `true` |
/// | `ocrkit.resize` | `keep_ratio_pad` (PaddleOCR's `ClsResizeImg`: height H keeping the aspect ratio, width at most W, pad right with 0 after normalising) |
/// | `ocrkit.mean`, `ocrkit.std` | per channel, comma-separated, on the x/255 scale: `(x/255 - mean) / std` |
/// | `ocrkit.color_order` | channel order of the input: `BGR` (PaddleOCR's), `RGB` or `GRAY` |
/// | `ocrkit.output` | `probs` (B x classes, softmax applied) |
/// | `ocrkit.precision` | `fp32` |
/// | `ocrkit.source_checkpoint` | the checkpoint path the weights came from |
/// | `ocrkit.config_sha256` | SHA-256 (hex) of the resolved training config text |
public struct ClassifierMetadata: Sendable, Equatable {
    public typealias ResizePolicy = RecognizerMetadata.ResizePolicy

    public static let formatVersion = 1

    public var algorithm: String
    /// Class labels in output order.
    public var labels: [String]
    public var threshold: Double
    public var inputChannels: Int
    public var inputHeight: Int
    public var inputWidth: Int
    public var resize: ResizePolicy
    /// Per channel, on the x/255 scale.
    public var mean: [Float]
    public var std: [Float]
    public var colorOrder: String
    public var sourceCheckpoint: String
    public var configSHA256: String

    /// Defaults are PaddleOCR's cls_mv3.yml: labels 0 and 180, threshold 0.9, 3 x 48 x 192,
    /// keep-ratio resize with padding, mean and std 0.5, BGR.
    public init(labels: [String] = ["0", "180"], threshold: Double = 0.9, inputShape: [Int] = [3, 48, 192],
                resize: ResizePolicy = .keepRatioPad, mean: [Float]? = nil, std: [Float]? = nil, colorOrder: String = "BGR",
                algorithm: String = "CLS", sourceCheckpoint: String = "", configSHA256: String = "") {
        self.algorithm = algorithm
        self.labels = labels
        self.threshold = threshold
        inputChannels = inputShape[0]
        inputHeight = inputShape[1]
        inputWidth = inputShape[2]
        self.resize = resize
        self.mean = mean ?? Array(repeating: 0.5, count: inputShape[0])
        self.std = std ?? Array(repeating: 0.5, count: inputShape[0])
        self.colorOrder = colorOrder
        self.sourceCheckpoint = sourceCheckpoint
        self.configSHA256 = configSHA256
    }

    /// The metadata of a classifier trained with `resize` (its `ClsResizeImg`) on images decoded
    /// as `decodeMode`: the preprocessing is written as training used it.
    public init(labels: [String], resize: RecResize, decodeMode: DecodeMode = .bgr, threshold: Double = 0.9,
                sourceCheckpoint: String = "", configSHA256: String = "") {
        self.init(labels: labels, threshold: threshold, inputShape: resize.imageShape,
                  resize: resize.padding ? .keepRatioPad : .stretch,
                  mean: PreprocessMetadata.perChannel(resize.mean, channels: resize.channels),
                  std: PreprocessMetadata.perChannel(resize.std, channels: resize.channels),
                  colorOrder: PreprocessMetadata.colorOrder(decodeMode), sourceCheckpoint: sourceCheckpoint, configSHA256: configSHA256)
    }

    /// The metadata of a classifier trained with `config`: its label list, and Train's
    /// `ClsResizeImg` and `DecodeImage` as training used them; threshold 0.9 (PaddleOCR's `cls_thresh`).
    public init(config: ClassificationRunConfig, sourceCheckpoint: String = "", configSHA256: String = "") {
        let transforms = config.train.dataset.transforms
        self.init(labels: config.labels.labels, resize: transforms.resize, decodeMode: transforms.decodeMode,
                  sourceCheckpoint: sourceCheckpoint, configSHA256: configSHA256)
    }

    /// The `metadata_props` entries, in order.
    public var properties: [(key: String, value: String)] {
        return [
            ("ocrkit.kind", "cls"),
            ("ocrkit.format_version", String(Self.formatVersion)),
            ("ocrkit.algorithm", algorithm),
            ("ocrkit.labels", labels.joined(separator: ",")),
            ("ocrkit.threshold", String(threshold)),
        ] + PreprocessMetadata.properties(channels: inputChannels, height: inputHeight, width: inputWidth, fixedWidth: true,
                                          resize: resize, mean: mean, std: std, colorOrder: colorOrder) + [
            ("ocrkit.output", "probs"),
            ("ocrkit.precision", "fp32"),
            ("ocrkit.source_checkpoint", sourceCheckpoint),
            ("ocrkit.config_sha256", configSHA256),
        ]
    }

    /// Throws unless this describes `model` (input size, one label per class) and the labels
    /// survive the comma-separated list.
    public func check(against model: AngleClassifier) throws {
        var problems: [String] = []
        if [inputChannels, inputHeight, inputWidth] != model.inputShape {
            problems.append("input shape \([inputChannels, inputHeight, inputWidth]), model \(model.inputShape)")
        }
        if labels.count != model.classes { problems.append("\(labels.count) labels \(labels), model outputs \(model.classes) classes") }
        if labels.contains(where: { $0.isEmpty || $0.contains(",") || $0.contains("\n") }) || Set(labels).count != labels.count {
            problems.append("labels must be distinct, non-empty and free of commas and line breaks, got \(labels)")
        }
        if !(0...1).contains(threshold) { problems.append("threshold \(threshold) is not in 0...1") }
        if mean.count != inputChannels || std.count != inputChannels {
            problems.append("mean/std need \(inputChannels) values, got \(mean.count)/\(std.count)")
        }
        if algorithm != model.architecture.algorithm { problems.append("algorithm \(algorithm), model \(model.architecture.algorithm)") }
        guard problems.isEmpty else { throw ExportError.metadataMismatch(problems.joined(separator: "; ")) }
    }
}
