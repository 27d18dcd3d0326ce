/// `Architecture.Head`: PaddleOCR's `CTCHead` for recognisers, `ClsHead` for the text-line
/// angle classifier or `DBHead` for DB detectors. Each reads only its own keys, so a key of the other head is an unknown key.
///
/// ```yaml
/// Head:
///   name: CTCHead
///   fc_decay: 0.00001      # L2 factor the trainer applies to the head's parameters (default 0.0004)
///   mid_channels: null     # set to insert a hidden Linear (fc1 -> fc2)
/// ```
/// ```yaml
/// Head:
///   name: ClsHead
///   class_dim: 2           # classes (PaddleOCR's label_list ['0', '180']); required
/// ```
/// ```yaml
/// Head:
///   name: DBHead
///   k: 50                  # steepness of the step function B = sigmoid(k (P - T)); default 50
/// ```
public struct HeadConfig: Codable, Sendable, Equatable {
    public static let knownNames = ["CTCHead", "ClsHead", "DBHead"]

    /// `name`: CTCHead, ClsHead or DBHead.
    public var name: String = "CTCHead"
    /// `fc_decay` (CTCHead): L2 regularisation of the head's weight and bias (read by the trainer).
    public var fcDecay: Double = 0.0004
    /// `mid_channels` (CTCHead): width of an extra hidden Linear; null for a single Linear.
    public var midChannels: Int?
    /// `class_dim` (ClsHead): number of classes.
    public var classDim: Int?
    /// `k` (DBHead): the differentiable binarisation's amplification factor.
    public var k: Int?
    /// `folded_bn` (DBHead, OCRKit's key): the probability branch's BatchNorms folded into its
    /// convs, as PP-OCRv6 det's inference file holds them (configs/det/ppocrv6_det.yml). Default false.
    public var foldedBN: Bool?

    public init(name: String = "CTCHead", fcDecay: Double = 0.0004, midChannels: Int? = nil, classDim: Int? = nil) {
        self.name = name
        self.fcDecay = fcDecay
        self.midChannels = midChannels
        self.classDim = classDim
    }

    /// PaddleOCR's `ClsHead` with `class_dim` classes.
    public static func clsHead(classDim: Int = 2) -> HeadConfig { HeadConfig(name: "ClsHead", classDim: classDim) }

    /// PaddleOCR's `DBHead` with amplification `k`.
    public static func dbHead(k: Int = 50) -> HeadConfig {
        var c = HeadConfig(name: "DBHead")
        c.k = k
        return c
    }
    enum CodingKeys: String, CodingKey {
        case name, fcDecay = "fc_decay", midChannels = "mid_channels", classDim = "class_dim", k, foldedBN = "folded_bn"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        try NeckConfig.check(name, HeadConfig.knownNames, "Head name", c, .name)
        if name == "ClsHead" {
            classDim = try c.decode(Int.self, forKey: .classDim)
        } else if name == "DBHead" {
            k = try c.decodeIfPresent(Int.self, forKey: .k) ?? 50
            foldedBN = try c.decodeIfPresent(Bool.self, forKey: .foldedBN)
        } else {
            fcDecay = try c.decodeIfPresent(Double.self, forKey: .fcDecay) ?? 0.0004
            midChannels = try c.decodeIfPresent(Int.self, forKey: .midChannels)
        }
    }

    /// Writes only the named head's keys, so the result decodes again under the strict key check.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        if name == "ClsHead" {
            try c.encodeIfPresent(classDim, forKey: .classDim)
        } else if name == "DBHead" {
            try c.encodeIfPresent(k, forKey: .k)
            try c.encodeIfPresent(foldedBN, forKey: .foldedBN)
        } else {
            try c.encode(fcDecay, forKey: .fcDecay)
            try c.encodeIfPresent(midChannels, forKey: .midChannels)
        }
    }
}
