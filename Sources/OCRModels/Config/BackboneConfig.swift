/// `Architecture.Backbone`: chosen by `name`, the other keys belong to that backbone.
/// An unknown name fails decoding with the list of known ones.
public enum BackboneConfig: Codable, Sendable, Equatable {
    case mobileNetV3(MobileNetV3Config)
    case svtrNet(SVTRNetConfig)
    /// PP-OCRv4's backbone, as its inference files hold it (see `PPLCNetV3`).
    case ppLCNetV3(PPLCNetV3Config)
    /// PP-OCRv6's backbone, as its inference files hold it (see `PPLCNetV4`).
    case ppLCNetV4(PPLCNetV4Config)

    public static let knownNames = ["MobileNetV3", "SVTRNet", "PPLCNetV3", "PPLCNetV4"]

    /// The YAML `name`.
    public var name: String {
        switch self {
        case .mobileNetV3: "MobileNetV3"
        case .svtrNet: "SVTRNet"
        case .ppLCNetV3: "PPLCNetV3"
        case .ppLCNetV4: "PPLCNetV4"
        }
    }

    enum NameKey: String, CodingKey { case name }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: NameKey.self)
        let name = try c.decode(String.self, forKey: .name)
        switch name {
        case "MobileNetV3": self = .mobileNetV3(try MobileNetV3Config(from: decoder))
        case "SVTRNet": self = .svtrNet(try SVTRNetConfig(from: decoder))
        case "PPLCNetV3": self = .ppLCNetV3(try PPLCNetV3Config(from: decoder))
        case "PPLCNetV4": self = .ppLCNetV4(try PPLCNetV4Config(from: decoder))
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath + [NameKey.name],
                                                    debugDescription: ModelError.unknown("Backbone name", name, known: Self.knownNames).message))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: NameKey.self)
        try c.encode(name, forKey: .name)
        switch self {
        case .mobileNetV3(let b): try b.encode(to: encoder)
        case .svtrNet(let b): try b.encode(to: encoder)
        case .ppLCNetV3(let b): try b.encode(to: encoder)
        case .ppLCNetV4(let b): try b.encode(to: encoder)
        }
    }
}
