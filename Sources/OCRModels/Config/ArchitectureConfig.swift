/// PaddleOCR's `Architecture` section for recognisers (`model_type: rec`, built by
/// `RecognizerFactory`), the text-line angle classifier (`model_type: cls`, built by
/// `ClassifierFactory`) and DB text detectors (`model_type: det`, built by `DetectorFactory`). Keys are PaddleOCR's (snake_case), so a PaddleOCR config's section
/// decodes unchanged where OCRKit implements the named parts.
///
/// ```yaml
/// Architecture:
///   model_type: rec
///   algorithm: CRNN          # CRNN | SVTR
///   Transform:               # null only (no TPS/STN)
///   Backbone: {name: MobileNetV3, scale: 0.5, model_name: large}
///   Neck: {name: SequenceEncoder, encoder_type: rnn, hidden_size: 96}
///   Head: {name: CTCHead, fc_decay: 0}
/// ```
/// PaddleOCR's `configs/cls/cls_mv3.yml`: `{model_type: cls, algorithm: CLS, Transform: null,
/// Backbone: {name: MobileNetV3, scale: 0.35, model_name: small}, Neck: null, Head: {name: ClsHead, class_dim: 2}}`.
public struct ArchitectureConfig: Codable, Sendable, Equatable {
    public static let knownModelTypes = ["rec", "cls", "det"]
    public static let knownAlgorithms = ["CRNN", "SVTR", "SVTR_LCNet", "CLS", "DB"]

    /// `model_type`: rec (recogniser), cls (angle classifier) or det (DB text detector, built by
    /// `DetectorFactory`; presets in `ArchitectureConfig+Detection.swift`).
    public var modelType: String
    /// `algorithm`: CRNN or SVTR (rec), CLS (cls), DB (det); names the family for post-processing and reports.
    public var algorithm: String
    /// `Transform`: an input rectification network; only null (none) is supported.
    public var transform: TransformConfig?
    /// `Backbone`: MobileNetV3 or SVTRNet.
    public var backbone: BackboneConfig
    /// `Neck`: SequenceEncoder (required for CTC), DBFPN or RSEFPN (det); absent for cls.
    public var neck: NeckConfig?
    /// `Head`: CTCHead (rec), ClsHead (cls) or DBHead (det).
    public var head: HeadConfig

    public init(modelType: String = "rec", algorithm: String, backbone: BackboneConfig, neck: NeckConfig?,
                head: HeadConfig = HeadConfig(), transform: TransformConfig? = nil) {
        self.modelType = modelType
        self.algorithm = algorithm
        self.transform = transform
        self.backbone = backbone
        self.neck = neck
        self.head = head
    }

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type", algorithm, transform = "Transform", backbone = "Backbone", neck = "Neck", head = "Head"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        modelType = try c.decode(String.self, forKey: .modelType)
        algorithm = try c.decode(String.self, forKey: .algorithm)
        transform = try c.decodeIfPresent(TransformConfig.self, forKey: .transform)
        backbone = try c.decode(BackboneConfig.self, forKey: .backbone)
        neck = try c.decodeIfPresent(NeckConfig.self, forKey: .neck)
        head = try c.decode(HeadConfig.self, forKey: .head)
        try NeckConfig.check(modelType, Self.knownModelTypes, "model_type", c, .modelType)
        try NeckConfig.check(algorithm, Self.knownAlgorithms, "algorithm", c, .algorithm)
    }

    /// PaddleOCR's `configs/rec/rec_mv3_none_bilstm_ctc.yml`: MobileNetV3-large x0.5, 2-layer
    /// BiLSTM (96 per direction), CTC head without decay.
    public static let crnnMobileNetV3: ArchitectureConfig = ArchitectureConfig(
        algorithm: "CRNN", backbone: .mobileNetV3(MobileNetV3Config(modelName: "large", scale: 0.5)),
        neck: NeckConfig(encoderType: "rnn", hiddenSize: 96), head: HeadConfig(fcDecay: 0))

    /// PaddleOCR's `configs/cls/cls_mv3.yml`: MobileNetV3-small x0.35 with the rec strides
    /// (PaddleOCR builds cls backbones from `rec_mobilenet_v3.py`), no neck, ClsHead over 2 classes.
    public static let clsMobileNetV3: ArchitectureConfig = ArchitectureConfig(
        modelType: "cls", algorithm: "CLS", backbone: .mobileNetV3(MobileNetV3Config(modelName: "small", scale: 0.35)),
        neck: nil, head: .clsHead(classDim: 2))

    /// PaddleOCR's `configs/rec/rec_svtrnet.yml` (SVTR-Tiny) without its STN: `img_size` follows
    /// the input shape; `out_char_num` stays 25 (set it to W/4 for long lines).
    public static var svtrTiny: ArchitectureConfig {
        var b = SVTRNetConfig()
        b.prenorm = false
        return ArchitectureConfig(algorithm: "SVTR", backbone: .svtrNet(b), neck: NeckConfig(encoderType: "reshape"),
                                  head: HeadConfig())
    }
}

/// `Architecture.Transform`: only its `name` is read; any non-null transform is rejected when
/// decoding, because OCRKit implements none (PaddleOCR's TPS/STN_ON).
public struct TransformConfig: Codable, Sendable, Equatable {
    public var name: String

    enum CodingKeys: String, CodingKey { case name }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        try NeckConfig.check(name, [], "Transform", c, .name)
    }
}
