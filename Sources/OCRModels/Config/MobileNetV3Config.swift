/// `Architecture.Backbone` with `name: MobileNetV3` (PaddleOCR `rec_mobilenet_v3.MobileNetV3`).
/// Every key is optional; the defaults are PaddleOCR's.
///
/// ```yaml
/// Backbone:
///   name: MobileNetV3
///   scale: 0.5            # 0.35, 0.5, 0.75, 1.0 or 1.25
///   model_name: large     # large | small (PaddleOCR's default: small)
///   large_stride: [1, 2, 2, 2]
///   small_stride: [2, 2, 2, 2]
///   disable_se: false
/// ```
public struct MobileNetV3Config: Codable, Sendable, Equatable {
    /// `in_channels`: image channels; when given it must match the input shape. Default: the input shape's.
    public var inChannels: Int?
    /// `model_name`: `large` or `small`.
    public var modelName: String = "small"
    /// `scale`: width multiplier; channel counts are rounded with `make_divisible` (multiples of 8).
    public var scale: Double = 0.5
    /// `large_stride`: the four downsampling strides of `large` (entry 0 scalar, 1-3 height only).
    public var largeStride: [Int] = [1, 2, 2, 2]
    /// `small_stride`: the four height strides of `small`.
    public var smallStride: [Int] = [2, 2, 2, 2]
    /// `disable_se`: drop every squeeze-and-excitation block.
    public var disableSE: Bool = false

    public init(modelName: String = "small", scale: Double = 0.5, largeStride: [Int] = [1, 2, 2, 2],
                smallStride: [Int] = [2, 2, 2, 2], disableSE: Bool = false, inChannels: Int? = nil) {
        self.modelName = modelName
        self.scale = scale
        self.largeStride = largeStride
        self.smallStride = smallStride
        self.disableSE = disableSE
        self.inChannels = inChannels
    }

    enum CodingKeys: String, CodingKey {
        case inChannels = "in_channels", modelName = "model_name", scale
        case largeStride = "large_stride", smallStride = "small_stride", disableSE = "disable_se"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = MobileNetV3Config()
        inChannels = try c.decodeIfPresent(Int.self, forKey: .inChannels)
        modelName = try c.decodeIfPresent(String.self, forKey: .modelName) ?? d.modelName
        scale = try c.decodeIfPresent(Double.self, forKey: .scale) ?? d.scale
        largeStride = try c.decodeIfPresent([Int].self, forKey: .largeStride) ?? d.largeStride
        smallStride = try c.decodeIfPresent([Int].self, forKey: .smallStride) ?? d.smallStride
        disableSE = try c.decodeIfPresent(Bool.self, forKey: .disableSE) ?? d.disableSE
    }
}
