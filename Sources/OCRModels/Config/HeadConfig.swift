/// `Architecture.Head` (PaddleOCR `CTCHead`): a Linear to the classes, or two with `mid_channels`.
///
/// ```yaml
/// Head:
///   name: CTCHead
///   fc_decay: 0.00001      # L2 factor the trainer applies to the head's parameters (default 0.0004)
///   mid_channels: null     # set to insert a hidden Linear (fc1 -> fc2)
/// ```
public struct HeadConfig: Codable, Sendable, Equatable {
    public static let knownNames = ["CTCHead"]

    /// `name`: only CTCHead.
    public var name: String = "CTCHead"
    /// `fc_decay`: L2 regularisation of the head's weight and bias (read by the trainer).
    public var fcDecay: Double = 0.0004
    /// `mid_channels`: width of an extra hidden Linear; null for a single Linear.
    public var midChannels: Int?

    public init(name: String = "CTCHead", fcDecay: Double = 0.0004, midChannels: Int? = nil) {
        self.name = name
        self.fcDecay = fcDecay
        self.midChannels = midChannels
    }

    enum CodingKeys: String, CodingKey { case name, fcDecay = "fc_decay", midChannels = "mid_channels" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        fcDecay = try c.decodeIfPresent(Double.self, forKey: .fcDecay) ?? 0.0004
        midChannels = try c.decodeIfPresent(Int.self, forKey: .midChannels)
        try NeckConfig.check(name, HeadConfig.knownNames, "Head name", c, .name)
    }
}
