/// `Architecture.Neck` (PaddleOCR `SequenceEncoder`): turns the B x C x 1 x W feature map into a
/// B x W x C sequence (`reshape`), optionally followed by an encoder.
///
/// ```yaml
/// Neck:
///   name: SequenceEncoder
///   encoder_type: rnn      # reshape | fc | rnn (2-layer BiLSTM)
///   hidden_size: 96        # LSTM hidden size per direction (rnn) or output width (fc); default 48
/// ```
public struct NeckConfig: Codable, Sendable, Equatable {
    public static let knownNames = ["SequenceEncoder"]
    public static let knownEncoderTypes = ["reshape", "fc", "rnn"]

    /// `name`: only SequenceEncoder.
    public var name: String = "SequenceEncoder"
    /// `encoder_type`: reshape, fc or rnn (required, as in PaddleOCR).
    public var encoderType: String
    /// `hidden_size`: LSTM hidden size per direction (rnn) or output width (fc).
    public var hiddenSize: Int = 48

    public init(name: String = "SequenceEncoder", encoderType: String, hiddenSize: Int = 48) {
        self.name = name
        self.encoderType = encoderType
        self.hiddenSize = hiddenSize
    }

    enum CodingKeys: String, CodingKey { case name, encoderType = "encoder_type", hiddenSize = "hidden_size" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        encoderType = try c.decode(String.self, forKey: .encoderType)
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? 48
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
