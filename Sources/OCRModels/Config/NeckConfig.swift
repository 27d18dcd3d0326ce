/// `Architecture.Neck`. For recognisers PaddleOCR's `SequenceEncoder`: turns the B x C x 1 x W
/// feature map into a B x W x C sequence (`reshape`), optionally followed by an encoder. For DB
/// detectors a feature pyramid (`DBFPN`, `RSEFPN`) fusing the backbone's four maps. Each neck
/// reads only its own keys, so a key of another neck is an unknown key.
///
/// ```yaml
/// Neck:
///   name: SequenceEncoder
///   encoder_type: rnn      # reshape | fc | rnn (2-layer BiLSTM)
///   hidden_size: 96        # LSTM hidden size per direction (rnn) or output width (fc); default 48
/// ```
/// ```yaml
/// Neck: {name: DBFPN, out_channels: 256}                  # det_mv3_db.yml
/// Neck: {name: RSEFPN, out_channels: 96, shortcut: true}  # PP-OCRv3 det student
/// ```
/// `encoder_type: svtr` (PP-OCRv4's `EncoderWithSVTR`) reads `dims`, `depth`, `hidden_dims`,
/// `kernel_size` and `use_guide` instead; `lightsvtr` (PP-OCRv6's `EncoderWithLightSVTR`) `dims`,
/// `depth`, `mlp_ratio`, `local_kernel` and `use_guide`.
public struct NeckConfig: Codable, Sendable, Equatable {
    /// The sequence necks (what `RecognizerFactory` builds).
    public static let knownNames = ["SequenceEncoder"]
    /// The DB feature pyramids (what `DetectorFactory` builds).
    public static let detectionNames = ["DBFPN", "RSEFPN", "RepLKFPN"]
    public static let knownEncoderTypes = ["reshape", "fc", "rnn", "svtr", "lightsvtr"]
    /// `name`: SequenceEncoder, DBFPN or RSEFPN.
    public var name: String = "SequenceEncoder"
    /// `encoder_type` (SequenceEncoder): reshape, fc or rnn (required, as in PaddleOCR); empty for the det necks.
    public var encoderType: String
    /// `hidden_size` (SequenceEncoder): LSTM hidden size per direction (rnn) or output width (fc).
    public var hiddenSize: Int = 48
    /// `out_channels` (DBFPN, RSEFPN): the lateral width; the fused map has this many channels
    /// (4 x out_channels/4). Required, as in PaddleOCR.
    public var outChannels: Int?
    /// `shortcut` (RSEFPN): add each RSE layer's conv output to its SE-scaled copy. Default true.
    public var shortcut: Bool = true
    /// `dims` (svtr): output channels (default 64).
    public var dims: Int?
    /// `depth` (svtr): global SVTR blocks (default 2).
    public var depth: Int?
    /// `hidden_dims` (svtr): token width inside the blocks (default 120).
    public var hiddenDims: Int?
    /// `kernel_size` (svtr): [h, w] of the two reducing convs (default [3, 3]).
    public var kernelSize: [Int]?
    /// `use_guide` (svtr, lightsvtr): detach the neck's input (PaddleOCR trains the backbone through NRTR then).
    public var useGuide: Bool?
    /// `mlp_ratio` (lightsvtr): the SVTR blocks' MLP width over `dims` (default 2).
    public var mlpRatio: Double?
    /// `local_kernel` (lightsvtr): width of the depthwise 1 x k conv before attention (default 7).
    public var localKernel: Int?

    public init(name: String = "SequenceEncoder", encoderType: String, hiddenSize: Int = 48) {
        self.name = name
        self.encoderType = encoderType
        self.hiddenSize = hiddenSize
    }

    /// PaddleOCR's `DBFPN` (`det_mv3_db.yml`: 256).
    public static func dbFPN(outChannels: Int = 256) -> NeckConfig {
        var c = NeckConfig(name: "DBFPN", encoderType: "")
        c.outChannels = outChannels
        return c
    }

    /// PaddleOCR's `RSEFPN` (PP-OCRv3 det: 96, shortcut).
    public static func rseFPN(outChannels: Int = 96, shortcut: Bool = true) -> NeckConfig {
        var c = NeckConfig(name: "RSEFPN", encoderType: "")
        c.outChannels = outChannels
        c.shortcut = shortcut
        return c
    }

    enum CodingKeys: String, CodingKey {
        case name, encoderType = "encoder_type", hiddenSize = "hidden_size", outChannels = "out_channels", shortcut
        case dims, depth, hiddenDims = "hidden_dims", kernelSize = "kernel_size", useGuide = "use_guide"
        case mlpRatio = "mlp_ratio", localKernel = "local_kernel"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        try Self.check(name, Self.knownNames + Self.detectionNames, "Neck name", c, .name)
        if Self.detectionNames.contains(name) {
            encoderType = ""
            outChannels = try c.decode(Int.self, forKey: .outChannels)
            if name != "DBFPN" { shortcut = try c.decodeIfPresent(Bool.self, forKey: .shortcut) ?? true }
        } else {
            encoderType = try c.decode(String.self, forKey: .encoderType)
            hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? 48
            dims = try c.decodeIfPresent(Int.self, forKey: .dims)
            depth = try c.decodeIfPresent(Int.self, forKey: .depth)
            hiddenDims = try c.decodeIfPresent(Int.self, forKey: .hiddenDims)
            kernelSize = try c.decodeIfPresent([Int].self, forKey: .kernelSize)
            useGuide = try c.decodeIfPresent(Bool.self, forKey: .useGuide)
            mlpRatio = try c.decodeIfPresent(Double.self, forKey: .mlpRatio)
            localKernel = try c.decodeIfPresent(Int.self, forKey: .localKernel)
            try Self.check(encoderType, NeckConfig.knownEncoderTypes, "SequenceEncoder encoder_type", c, .encoderType)
        }
    }

    /// Writes only the named neck's keys, so the result decodes again under the strict key check.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        if Self.detectionNames.contains(name) {
            try c.encodeIfPresent(outChannels, forKey: .outChannels)
            if name != "DBFPN" { try c.encode(shortcut, forKey: .shortcut) }
        } else {
            try c.encode(encoderType, forKey: .encoderType)
            try c.encode(hiddenSize, forKey: .hiddenSize)
            try c.encodeIfPresent(dims, forKey: .dims)
            try c.encodeIfPresent(depth, forKey: .depth)
            try c.encodeIfPresent(hiddenDims, forKey: .hiddenDims)
            try c.encodeIfPresent(kernelSize, forKey: .kernelSize)
            try c.encodeIfPresent(useGuide, forKey: .useGuide)
            try c.encodeIfPresent(mlpRatio, forKey: .mlpRatio)
            try c.encodeIfPresent(localKernel, forKey: .localKernel)
        }
    }

    /// Rejects names OCRKit does not implement while decoding, so the error points at the key.
    static func check<K: CodingKey>(_ value: String, _ known: [String], _ what: String,
                                    _ c: KeyedDecodingContainer<K>, _ key: K) throws {
        guard known.contains(value) else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath + [key],
                                                    debugDescription: ModelError.unknown(what, value, known: known).message))
        }
    }
}
