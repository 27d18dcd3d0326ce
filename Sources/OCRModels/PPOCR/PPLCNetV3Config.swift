/// `Architecture.Backbone` with `name: PPLCNetV3` (PaddleOCR `rec_lcnetv3.PPLCNetV3`), in the
/// re-parameterised form PaddleOCR's inference files hold. Every key is optional.
///
/// ```yaml
/// Backbone:
///   name: PPLCNetV3
///   scale: 0.95        # PP-OCRv4 mobile rec; channels are make_divisible(c * scale, 16)
///   det: false         # true: the detector's layout (PP-OCRv4 det: scale 0.75), built by DetectorFactory
/// ```
public struct PPLCNetV3Config: Codable, Sendable, Equatable {
    /// `in_channels`: image channels; when given it must match the input shape (3).
    public var inChannels: Int?
    /// `scale`: width multiplier.
    public var scale: Double = 0.95
    /// `det`: the detection layout (four outputs); false builds the recogniser's.
    public var det: Bool = false

    public init(scale: Double = 0.95, det: Bool = false, inChannels: Int? = nil) {
        self.scale = scale
        self.det = det
        self.inChannels = inChannels
    }

    enum CodingKeys: String, CodingKey { case inChannels = "in_channels", scale, det }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        inChannels = try c.decodeIfPresent(Int.self, forKey: .inChannels)
        scale = try c.decodeIfPresent(Double.self, forKey: .scale) ?? 0.95
        det = try c.decodeIfPresent(Bool.self, forKey: .det) ?? false
    }
}
