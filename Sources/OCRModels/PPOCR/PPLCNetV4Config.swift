/// `Architecture.Backbone` with `name: PPLCNetV4` (PaddleOCR `rec_lcnetv4.PPLCNetV4`, PP-OCRv6),
/// in the re-parameterised form PaddleOCR's inference files hold. Every key is optional.
///
/// ```yaml
/// Backbone:
///   name: PPLCNetV4
///   model_size: small   # tiny | small | medium (PP-OCRv6's three recognisers)
/// ```
public struct PPLCNetV4Config: Codable, Sendable, Equatable {
    /// `in_channels`: image channels; when given it must match the input shape (3).
    public var inChannels: Int?
    /// `model_size`: tiny, small or medium.
    public var modelSize: String = "small"
    /// `det`: the detection layout (four outputs, built by DetectorFactory). PP-OCRv6 det's
    /// RepLKFPN neck is not built yet, so only the backbone of PP-OCRv6 det imports.
    public var det: Bool = false

    public init(modelSize: String = "small", inChannels: Int? = nil) {
        self.modelSize = modelSize
        self.inChannels = inChannels
    }

    enum CodingKeys: String, CodingKey { case inChannels = "in_channels", modelSize = "model_size", det }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        inChannels = try c.decodeIfPresent(Int.self, forKey: .inChannels)
        modelSize = try c.decodeIfPresent(String.self, forKey: .modelSize) ?? "small"
        det = try c.decodeIfPresent(Bool.self, forKey: .det) ?? false
    }
}
