import NN
import Torch

/// PaddleOCR's `Im2Seq`: B x C x 1 x W -> B x W x C.
public final class Im2Seq: Module, UnaryLayer {
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        guard x.rank == 4, x.size(2) == 1 else {
            throw ModelError(.invalidInput, "Im2Seq \(path) needs a B x C x 1 x W feature map, got \(x.shape)")
        }
        return try x.squeeze(2).transpose(1, 2)          // B x C x 1 x W -> B x W x C
    }
}

/// PaddleOCR's `EncoderWithRNN`: a 2-layer bidirectional LSTM over B x T x C (batch first),
/// giving B x T x 2*hidden. Paths: `<p>/lstm/{weight_ih_l0,weight_hh_l0,bias_ih_l0,...,_reverse}`.
public final class EncoderWithRNN: Module, UnaryLayer {
    public let lstm: LSTM

    public init(_ p: Path, inChannels: Int, hiddenSize: Int) throws {
        lstm = try LSTM(p / "lstm", inputSize: inChannels, hiddenSize: hiddenSize, layers: 2, bidirectional: true,
                        batchFirst: true)
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try lstm(x) }
}

/// PaddleOCR's `EncoderWithFC`: one Linear (`<p>/fc`). Weight and bias ~ U(+-1/sqrt(in)), as
/// PaddleOCR initialises it.
public final class EncoderWithFC: Module, UnaryLayer {
    public let fc: Linear

    public init(_ p: Path, inChannels: Int, hiddenSize: Int) throws {
        fc = try Linear(p / "fc", inChannels, hiddenSize)
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor { try fc(x) }
}

/// PaddleOCR's `SequenceEncoder` neck: `Im2Seq`, then the encoder named by `encoder_type`
/// (`reshape`: none; `svtr` and `lightsvtr` work on the feature map, so they run before `Im2Seq`).
/// B x C x 1 x W -> B x W x `outChannels`.
/// Paths: `<p>/encoder/lstm/...` (rnn), `<p>/encoder/fc/...` (fc).
public final class SequenceEncoder: Module, UnaryLayer {
    public let encoderType: String
    public let encoderReshape: Im2Seq
    public let encoder: (any UnaryLayer)?
    public let outChannels: Int

    public convenience init(_ p: Path, inChannels: Int, config: NeckConfig) throws {
        if config.encoderType == "lightsvtr" {
            let light = try EncoderWithLightSVTR(p / "encoder", inChannels: inChannels, dims: config.dims ?? 120,
                                                 depth: config.depth ?? 2, mlpRatio: config.mlpRatio ?? 2,
                                                 localKernel: config.localKernel ?? 7, useGuide: config.useGuide ?? false)
            self.init(p, encoderType: "lightsvtr", encoder: light, outChannels: light.outChannels)
            return
        }
        guard config.encoderType == "svtr" else {
            try self.init(p, inChannels: inChannels, encoderType: config.encoderType, hiddenSize: config.hiddenSize)
            return
        }
        let k = config.kernelSize ?? [3, 3]
        guard k.count == 2 else { throw ModelError(.invalidConfig, "SequenceEncoder kernel_size must be [h, w], got \(k)") }
        let svtr = try EncoderWithSVTR(p / "encoder", inChannels: inChannels, dims: config.dims ?? 64, depth: config.depth ?? 2,
                                       hiddenDims: config.hiddenDims ?? 120, kernel: (k[0], k[1]), useGuide: config.useGuide ?? false)
        self.init(p, encoderType: "svtr", encoder: svtr, outChannels: svtr.outChannels)
    }

    init(_ p: Path, encoderType: String, encoder: (any UnaryLayer)?, outChannels: Int) {
        self.encoderType = encoderType
        encoderReshape = Im2Seq(p / "encoder_reshape")
        self.encoder = encoder
        self.outChannels = outChannels
        super.init(p)
    }

    public init(_ p: Path, inChannels: Int, encoderType: String, hiddenSize: Int) throws {
        self.encoderType = encoderType
        encoderReshape = Im2Seq(p / "encoder_reshape")
        switch encoderType {
        case "reshape":
            encoder = nil
            outChannels = inChannels
        case "rnn":
            encoder = try EncoderWithRNN(p / "encoder", inChannels: inChannels, hiddenSize: hiddenSize)
            outChannels = 2 * hiddenSize
        case "fc":
            encoder = try EncoderWithFC(p / "encoder", inChannels: inChannels, hiddenSize: hiddenSize)
            outChannels = hiddenSize
        default:
            throw ModelError.unknown("SequenceEncoder encoder_type", encoderType, known: NeckConfig.knownEncoderTypes)
        }
        super.init(p)
    }

    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        // The SVTR encoders work on the feature map, before it becomes a sequence.
        if encoderType == "svtr" || encoderType == "lightsvtr", let encoder { return try encoderReshape(encoder(x)) }
        let seq = try encoderReshape(x)
        return try encoder.map { try $0(seq) } ?? seq
    }

    public override var attributes: [(name: String, value: LayerAttribute)] {
        [("encoder_type", .string(encoderType)), ("out_channels", .int(outChannels))]
    }
}
