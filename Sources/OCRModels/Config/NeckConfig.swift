/// `Architecture.Neck` (PaddleOCR `SequenceEncoder`): turns the B x C x 1 x W feature map into a
/// B x W x C sequence (`reshape`), optionally followed by an encoder.
///
/// ```yaml
/// Neck:
///   name: SequenceEncoder
///   encoder_type: rnn      # reshape | fc | rnn (2-layer BiLSTM)
///   hidden_size: 96        # LSTM hidden size per direction (rnn) or output width (fc); default 48
/// ```
/// `encoder_type: svtr` (PP-OCRv4's `EncoderWithSVTR`) reads `dims`, `depth`, `hidden_dims`,
/// `kernel_size` and `use_guide` instead.
public struct NeckConfig: Codable, Sendable, Equatable {
    public static let knownNames = ["SequenceEncoder"]
    public static let knownEncoderTypes = ["reshape", "fc", "rnn", "svtr"]

    /// `name`: only SequenceEncoder.
    public var name: String = "SequenceEncoder"
    /// `encoder_type`: reshape, fc or rnn (required, as in PaddleOCR).
    public var encoderType: String
    /// `hidden_size`: LSTM hidden size per direction (rnn) or output width (fc).
    public var hiddenSize: Int = 48
    /// `dims` (svtr): output channels (default 64).
    public var dims: Int?
    /// `depth` (svtr): global SVTR blocks (default 2).
    public var depth: Int?
    /// `hidden_dims` (svtr): token width inside the blocks (default 120).
    public var hiddenDims: Int?
    /// `kernel_size` (svtr): [h, w] of the two reducing convs (default [3, 3]).
    public var kernelSize: [Int]?
    /// `use_guide` (svtr): detach the neck's input (PaddleOCR trains the backbone through NRTR then).
    public var useGuide: Bool?

    public init(name: String = "SequenceEncoder", encoderType: String, hiddenSize: Int = 48) {
        self.name = name
        self.encoderType = encoderType
        self.hiddenSize = hiddenSize
    }

    enum CodingKeys: String, CodingKey {
        case name, encoderType = "encoder_type", hiddenSize = "hidden_size"
        case dims, depth, hiddenDims = "hidden_dims", kernelSize = "kernel_size", useGuide = "use_guide"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        encoderType = try c.decode(String.self, forKey: .encoderType)
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? 48
        dims = try c.decodeIfPresent(Int.self, forKey: .dims)
        depth = try c.decodeIfPresent(Int.self, forKey: .depth)
        hiddenDims = try c.decodeIfPresent(Int.self, forKey: .hiddenDims)
        kernelSize = try c.decodeIfPresent([Int].self, forKey: .kernelSize)
        useGuide = try c.decodeIfPresent(Bool.self, forKey: .useGuide)
        try Self.check(name, NeckConfig.knownNames, "Neck name", c, .name)
        try Self.check(encoderType, NeckConfig.knownEncoderTypes, "SequenceEncoder encoder_type", c, .encoderType)
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
