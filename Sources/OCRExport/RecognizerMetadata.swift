import Foundation
import Imaging
import OCRCore
import OCRData
import OCRModels
import OCRRun

/// What an exported recogniser says about itself in `metadata_props` - the contract with the
/// inference side (`OCRInference`) and with RapidOCR-style readers, which take the charset from
/// the `character` key. Keys, in the order written:
///
/// | key | value |
/// |---|---|
/// | `ocrkit.kind` | `rec` |
/// | `ocrkit.format_version` | `1` |
/// | `ocrkit.algorithm` | `CRNN` or `SVTR` |
/// | `character` | the dictionary, one character per line, without the blank and without the appended space |
/// | `ocrkit.use_space_char` | `true` / `false`: a space is the last class |
/// | `ocrkit.blank_index` | `0` |
/// | `ocrkit.input_channels`, `ocrkit.input_height` | C, H |
/// | `ocrkit.input_width` | the maximum (CRNN) or only (SVTR) width |
/// | `ocrkit.fixed_width` | `true` / `false` |
/// | `ocrkit.resize` | `keep_ratio_pad` (resize to H keeping the aspect ratio, pad right with 0 after normalising) or `stretch` |
/// | `ocrkit.mean`, `ocrkit.std` | per channel, comma-separated, on the x/255 scale: `(x/255 - mean) / std` |
/// | `ocrkit.color_order` | channel order of the input: `BGR` (PaddleOCR's), `RGB` or `GRAY` |
/// | `ocrkit.decoder` | `ctc_greedy` |
/// | `ocrkit.output` | `logits` (B x T x classes, no softmax) |
/// | `ocrkit.precision` | `fp32` |
/// | `ocrkit.source_checkpoint` | the checkpoint path the weights came from |
/// | `ocrkit.config_sha256` | SHA-256 (hex) of the resolved training config text stored in the checkpoint |
public struct RecognizerMetadata: Sendable, Equatable {
    public enum ResizePolicy: String, Sendable, CaseIterable {
        case keepRatioPad = "keep_ratio_pad", stretch
    }

    public static let formatVersion = 1

    public var algorithm: String
    public var charset: Charset
    public var inputChannels: Int
    public var inputHeight: Int
    /// The maximum width (dynamic-width models) or the only one (fixed width).
    public var inputWidth: Int
    public var fixedWidth: Bool
    public var resize: ResizePolicy
    /// Per channel, on the x/255 scale.
    public var mean: [Float]
    public var std: [Float]
    public var colorOrder: String
    public var sourceCheckpoint: String
    public var configSHA256: String

    /// `inputShape`: [C, H, W]. Mean and std default to PaddleOCR's 0.5 per channel.
    public init(algorithm: String, charset: Charset, inputShape: [Int], fixedWidth: Bool, resize: ResizePolicy,
                mean: [Float]? = nil, std: [Float]? = nil, colorOrder: String = "BGR",
                sourceCheckpoint: String = "", configSHA256: String = "") {
        self.algorithm = algorithm
        self.charset = charset
        inputChannels = inputShape[0]
        inputHeight = inputShape[1]
        inputWidth = inputShape[2]
        self.fixedWidth = fixedWidth
        self.resize = resize
        self.mean = mean ?? Array(repeating: 0.5, count: inputShape[0])
        self.std = std ?? Array(repeating: 0.5, count: inputShape[0])
        self.colorOrder = colorOrder
        self.sourceCheckpoint = sourceCheckpoint
        self.configSHA256 = configSHA256
    }

    /// The metadata of a checkpoint's model: charset and config from the checkpoint itself
    /// (`config` overrides the stored one, e.g. a config file given on the command line).
    public init(checkpoint: Checkpoint, path: String, config: RecognitionRunConfig? = nil) throws {
        let config = try config ?? RecognitionRunConfig(tree: ConfigTree(yaml: checkpoint.config, source: "\(path):/config"))
        // The classes as trained, repeats included (see Charset.keepingDuplicates).
        let charset = try Charset(dictionaryText: checkpoint.charset, source: "\(path):/charset", useSpaceChar: checkpoint.useSpaceChar,
                                  keepingDuplicates: true)
        self.init(config: config, charset: charset, sourceCheckpoint: path, configSHA256: SHA256Digest(of: checkpoint.config).hex)
    }

    /// The metadata of a model trained with `config`. Preprocessing comes from Train's
    /// `RecResizeImg` and `DecodeImage`, as training used them; SVTR's width is fixed.
    public init(config: RecognitionRunConfig, charset: Charset, sourceCheckpoint: String = "", configSHA256: String = "") {
        let transforms = config.train.dataset.transforms
        let resize = transforms.resize ?? RecResize()
        let fixedWidth = if case .svtrNet = config.architecture.backbone { true } else { false }
        let c = resize.channels
        self.init(algorithm: config.architecture.algorithm, charset: charset, inputShape: resize.imageShape,
                  fixedWidth: fixedWidth, resize: resize.padding ? .keepRatioPad : .stretch,
                  mean: PreprocessMetadata.perChannel(resize.mean, channels: c), std: PreprocessMetadata.perChannel(resize.std, channels: c),
                  colorOrder: PreprocessMetadata.colorOrder(transforms.decodeMode),
                  sourceCheckpoint: sourceCheckpoint, configSHA256: configSHA256)
    }

    /// The `character` value: dictionary characters one per line, no blank, no appended space.
    public var characterList: String {
        charset.characters.prefix(charset.dictionaryCount).map(String.init).joined(separator: "\n")
    }

    /// The `metadata_props` entries, in order.
    public var properties: [(key: String, value: String)] {
        return [
            ("ocrkit.kind", "rec"),
            ("ocrkit.format_version", String(Self.formatVersion)),
            ("ocrkit.algorithm", algorithm),
            ("character", characterList),
            ("ocrkit.use_space_char", String(charset.useSpaceChar)),
            ("ocrkit.blank_index", String(Charset.blankIndex)),
        ] + PreprocessMetadata.properties(channels: inputChannels, height: inputHeight, width: inputWidth, fixedWidth: fixedWidth,
                                          resize: resize, mean: mean, std: std, colorOrder: colorOrder) + [
            ("ocrkit.decoder", "ctc_greedy"),
            ("ocrkit.output", "logits"),
            ("ocrkit.precision", "fp32"),
            ("ocrkit.source_checkpoint", sourceCheckpoint),
            ("ocrkit.config_sha256", configSHA256),
        ]
    }

    /// Throws unless this describes `model`: channels, height, width policy and class count.
    public func check(against model: any Recognizer) throws {
        var problems: [String] = []
        if inputChannels != model.inputChannels { problems.append("input channels \(inputChannels), model \(model.inputChannels)") }
        if inputHeight != model.inputHeight { problems.append("input height \(inputHeight), model \(model.inputHeight)") }
        if fixedWidth != (model.fixedInputWidth != nil) {
            problems.append("fixed_width \(fixedWidth), model \(model.fixedInputWidth.map { "fixed at \($0)" } ?? "takes any width")")
        }
        if let w = model.fixedInputWidth, w != inputWidth { problems.append("input width \(inputWidth), model's fixed width \(w)") }
        if charset.classCount != model.classes {
            problems.append("charset has \(charset.classCount) classes (blank + \(charset.characters.count)), model outputs \(model.classes)")
        }
        if mean.count != inputChannels || std.count != inputChannels {
            problems.append("mean/std need \(inputChannels) values, got \(mean.count)/\(std.count)")
        }
        if algorithm != model.architecture.algorithm { problems.append("algorithm \(algorithm), model \(model.architecture.algorithm)") }
        guard problems.isEmpty else { throw ExportError.metadataMismatch(problems.joined(separator: "; ")) }
    }
}
